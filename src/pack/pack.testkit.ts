// Knowledge of two projects, learnt by the real learners, for the pack tests; and a snapshot of
// everything a store's list methods return, to compare stores.
import { expect } from 'vitest';
import { VECTOR_COLLECTION_NAMES } from '../learning/collections.js';
import { learnFailures } from '../learning/patternLearner.js';
import { learnStrategies } from '../learning/strategyLearner.js';
import { learnSuccesses } from '../learning/successLearner.js';
import { makeHeal, makeObservation } from '../store/contract.learning.testkit.js';
import { makeModel } from '../store/contract.models.testkit.js';
import { makePrediction } from '../store/contract.risk.testkit.js';
import { makeAttempt, makeRun } from '../store/contract.testkit.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { hashingEmbedder } from '../vector/embedder.js';
import { localIndex } from '../vector/localIndex.js';
import type { VectorRecord } from '../vector/records.js';

const embedder = hashingEmbedder({ dimension: 64 });
const selectorMissing = (locator: string) => ({
  message: `Error: locator.click: Timeout 500ms exceeded.\nCall log:\n  - waiting for ${locator}`,
  stack: null,
  category: 'selector_missing',
  signature: `sig-${locator}`,
  count: 1,
});

async function learn(store: KnowledgeStore, runId: string): Promise<void> {
  await learnFailures({ store, embedder, index: localIndex(store, 'failures', embedder) }, runId);
  await learnSuccesses({ store, embedder, index: localIndex(store, 'successes', embedder) }, runId);
  await learnStrategies(store, runId);
}

/** Two runs of `shop` (a failure, then a heal that fixed it), two of `admin` started at the same moment; learnt from; risk predictions of three of them; fitted models of both projects. */
export async function fillStore(store: KnowledgeStore): Promise<void> {
  const shop = { project: 'shop' };
  await store.startRun(makeRun({ ...shop, id: 'shop-1', startedAt: '2026-11-23T10:00:00.000Z', endedAt: '2026-11-23T10:01:00.000Z', status: 'failed' }));
  await store.recordAttempt(
    makeAttempt({ runId: 'shop-1', status: 'failed', outcome: 'unexpected', error: selectorMissing("getByRole('button', { name: 'Save' })"), steps: ['goto', 'click'], locators: ["getByRole('button', { name: 'Save' })"] }),
  );
  await store.recordAttempt(makeAttempt({ runId: 'shop-1', testId: 'id-2', testKey: 'chromium › b.spec.ts › ok', file: 'b.spec.ts', titlePath: ['ok'], steps: ['goto', 'expect toBeVisible'] }));
  await store.recordSelectors('shop', [makeObservation({ at: '2026-11-23T10:00:01.000Z' }), makeObservation({ outcome: 'failed', pageKey: '/cart', at: '2026-11-23T10:00:02.000Z' })]);
  await learn(store, 'shop-1');
  await store.recordPredictions([
    makePrediction({ runId: 'shop-1', at: '2026-11-23T09:59:59.000Z', score: 0.7, outcome: 'failed' }),
    makePrediction({ runId: 'shop-1', testKey: 'chromium › b.spec.ts › ok', at: '2026-11-23T09:59:59.000Z', score: 0.1, outcome: 'passed' }),
  ]);

  await store.startRun(makeRun({ ...shop, id: 'shop-2', startedAt: '2026-11-24T10:00:00.000Z' }));
  await store.recordAttempt(makeAttempt({ runId: 'shop-2', startedAt: '2026-11-24T10:00:01.000Z', steps: ['goto', 'click'] }));
  await store.recordHeals([
    makeHeal({ ...shop, runId: 'shop-2', at: '2026-11-24T10:00:02.000Z' }),
    makeHeal({ ...shop, runId: 'shop-2', id: 'id-1#0#2', to: undefined, outcome: 'abstained', screenshot: undefined, review: 'rejected', at: '2026-11-24T10:00:02.000Z' }),
  ]);
  await store.recordSelectors('shop', [makeObservation({ outcome: 'healed', fingerprint: undefined, healedTo: { selector: 'internal:testid=[data-testid="save"s]', code: "getByTestId('save')" }, at: '2026-11-24T10:00:02.000Z' })]);
  await store.finishRun('shop-2', { endedAt: '2026-11-24T10:01:00.000Z', status: 'passed' });
  await learn(store, 'shop-2');
  await store.recordPredictions([makePrediction({ runId: 'shop-2', at: '2026-11-24T09:59:59.000Z', score: 0.8, outcome: 'passed' })]);
  await store.putModel(makeModel({ at: '2026-11-24T10:01:01.000Z' }));
  await store.putModel(makeModel({ name: 'healing', at: '2026-11-24T10:01:02.000Z', data: { thresholds: { autoApply: 0.9 }, reviewed: 14 } }));

  for (const id of ['admin-a', 'admin-b']) {
    await store.startRun(makeRun({ project: 'admin', id, startedAt: '2026-11-25T08:00:00.000Z', status: 'failed', endedAt: '2026-11-25T08:02:00.000Z' }));
    await store.recordAttempt(makeAttempt({ runId: id, testKey: 'chromium › users.spec.ts › users › list', file: 'users.spec.ts', titlePath: ['users', 'list'], status: 'failed', outcome: 'unexpected', error: selectorMissing('#users') }));
    await store.recordAttempt(makeAttempt({ runId: id, testKey: 'chromium › users.spec.ts › users › list', file: 'users.spec.ts', titlePath: ['users', 'list'], retry: 1, outcome: 'flaky' }));
    await learn(store, id);
  }
  const users = { project: 'admin', runId: 'admin-a', testKey: 'chromium › users.spec.ts › users › list', at: '2026-11-25T07:59:59.000Z' };
  await store.recordPredictions([makePrediction({ ...users, model: 'weighted-v0', factors: { retired_factor: 0.5 }, outcome: 'flaky' })]);
  await store.recordSelectors('admin', [makeObservation({ pageKey: '/users', at: '2026-11-25T08:00:01.000Z' })]);
  await store.putModel(makeModel({ project: 'admin', at: '2026-11-25T08:02:01.000Z', data: { version: 0, retired: ['weights of another version'] } }));
}

/** Everything the list methods return, newest first as they list it. */
export async function snapshot(store: KnowledgeStore, project?: string) {
  const by = project === undefined ? {} : { project };
  const runs = await store.listRuns(by);
  const ids = new Set(runs.map((r) => r.id));
  const vectors: Record<string, VectorRecord[]> = {};
  for (const collection of VECTOR_COLLECTION_NAMES) vectors[collection] = await store.listVectors({ collection, ...(project === undefined ? {} : { where: { project } }) });
  return {
    runs,
    attempts: (await store.listAttempts()).filter((a) => ids.has(a.runId)),
    selectors: await store.listSelectors(by),
    heals: await store.listHeals(by),
    failurePatterns: await store.listFailurePatterns(by),
    successPatterns: await store.listSuccessPatterns(by),
    strategyExecutions: await store.listStrategyExecutions(by),
    predictions: await store.listPredictions(by),
    models: await store.listModels(by),
    vectors,
  };
}

/** The knowledge the fixture is meant to have: nothing of it empty (a round trip of empty lists proves nothing). */
export function expectFull(s: Awaited<ReturnType<typeof snapshot>>): void {
  for (const [kind, records] of Object.entries(s)) {
    if (kind === 'vectors') for (const [collection, v] of Object.entries(records)) expect(v, collection).not.toHaveLength(0);
    else expect(records, kind).not.toHaveLength(0);
  }
}
