import { MedicConfigError } from '../errors.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { similarityTo, topK, topKStream } from './cosine.js';
import type { Embedder } from './embedder.js';
import { whereSchema, type Where } from './records.js';
import type { VectorHit, VectorIndex } from './VectorIndex.js';

/**
 * The default vector index: a collection's vectors kept in the KnowledgeStore (so the embedded
 * SQLite file holds them, no server), searched exactly by cosine. Vectors of another embedder
 * in the same collection are never compared (its id is stored with each vector).
 * @example
 * const index = localIndex(store, 'failures', embedder);
 * const [v] = await embedder.embed([message]);
 * const near = await index.query(v, { k: 3, where: { category: 'timeout' } });
 */
export function localIndex(store: KnowledgeStore, collection: string, embedder: Pick<Embedder, 'id' | 'dimension'>): VectorIndex {
  const checkDimension = (vector: ArrayLike<number>, what: string) => {
    if (vector.length !== embedder.dimension) {
      throw new MedicConfigError(`A vector to ${what} has ${vector.length} dimensions; the ${collection} index of ${embedder.id} has ${embedder.dimension}.`, {
        fix: 'embed with the same embedder the index was opened with',
      });
    }
  };
  const queryOf = (where?: Where) => ({ collection, embedder: embedder.id, ...(where ? { where: whereSchema.parse(where) } : {}) });
  const list = (where?: Where) => store.listVectors(queryOf(where));
  return {
    kind: 'local',
    async upsert(items) {
      for (const item of items) checkDimension(item.vector, 'store');
      await store.putVectors(items.map((item) => ({ collection, id: item.id, embedder: embedder.id, vector: Array.from(item.vector), metadata: item.metadata ?? {} })));
    },
    async query(vector, options = {}) {
      checkDimension(vector, 'look up');
      const k = options.k ?? 10;
      if (!Number.isInteger(k) || k < 1) throw new MedicConfigError(`k must be a whole number ≥ 1, got ${String(k)}`, { fix: 'ask for k ≥ 1 neighbours' });
      if (store.scanVectors) {
        // The store's fast path: each vector scored as it is read, only the best k kept.
        const score = similarityTo(vector);
        const best = topKStream<Omit<VectorHit, 'score'>>(k);
        await store.scanVectors(queryOf(options.where), ({ id, vector: v, metadata }) => best.offer({ id, metadata }, score(v)));
        return best.result().map(({ item, score: s }): VectorHit => ({ ...item, score: s }));
      }
      return topK(vector, await list(options.where), k).map(({ item, score }): VectorHit => ({ id: item.id, score, metadata: item.metadata }));
    },
    async delete(ids) {
      await store.deleteVectors(collection, [...ids]);
    },
    async count(where) {
      if (!store.scanVectors) return (await list(where)).length;
      let n = 0;
      await store.scanVectors(queryOf(where), () => n++);
      return n;
    },
  };
}
