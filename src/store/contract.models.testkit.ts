// The adapter contract for fitted models (run by storeContract).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KnowledgeStore } from './KnowledgeStore.js';
import type { ModelRecord } from './models.js';

/**
 * The risk model of project `shop`, fitted 2026-11-24 10:00 UTC.
 * @example makeModel({ project: 'admin', data: { weights: { recentFailures: 2 } } })
 */
export function makeModel(overrides: Partial<ModelRecord> = {}): ModelRecord {
  return {
    project: 'shop',
    name: 'risk',
    at: '2026-11-24T10:00:00.000Z',
    data: { kind: 'logistic', weights: { recentFailures: 1.5, failureRate: 0.75 }, bias: -2, runs: 12 },
    ...overrides,
  };
}

/**
 * What every adapter must do with fitted models: round trip, replace whole, absent keys,
 * other keys untouched, invalid records refused, `data` of any shape kept as it is.
 * @example modelContract('memory', async () => new MemoryStore());
 */
export function modelContract(name: string, open: () => Promise<KnowledgeStore>): void {
  describe(`KnowledgeStore contract (fitted models): ${name}`, () => {
    let store: KnowledgeStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('keeps every field of a model and returns copies; no run needs to be started', async () => {
      const model = makeModel();
      await store.putModel(model);
      const got = await store.getModel('shop', 'risk');
      expect(got).toEqual(model);
      (got!.data.weights as Record<string, number>).recentFailures = 9;
      got!.data.extra = true;
      expect(await store.getModel('shop', 'risk')).toEqual(model);
      expect(await store.listModels()).toEqual([model]);
    });

    it('replaces the model of the same (project, name) whole, never merging the two', async () => {
      await store.putModel(makeModel());
      const refit = makeModel({ at: '2026-11-25T10:00:00.000Z', data: { kind: 'weighted', version: 2 } });
      await store.putModel(refit);
      expect(await store.getModel('shop', 'risk')).toEqual(refit); // none of the first model's weights, bias or runs
      expect(await store.listModels({ project: 'shop' })).toEqual([refit]);
    });

    it('answers undefined for a model it does not have', async () => {
      expect(await store.getModel('shop', 'risk')).toBeUndefined();
      await store.putModel(makeModel());
      expect(await store.getModel('shop', 'healing')).toBeUndefined();
      expect(await store.getModel('admin', 'risk')).toBeUndefined();
      expect(await store.getModel('sho', 'prisk')).toBeUndefined(); // the key's parts do not run together
      expect(await store.listModels({ project: 'admin' })).toEqual([]);
    });

    it("leaves another project's or another name's model as it is; lists by project, then name", async () => {
      const admin = makeModel({ project: 'admin', data: { admin: true } });
      const healing = makeModel({ name: 'healing', data: { threshold: 0.8 } });
      await store.putModel(makeModel());
      await store.putModel(admin);
      await store.putModel(healing);
      const refit = makeModel({ at: '2026-11-25T10:00:00.000Z', data: { refit: 1 } });
      await store.putModel(refit);
      expect(await store.getModel('admin', 'risk')).toEqual(admin);
      expect(await store.getModel('shop', 'healing')).toEqual(healing);
      expect(await store.getModel('shop', 'risk')).toEqual(refit);
      expect(await store.listModels()).toEqual([admin, healing, refit]);
      expect(await store.listModels({ project: 'shop' })).toEqual([healing, refit]);
    });

    it('refuses an invalid model and writes nothing of it', async () => {
      const kept = makeModel();
      await store.putModel(kept);
      const bad: [string, unknown][] = [
        ['project', makeModel({ project: '' })],
        ['name', makeModel({ name: '' })],
        ['name', makeModel({ name: 'x'.repeat(101) })],
        ['at', makeModel({ at: 'yesterday', data: { replaced: true } })],
        ['data', makeModel({ data: [1, 2] as unknown as Record<string, unknown> })],
        ['data', makeModel({ data: null as unknown as Record<string, unknown> })],
        ['extra', { ...makeModel({ data: { replaced: true } }), extra: 1 }],
      ];
      for (const [field, model] of bad) await expect(store.putModel(model as ModelRecord), field).rejects.toThrow(new RegExp(field));
      expect(await store.getModel('shop', 'risk')).toEqual(kept);
      expect(await store.getModel('shop', 'x'.repeat(101))).toBeUndefined();
      expect(await store.listModels()).toEqual([kept]);
      await expect(store.listModels({ name: 'risk' } as never)).rejects.toThrow(/name/);
    });

    it('keeps data of any shape as it is: the store never reads a model, its owner does', async () => {
      const odd = makeModel({
        name: 'risk-v9',
        data: { version: 99, weights: [[0.1, -2], []], nested: { deeper: [null, true, 'x', { a: 1 }] }, 'an odd key ›': {}, empty: '', zero: 0 },
      });
      const bare = makeModel({ project: 'admin', data: {} });
      await store.putModel(odd);
      await store.putModel(bare);
      expect(await store.getModel('shop', 'risk-v9')).toEqual(odd);
      expect(await store.getModel('admin', 'risk')).toEqual(bare);
    });
  });
}
