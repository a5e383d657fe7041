// The adapter contract for risk predictions (run by storeContract).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PREDICTION_RUNS_KEPT, type RiskPrediction } from '../risk/predictions.js';
import type { KnowledgeStore } from './KnowledgeStore.js';

/**
 * A prediction of test `a` in run `run-1` of project `shop`, judged `failed`.
 * @example makePrediction({ runId: 'run-2', testKey: 'b', outcome: 'passed' })
 */
export function makePrediction(overrides: Partial<RiskPrediction> = {}): RiskPrediction {
  return {
    project: 'shop',
    runId: 'run-1',
    testKey: 'chromium › a.spec.ts › suite › works',
    at: '2026-11-24T10:00:00.000Z',
    model: 'weighted',
    score: 0.4,
    factors: { recentFailures: 0.5, failureRate: 0.25 },
    outcome: 'failed',
    ...overrides,
  };
}

/** A moment `minutes` after 2026-11-24 00:00 UTC, as an ISO timestamp. */
const minute = (minutes: number) => new Date(Date.UTC(2026, 10, 24, 0, minutes)).toISOString();
/** `run-007`: run ids that sort as their numbers do. */
const run = (i: number) => `run-${String(i).padStart(3, '0')}`;
/** What identifies each prediction of a list, in its order. */
const keys = (predictions: RiskPrediction[]) => predictions.map((p) => `${p.project}/${p.runId}/${p.testKey}`);

/**
 * What every adapter must do with risk predictions: round trip, replace by key, order, filters,
 * all-or-nothing batches, records of other versions, and keeping each project's newest runs.
 * @example riskContract('memory', async () => new MemoryStore());
 */
export function riskContract(name: string, open: () => Promise<KnowledgeStore>): void {
  describe(`KnowledgeStore contract (risk predictions): ${name}`, () => {
    let store: KnowledgeStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('keeps every field of a prediction and returns copies; no run needs to be started', async () => {
      const a = makePrediction();
      const b = makePrediction({ testKey: 'chromium › b.spec.ts › other', score: 0, factors: {}, outcome: 'flaky', model: 'logistic-2026-11' });
      await store.recordPredictions([a, b]);
      await store.recordPredictions([]);
      const listed = await store.listPredictions();
      expect(listed).toEqual([a, b]);
      listed[0]!.factors.recentFailures = 1;
      expect((await store.listPredictions())[0]).toEqual(a);
    });

    it('replaces a prediction recorded again under the same (project, run, test), also within one batch', async () => {
      await store.recordPredictions([makePrediction(), makePrediction({ project: 'other' })]);
      await store.recordPredictions([makePrediction({ score: 0.9, outcome: 'passed' })]);
      await store.recordPredictions([makePrediction({ testKey: 'b', score: 0.1 }), makePrediction({ testKey: 'b', score: 0.2 })]);
      const shop = await store.listPredictions({ project: 'shop' });
      expect(shop.map((p) => [p.testKey, p.score, p.outcome])).toEqual([
        ['b', 0.2, 'failed'],
        [makePrediction().testKey, 0.9, 'passed'],
      ]);
      expect(await store.listPredictions({ project: 'other' })).toEqual([makePrediction({ project: 'other' })]);
    });

    it('lists newest first by `at`, then run id descending, then test key ascending; filters by project and run; limits', async () => {
      await store.recordPredictions([
        makePrediction({ runId: 'r1', testKey: 'b', at: minute(1) }),
        makePrediction({ runId: 'r1', testKey: 'a', at: minute(1) }),
        makePrediction({ runId: 'r2', testKey: 'c', at: minute(1) }),
        makePrediction({ runId: 'r0', testKey: 'z', at: minute(2) }),
        makePrediction({ project: 'other', runId: 'r1', testKey: 'a', at: minute(0) }),
      ]);
      expect(keys(await store.listPredictions())).toEqual(['shop/r0/z', 'shop/r2/c', 'shop/r1/a', 'shop/r1/b', 'other/r1/a']);
      expect(keys(await store.listPredictions({ project: 'shop', runId: 'r1' }))).toEqual(['shop/r1/a', 'shop/r1/b']);
      expect(keys(await store.listPredictions({ runId: 'r1' }))).toEqual(['shop/r1/a', 'shop/r1/b', 'other/r1/a']);
      expect(keys(await store.listPredictions({ project: 'other' }))).toEqual(['other/r1/a']);
      expect(keys(await store.listPredictions({ limit: 2 }))).toEqual(['shop/r0/z', 'shop/r2/c']);
      expect(await store.listPredictions({ project: 'none' })).toEqual([]);
      expect(await store.listPredictions({ runId: 'none' })).toEqual([]);
    });

    it('refuses a whole batch with one invalid prediction, and queries it cannot answer', async () => {
      await store.recordPredictions([makePrediction()]);
      const bad = [makePrediction({ testKey: 'b' }), makePrediction({ testKey: 'c', score: 1.5 })];
      await expect(store.recordPredictions(bad)).rejects.toThrow(/score/);
      await expect(store.recordPredictions([makePrediction({ testKey: 'b' }), { ...makePrediction({ testKey: 'c' }), extra: 1 } as RiskPrediction])).rejects.toThrow(/extra/);
      await expect(store.recordPredictions([makePrediction({ at: 'yesterday' })])).rejects.toThrow(/at/);
      await expect(store.recordPredictions([makePrediction({ factors: { recentFailures: 2 } })])).rejects.toThrow(/factors/);
      expect(await store.listPredictions()).toEqual([makePrediction()]);
      await expect(store.listPredictions({ limit: 0 })).rejects.toThrow(/limit/);
      await expect(store.listPredictions({ testKey: 'a' } as never)).rejects.toThrow(/testKey/);
    });

    it('reads predictions of another version, which names other factors', async () => {
      const older = makePrediction({ model: 'weighted-v0', factors: { staleSelectors: 0.5, retired_factor: 1, 'an older one': 0 } });
      await store.recordPredictions([older]);
      expect(await store.listPredictions({ project: 'shop' })).toEqual([older]);
    });

    it(`keeps the predictions of each project's newest ${PREDICTION_RUNS_KEPT} runs, a run's time its latest prediction`, async () => {
      const other = makePrediction({ project: 'other', runId: 'ancient', at: minute(0) });
      await store.recordPredictions([other]);
      // Runs 1..PREDICTION_RUNS_KEPT in one batch, one prediction each, run i at minute i.
      await store.recordPredictions(Array.from({ length: PREDICTION_RUNS_KEPT }, (_, i) => makePrediction({ runId: run(i + 1), at: minute(i + 1) })));
      expect(await store.listPredictions({ project: 'shop' })).toHaveLength(PREDICTION_RUNS_KEPT);
      // One run more: the oldest run's prediction goes; the other project keeps its own.
      await store.recordPredictions([makePrediction({ runId: run(PREDICTION_RUNS_KEPT + 1), at: minute(PREDICTION_RUNS_KEPT + 1) })]);
      const runs = () => store.listPredictions({ project: 'shop' }).then((list) => new Set(list.map((p) => p.runId)));
      expect((await runs()).size).toBe(PREDICTION_RUNS_KEPT);
      expect((await runs()).has(run(1))).toBe(false);
      expect(await store.listPredictions({ project: 'other' })).toEqual([other]);
      // A run older than every kept one goes at once.
      await store.recordPredictions([makePrediction({ runId: 'late', at: minute(0) })]);
      expect((await runs()).has('late')).toBe(false);
      // Run 2, the oldest kept, gets a new prediction: it is the newest run now, and run 3 goes next.
      await store.recordPredictions([makePrediction({ runId: run(2), testKey: 'b', at: minute(500) })]);
      await store.recordPredictions([makePrediction({ runId: 'next', at: minute(400) })]);
      const kept = await runs();
      expect([kept.has(run(2)), kept.has(run(3)), kept.has('next'), kept.size]).toEqual([true, false, true, PREDICTION_RUNS_KEPT]);
      expect(await store.listPredictions({ runId: run(2) })).toHaveLength(2);
      // Two runs more: the older goes, and of the two of one time at the edge (run-004's), the lesser run id.
      await store.recordPredictions([makePrediction({ runId: 'run-003a', at: minute(3) }), makePrediction({ runId: 'run-003b', at: minute(4) })]);
      expect([...(await runs())].filter((id) => id.startsWith('run-00')).sort()).toEqual([2, 4, 5, 6, 7, 8, 9].map(run));
    });
  });
}
