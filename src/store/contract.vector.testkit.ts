// The adapter contract for failure patterns and stored vectors (run by storeContract).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VectorRecordInput } from '../vector/records.js';
import { mergeOccurrence, recordFix, type FailureOccurrence } from '../learning/failurePatterns.js';
import type { KnowledgeStore } from './KnowledgeStore.js';
import { EXECUTIONS_KEPT, type StrategyExecution } from '../learning/strategies.js';
import { mergeSuccess } from '../learning/successPatterns.js';

const vec = (id: string, vector: number[], metadata: Record<string, string | number | boolean> = {}, collection = 'failures'): VectorRecordInput => ({
  collection,
  id,
  embedder: 'hashing:4',
  vector,
  metadata,
});

export function vectorContract(name: string, open: () => Promise<KnowledgeStore>): void {
  describe(`KnowledgeStore contract (vectors): ${name}`, () => {
    let store: KnowledgeStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('keeps vectors per collection, replaces by id in place, and filters by embedder and metadata', async () => {
      await store.putVectors([
        vec('a', [1, 0, 0, 0], { category: 'timeout', count: 2 }),
        vec('b', [0, 0.5, 0, 0.25], { category: 'assertion', fresh: true }),
        vec('a', [0, 1, 0, 0], { category: 'timeout' }, 'successes'),
      ]);
      await store.putVectors([vec('a', [0.5, 0.5, 0, 0], { category: 'selector_missing' })]);
      const failures = await store.listVectors({ collection: 'failures' });
      expect(failures.map((v) => [v.id, v.vector, v.metadata])).toEqual([
        ['a', [0.5, 0.5, 0, 0], { category: 'selector_missing' }],
        ['b', [0, 0.5, 0, 0.25], { category: 'assertion', fresh: true }],
      ]);
      expect((await store.listVectors({ collection: 'failures', where: { category: ['assertion', 'timeout'] } })).map((v) => v.id)).toEqual(['b']);
      expect(await store.listVectors({ collection: 'failures', where: { fresh: true, category: 'assertion' } })).toHaveLength(1);
      expect(await store.listVectors({ collection: 'failures', embedder: 'openai:3' })).toEqual([]);
      expect((await store.listVectors({ collection: 'successes' }))[0]!.vector).toEqual([0, 1, 0, 0]);
      await store.deleteVectors('failures', ['a', 'missing']);
      expect((await store.listVectors({ collection: 'failures' })).map((v) => v.id)).toEqual(['b']);
      expect(await store.listVectors({ collection: 'successes' })).toHaveLength(1);
    });

    it('keeps failure patterns by project and id, most recently seen first, filtered by category', async () => {
      const o = (id: string, at: string, category = 'timeout', project = 'shop'): FailureOccurrence => ({
        project, runId: 'run-1', testKey: `t-${id}`, feature: 'cart.spec.ts › cart', category, signature: `sig-${id}`, message: `m ${id}`, at,
      });
      const a = recordFix(mergeOccurrence(undefined, o('a', '2026-12-01T10:00:00.000Z'), 'fp-a'), { strategy: 'relocate', to: "page.getByTestId('x')" }, true, '2026-12-01T10:00:00.000Z');
      const b = mergeOccurrence(undefined, o('b', '2026-12-02T10:00:00.000Z', 'assertion'), 'fp-b');
      const c = mergeOccurrence(undefined, o('c', '2026-12-03T10:00:00.000Z', 'timeout', 'other'), 'fp-a');
      await store.putFailurePatterns([a, b, c]);
      expect((await store.listFailurePatterns({ project: 'shop' })).map((p) => p.id)).toEqual(['fp-b', 'fp-a']);
      expect(await store.listFailurePatterns({ project: 'shop', category: 'timeout' })).toEqual([a]);
      const a2 = mergeOccurrence(a, o('a', '2026-12-04T10:00:00.000Z'), 'fp-a');
      await store.putFailurePatterns([a2]);
      expect(await store.listFailurePatterns({ project: 'shop', limit: 1 })).toEqual([a2]);
      expect(await store.listFailurePatterns()).toHaveLength(3);
      await expect(store.putFailurePatterns([{ ...b, id: 'fp-ok' }, { ...b, count: 0 }])).rejects.toThrow();
      expect(await store.listFailurePatterns({ project: 'shop' })).toHaveLength(2);
    });

    it('keeps success patterns by project and id, most recently seen first, filtered by feature; all or nothing', async () => {
      const o = (feature: string, at: string, project = 'shop') => ({ project, feature, testKey: `chromium › ${feature} › t`, passed: true, steps: ['click', 'expect toBeVisible'], locators: ["page.getByRole('button')"], durationMs: 100, at });
      const a = mergeSuccess(undefined, o('cart.spec.ts › cart', '2026-12-01T10:00:00.000Z'), 'sp-a');
      const b = mergeSuccess(undefined, o('login.spec.ts', '2026-12-02T10:00:00.000Z'), 'sp-b');
      const c = mergeSuccess(undefined, o('cart.spec.ts › cart', '2026-12-03T10:00:00.000Z', 'other'), 'sp-a');
      await store.putSuccessPatterns([a, b, c]);
      expect((await store.listSuccessPatterns({ project: 'shop' })).map((p) => p.id)).toEqual(['sp-b', 'sp-a']);
      expect(await store.listSuccessPatterns({ project: 'shop', feature: 'cart.spec.ts › cart' })).toEqual([a]);
      const a2 = mergeSuccess(a, o('cart.spec.ts › cart', '2026-12-04T10:00:00.000Z'), 'sp-a');
      await store.putSuccessPatterns([a2]);
      expect(await store.listSuccessPatterns({ project: 'shop', limit: 1 })).toEqual([a2]);
      await expect(store.putSuccessPatterns([{ ...b, id: 'sp-ok' }, { ...b, passes: -1 }])).rejects.toThrow();
      expect(await store.listSuccessPatterns()).toHaveLength(3);
    });

    it('keeps strategy executions per run (a run recorded twice counts once), newest first, the newest EXECUTIONS_KEPT per key', async () => {
      const e = (runId: string, minute: number, over: Partial<StrategyExecution> = {}): StrategyExecution => ({
        project: 'shop', runId, strategy: 'relocate', taskType: 'selector_missing', complexity: 'simple', success: true, durationMs: 40, costUsd: 0,
        at: new Date(Date.UTC(2026, 11, 1, 0, minute)).toISOString(), ...over,
      });
      await store.recordStrategyExecutions('run-1', [e('run-1', 1), e('run-1', 2, { strategy: 'retry', taskType: 'timeout', success: false, costUsd: null })]);
      await store.recordStrategyExecutions('run-2', [e('run-2', 3, { project: 'other' })]);
      await store.recordStrategyExecutions('run-1', [e('run-1', 1), e('run-1', 2, { strategy: 'retry', taskType: 'timeout', success: false, costUsd: null })]);
      expect((await store.listStrategyExecutions()).map((x) => `${x.project}:${x.strategy}:${x.at.slice(14, 16)}`)).toEqual(['other:relocate:03', 'shop:retry:02', 'shop:relocate:01']);
      expect(await store.listStrategyExecutions({ project: 'shop', taskType: 'timeout' })).toEqual([e('run-1', 2, { strategy: 'retry', taskType: 'timeout', success: false, costUsd: null })]);
      expect(await store.listStrategyExecutions({ strategy: 'relocate', limit: 1 })).toHaveLength(1);
      await expect(store.recordStrategyExecutions('run-3', [e('run-3', 5), e('run-4', 6)])).rejects.toThrow(/every execution must be of run run-3/);
      await expect(store.recordStrategyExecutions('run-3', [e('run-3', 5, { durationMs: -1 })])).rejects.toThrow();
      expect(await store.listStrategyExecutions({ project: 'shop' })).toHaveLength(2);
      // Bounded: a long history keeps the newest of each (project, strategy, task type) only.
      const many = Array.from({ length: EXECUTIONS_KEPT + 3 }, (_, i) => e('run-5', 10 + i));
      await store.recordStrategyExecutions('run-5', many);
      const kept = await store.listStrategyExecutions({ project: 'shop', strategy: 'relocate' });
      expect(kept).toHaveLength(EXECUTIONS_KEPT);
      expect(kept[0]!.at).toBe(many.at(-1)!.at);
      expect(await store.listStrategyExecutions({ project: 'shop', strategy: 'retry' })).toHaveLength(1);
      expect(await store.listStrategyExecutions({ project: 'other' })).toHaveLength(1);
    });

    it('refuses a whole batch with an invalid record', async () => {
      await expect(store.putVectors([vec('ok', [1, 0]), { ...vec('bad', []), vector: [] }])).rejects.toThrow(/vector/);
      await expect(store.putVectors([vec('nan', [Number.NaN])])).rejects.toThrow();
      expect(await store.listVectors({ collection: 'failures' })).toEqual([]);
    });
  });
}
