// Learning that waits: a run learned while the embedder was down is learned before a later run
// (or by `medic sync`), and the store ends as if the embedder had never been down. The real
// `openai` SDK against a local Embeddings server that the test takes down and brings back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddingsServer } from '../../test/helpers/openaiServer.js';
import { defineMedicConfig } from '../config/define.js';
import { makeAttempt, makeRun } from '../store/contract.testkit.js';
import { MemoryStore } from '../store/memory.js';
import type { AttemptRecord } from '../store/records.js';
import { categorizeError } from './categorize.js';
import { learnRun, learnWaitingRuns } from './learnRun.js';
import { failureSignature } from './signature.js';

let api: Awaited<ReturnType<typeof startEmbeddingsServer>>;
beforeAll(async () => {
  api = await startEmbeddingsServer(16);
});
afterAll(() => api.close());

const config = () => defineMedicConfig({ project: 'shop', embedder: { kind: 'openai', baseURL: api.baseURL, model: 'm-embed', dimension: 16 } }, {});

function attempt(runId: string, test: string, at: string, message?: string): AttemptRecord {
  const base = { runId, testKey: `chromium › ${test}.spec.ts › ${test} › works`, testId: `id-${test}`, file: `${test}.spec.ts`, titlePath: [test, 'works'], startedAt: at, steps: ['goto', 'click'], locators: [`page.getByTestId('${test}')`] };
  if (!message) return makeAttempt(base);
  const stack = `Error\n    at /work/e2e/${test}.spec.ts:12:5`;
  const category = categorizeError({ message, stack });
  return makeAttempt({ ...base, status: 'failed', outcome: 'unexpected', error: { message, stack, category, signature: failureSignature({ message, stack }, category), count: 1 } });
}
const missing = (locator: string) => `TimeoutError: locator.click: Timeout 5000ms exceeded.\nCall log:\n  - waiting for ${locator}\n`;

/** Three runs of a shop: a cart badge that breaks, a near selector in another test, a wrong total that comes and goes. */
const RUNS: { id: string; attempts: (id: string) => AttemptRecord[] }[] = [
  { id: 'r1', attempts: (r) => [attempt(r, 'cart', '2026-12-01T10:00:01.000Z', missing("locator('#cart-count')")), attempt(r, 'checkout', '2026-12-01T10:00:02.000Z', "Error: expect(locator).toHaveText(expected) failed\n\nLocator: locator('#total')"), attempt(r, 'catalog', '2026-12-01T10:00:03.000Z')] },
  { id: 'r2', attempts: (r) => [attempt(r, 'cart', '2026-12-02T10:00:01.000Z', missing("locator('#cart-count')")), attempt(r, 'badge', '2026-12-02T10:00:02.000Z', missing("locator('#cart-counter')")), attempt(r, 'checkout', '2026-12-02T10:00:03.000Z'), attempt(r, 'catalog', '2026-12-02T10:00:04.000Z')] },
  { id: 'r3', attempts: (r) => [attempt(r, 'cart', '2026-12-03T10:00:01.000Z'), attempt(r, 'badge', '2026-12-03T10:00:02.000Z', missing("locator('#cart-counter')")), attempt(r, 'catalog', '2026-12-03T10:00:03.000Z')] },
];

async function record(store: MemoryStore, i: number): Promise<void> {
  const { id, attempts } = RUNS[i]!;
  await store.startRun(makeRun({ id, project: 'shop', startedAt: `2026-12-0${i + 1}T10:00:00.000Z` }));
  for (const a of attempts(id)) await store.recordAttempt(a);
  await store.finishRun(id, { endedAt: `2026-12-0${i + 1}T10:05:00.000Z`, status: 'failed' });
}

/** What the store learned, in a form two stores can be compared by. */
async function learned(store: MemoryStore) {
  return {
    failures: (await store.listFailurePatterns({ project: 'shop' })).map((p) => ({ ...p })).sort((a, b) => a.id.localeCompare(b.id)),
    successes: (await store.listSuccessPatterns({ project: 'shop' })).sort((a, b) => a.id.localeCompare(b.id)),
    vectors: (await store.listVectors({ collection: 'failures' })).map((v) => v.id).sort(),
    executions: await store.listStrategyExecutions({ project: 'shop' }),
    waiting: (await store.listRuns({ project: 'shop' })).filter((r) => r.unlearned).map((r) => r.id),
  };
}

/** As if the breaker's 30 s had passed: the opening the down endpoint left in the store is gone. */
async function later(store: MemoryStore): Promise<void> {
  for (const open of await store.listBreakers()) await store.putBreaker({ ...open, state: 'closed' });
}

describe('learnRun while the embedder is down', { timeout: 60_000 }, () => {
  it('keeps what it could not learn on the run and learns it, oldest first, before the next run: nothing lost, nothing twice', async () => {
    api.status = 0;
    const control = new MemoryStore();
    for (let i = 0; i < RUNS.length; i++) {
      await record(control, i);
      await learnRun(config(), control, RUNS[i]!.id, () => undefined);
    }
    const expected = await learned(control);
    expect(expected.failures.length).toBeGreaterThan(1);
    expect(expected.successes.length).toBeGreaterThan(0);
    expect(expected.waiting).toEqual([]);

    const store = new MemoryStore();
    const warnings: string[] = [];
    api.status = 503;
    await record(store, 0);
    await learnRun(config(), store, 'r1', (m) => warnings.push(m));
    expect(warnings.join('\n')).toMatch(/could not learn failure patterns from this run \(its records are kept; learned at a later run\): The embedder at http:\/\/127\.0\.0\.1:\d+\/v1 failed 3 times in a row/);
    expect(await store.getRun('r1')).toMatchObject({ status: 'failed', endedAt: '2026-12-01T10:05:00.000Z', unlearned: { parts: ['failures', 'successes'], error: expect.stringContaining('failed 3 times in a row') } });
    expect(await store.listFailurePatterns()).toEqual([]);

    // Still down at the next run: both wait; the first still comes first.
    await record(store, 1);
    await learnRun(config(), store, 'r2', (m) => warnings.push(m));
    expect((await learned(store)).waiting.sort()).toEqual(['r1', 'r2']);
    expect(warnings.join('\n')).toMatch(/1 earlier run of shop still waits to be learned/);

    // Back: the third run learns the first two, then itself.
    api.status = 0;
    await later(store);
    warnings.length = 0;
    await record(store, 2);
    await learnRun(config(), store, 'r3', (m) => warnings.push(m));
    expect(warnings).toEqual(['medic: learned 2 earlier runs of shop that could not be learned when they ran.']);
    expect(await learned(store)).toEqual(expected);
    expect((await store.getRun('r1'))!.unlearned).toBeNull();
  });

  it('keeps the whole run for later when it cannot learn at all (the lock, say)', async () => {
    api.status = 0;
    const store = new MemoryStore();
    await record(store, 0);
    const exclusive = store.exclusive.bind(store);
    store.exclusive = () => Promise.reject(new Error('the lock learn:shop stayed held for 120 s'));
    const warnings: string[] = [];
    expect(await learnRun(config(), store, 'r1', (m) => warnings.push(m))).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining('could not learn from this run (its records are kept; learned at a later run): the lock learn:shop stayed held')]);
    expect((await store.getRun('r1'))!.unlearned).toMatchObject({ parts: ['failures', 'successes', 'strategies'] });
    store.exclusive = exclusive;
    expect(await learnWaitingRuns(config(), store, () => undefined)).toEqual({ learned: 1, waiting: 0 });
    expect((await store.listFailurePatterns()).map((p) => p.count)).toEqual([1, 1]);
  });

  it('medic sync learns what waits, and says what still does', async () => {
    const store = new MemoryStore();
    api.status = 503;
    await record(store, 0);
    await learnRun(config(), store, 'r1', () => undefined);
    expect(await learnWaitingRuns(config(), store, () => undefined)).toEqual({ learned: 0, waiting: 1 });
    api.status = 0;
    await later(store);
    expect(await learnWaitingRuns(config(), store, () => undefined)).toEqual({ learned: 1, waiting: 0 });
    expect((await learned(store)).waiting).toEqual([]);
    expect((await store.listFailurePatterns()).map((p) => p.count)).toEqual([1, 1]);
    expect(await learnWaitingRuns(config(), store, () => undefined)).toEqual({ learned: 0, waiting: 0 });
  });
});
