import { beforeEach, describe, expect, it } from 'vitest';
import type { FailurePattern } from '../learning/failurePatterns.js';
import { learnStrategies } from '../learning/strategyLearner.js';
import { makeHeal, makeObservation } from '../store/contract.learning.testkit.js';
import { makeRun } from '../store/contract.testkit.js';
import { MemoryStore } from '../store/memory.js';
import { decide } from './decide.js';
import { reviewEntries, type ReviewEntry } from './queue.js';

const SAVE = { selector: 'internal:role=button[name="Save"i]', code: "getByRole('button', { name: 'Save' })" };
const SAVE_ID = { selector: 'internal:testid=[data-testid="save"s]', code: "getByTestId('save')" };
const NOW = new Date('2026-11-25T09:00:00.000Z');

let store: MemoryStore;
const entries = async () => reviewEntries(await store.listHeals({ project: 'default' }), await store.listFailurePatterns({ project: 'default' }), { threshold: 0.84 });
const pairOf = (list: ReviewEntry[]) => list.find((e) => e.kind === 'heal' && e.item.to === SAVE_ID.code)!;
const outcomes = async (runId: string) => (await store.listStrategyExecutions({ project: 'default' })).filter((e) => e.runId === runId).map((e) => `${e.strategy}:${e.success}`);

beforeEach(async () => {
  store = new MemoryStore();
  await store.startRun(makeRun({ id: 'run-1' }));
  await store.startRun(makeRun({ id: 'run-2', startedAt: '2026-11-24T11:00:00.000Z' }));
  await store.recordHeals([
    makeHeal({ runId: 'run-1', confidence: 0.86 }),
    makeHeal({ runId: 'run-2', strategy: 'known_fix', confidence: 1, at: '2026-11-24T11:00:02.000Z' }),
    makeHeal({ runId: 'run-2', id: 'id-2#0#1', from: SAVE_ID, to: undefined, outcome: 'abstained', confidence: 0.4 }),
  ]);
  await store.recordSelectors('default', [makeObservation(), makeObservation({ outcome: 'healed', fingerprint: undefined, healedTo: SAVE_ID, run: 'run-1', at: '2026-11-24T10:00:03.000Z' })]);
  for (const runId of ['run-1', 'run-2']) await learnStrategies(store, runId);
});

describe('decide', () => {
  it('rejects a heal: every run’s heal of the pair, the catalog never offers it again, and its strategies count a failure', async () => {
    expect(await outcomes('run-1')).toEqual(['relocate:true']);
    const [result] = await decide(store, 'default', [{ entry: pairOf(await entries()), decision: 'reject' }], NOW);
    expect(result).toMatchObject({ kind: 'heal', state: 'rejected', heals: 2, runs: 2, pageKey: '/orders/:id', from: SAVE.code, to: SAVE_ID.code });
    expect((await store.listHeals({ project: 'default', review: 'rejected' })).map((h) => h.runId).sort()).toEqual(['run-1', 'run-2']);
    const [record] = await store.listSelectors({ project: 'default', selector: SAVE.selector });
    expect(record!.alternatives).toEqual([]);
    expect(record!.rejected).toEqual([{ ...SAVE_ID, at: NOW.toISOString() }]);
    expect(await outcomes('run-1')).toEqual(['relocate:false']);
    expect((await outcomes('run-2')).sort()).toEqual(['known_fix:false', 'relocate:false']);
    expect(pairOf(await entries()).item.state).toBe('rejected');
  });

  it('accepts a heal: the locator is the known fix, first, and confidence rises once; a changed mind undoes a rejection', async () => {
    const before = (await store.listSelectors({ project: 'default', selector: SAVE.selector }))[0]!;
    await decide(store, 'default', [{ entry: pairOf(await entries()), decision: 'reject' }], NOW);
    await decide(store, 'default', [{ entry: pairOf(await entries()), decision: 'accept' }], new Date(NOW.getTime() + 1000));
    const [record] = await store.listSelectors({ project: 'default', selector: SAVE.selector });
    expect(record!.rejected).toBeUndefined();
    expect(record!.alternatives).toEqual([{ ...SAVE_ID, timesUsed: 0, lastUsed: '2026-11-25T09:00:01.000Z', acceptedAt: '2026-11-25T09:00:01.000Z' }]);
    expect(record!.confidence).toBeCloseTo(before.confidence + (1 - before.confidence) * 0.25);
    expect((await store.listHeals({ project: 'default', review: 'accepted' })).length).toBe(2);
    expect(await outcomes('run-1')).toEqual(['relocate:true']);
  });

  it('dismisses an abstention and a failure pattern, and refuses to accept an abstention before writing anything', async () => {
    const pattern: FailurePattern = {
      id: 'fp-1', project: 'default', category: 'timeout', signatures: ['sig-a'], count: 1, firstSeen: '2026-11-24T10:00:00.000Z', lastSeen: '2026-11-24T10:00:00.000Z',
      runs: ['run-1'], tests: ['t'], features: ['f'], examples: ['Error: x'], knownFixes: [],
    };
    await store.putFailurePatterns([pattern]);
    const list = await entries();
    const abstention = list.find((e) => e.kind === 'heal' && e.item.outcome === 'abstained')!;
    const failure = list.find((e) => e.kind === 'failure')!;
    await expect(decide(store, 'default', [{ entry: failure, decision: 'reject' }, { entry: abstention, decision: 'accept' }], NOW)).rejects.toThrow(/no locator to accept/);
    expect((await store.listFailurePatterns())[0]!.review).toBeUndefined();
    const results = await decide(store, 'default', [{ entry: failure, decision: 'reject' }, { entry: abstention, decision: 'reject' }], NOW);
    expect(results.map((r) => r.state)).toEqual(['dismissed', 'rejected']);
    expect((await store.listFailurePatterns())[0]!.review).toEqual({ decision: 'dismissed', at: NOW.toISOString(), signature: 'sig-a' });
    expect((await entries()).filter((e) => e.item.state === 'pending').map((e) => e.item.to)).toEqual([SAVE_ID.code]);
  });

  it('waits for the project’s learning lock, so a learner and a review never interleave', async () => {
    const order: string[] = [];
    const entry = pairOf(await entries());
    const learner = store.exclusive('learn:default', async () => {
      await new Promise((done) => setTimeout(done, 50));
      order.push('learner');
    });
    await Promise.all([learner, decide(store, 'default', [{ entry, decision: 'accept' }], NOW).then(() => order.push('review'))]);
    expect(order).toEqual(['learner', 'review']);
  });
});
