// The VectorIndex contract: one suite every index (local, chroma) must pass.
import { describe, expect, it } from 'vitest';
import type { Embedder } from './embedder.js';
import { hashingEmbedder } from './embedder.js';
import type { VectorIndex } from './VectorIndex.js';

/** `open` gives a new, empty index of that collection and embedder. */
export function indexContract(name: string, open: (collection: string, embedder: Pick<Embedder, 'id' | 'dimension'>) => Promise<VectorIndex>): void {
  describe(`VectorIndex contract: ${name}`, () => {
    it('finds the nearest vectors, filtered by metadata, best first, with cosine scores', async () => {
      const e = hashingEmbedder({ dimension: 128 });
      const index = await open('failures', e);
      const texts = ['checkout total wrong', 'cart badge missing', 'checkout button missing', 'login failed'];
      const vectors = await e.embed(texts);
      await index.upsert(vectors.map((vector, i) => ({ id: `p${i}`, vector, metadata: { category: i === 1 || i === 2 ? 'selector_missing' : 'assertion', rank: i, fresh: i > 1 } })));
      const [q] = await e.embed(['checkout button is missing']);
      const hits = await index.query(q!, { k: 2 });
      expect(hits.map((h) => h.id)).toEqual(['p2', expect.any(String)]);
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
      expect(hits[0]!.metadata).toEqual({ category: 'selector_missing', rank: 2, fresh: true });
      const cosine = Array.from(q!).reduce((sum, x, i) => sum + x * vectors[2]![i]!, 0);
      expect(hits[0]!.score).toBeCloseTo(cosine, 4);
      expect((await index.query(q!, { k: 5, where: { category: 'assertion' } })).map((h) => h.id)).toEqual(['p0', 'p3']);
      expect((await index.query(q!, { k: 5, where: { category: ['assertion', 'other'], fresh: true } })).map((h) => h.id)).toEqual(['p3']);
      expect(await index.count()).toBe(4);
      expect(await index.count({ category: 'selector_missing' })).toBe(2);
      await index.delete(['p2']);
      expect((await index.query(q!, { k: 1 }))[0]!.id).not.toBe('p2');
      expect(await index.count()).toBe(3);
    });

    it('replaces a vector by id, and keeps items without metadata', async () => {
      const index = await open('successes', { id: 'hashing:4', dimension: 4 });
      await index.upsert([{ id: 'a', vector: [1, 0, 0, 0] }, { id: 'b', vector: [0, 1, 0, 0], metadata: { project: 'shop' } }]);
      await index.upsert([{ id: 'a', vector: [0, 0, 1, 0] }]);
      expect(await index.count()).toBe(2);
      const [hit] = await index.query([0, 0, 1, 0], { k: 1 });
      expect(hit).toEqual({ id: 'a', score: expect.closeTo(1, 5), metadata: {} });
      expect((await index.query([0, 1, 0, 0], { k: 5, where: { project: 'shop' } })).map((h) => h.id)).toEqual(['b']);
    });

    it('refuses vectors of another dimension and a k below 1', async () => {
      const index = await open('failures', { id: 'hashing:4', dimension: 4 });
      await expect(index.upsert([{ id: 'x', vector: [1, 0] }])).rejects.toThrow(/2 dimensions; the failures index of hashing:4 has 4/);
      await expect(index.query([1, 0, 0, 0], { k: 0 })).rejects.toThrow(/k must be/);
      expect(await index.query([1, 0, 0, 0])).toEqual([]);
    });
  });
}
