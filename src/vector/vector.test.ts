import { describe, expect, it } from 'vitest';
import { isMedicConfigError } from '../errors.js';
import { MemoryStore } from '../store/memory.js';
import { cosine } from './cosine.js';
import { hashingEmbedder, words } from './embedder.js';
import { localIndex } from './localIndex.js';

describe('hashingEmbedder', () => {
  it('is deterministic, L2-normalised and blind to the numbers that vary between runs', async () => {
    const e = hashingEmbedder({ dimension: 256 });
    const [a, b, c] = await e.embed(['Timeout 5000ms exceeded on port 4455', 'Timeout 30000ms exceeded on port 61234', 'Timeout 5000ms exceeded on port 4455']);
    expect(Array.from(a!)).toEqual(Array.from(c!));
    expect(cosine(a!, b!)).toBeCloseTo(1, 5);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 5);
    expect(Array.from((await e.embed(['  ... ']))[0]!).every((x) => x === 0)).toBe(true);
    expect(e.id).toBe('hashing:256:3,4:2');
  });

  it('puts the same failure in other words nearer than another failure', async () => {
    const e = hashingEmbedder();
    const [missing, missingToo, assertion] = await e.embed([
      "locator.click: Timeout exceeded. waiting for locator('#cart-count')",
      "locator.fill: Timeout exceeded. waiting for getByTestId('cart-counter')",
      'expect(locator).toHaveText(expected) failed. Expected: "$74.00" Received: "$59.00"',
    ]);
    expect(cosine(missing!, missingToo!)).toBeGreaterThan(cosine(missing!, assertion!) + 0.2);
  });

  it('splits camelCase and folds digits and hex ids', () => {
    expect(words('TimeoutError: net::ERR_CONNECTION_REFUSED at 127.0.0.1:4455 id deadbeef42')).toEqual([
      'timeout', 'error', 'net', 'err', 'connection', 'refused', 'at', '0', '0', '0', '0', '0', 'id', 'hexid',
    ]);
  });

  it('says what is wrong with its options', () => {
    expect(() => hashingEmbedder({ dimension: 3 })).toThrow(/dimension/);
    const error = (() => {
      try {
        hashingEmbedder({ ngrams: [1] });
      } catch (caught) {
        return caught;
      }
    })();
    expect(isMedicConfigError(error)).toBe(true);
  });
});

describe('localIndex', () => {
  it('finds the nearest vectors of its embedder, filtered by metadata, best first', async () => {
    const store = new MemoryStore();
    const e = hashingEmbedder({ dimension: 128 });
    const index = localIndex(store, 'failures', e);
    const texts = ['checkout total wrong', 'cart badge missing', 'checkout button missing', 'login failed'];
    const vectors = await e.embed(texts);
    await index.upsert(vectors.map((vector, i) => ({ id: `p${i}`, vector, metadata: { category: i === 1 || i === 2 ? 'selector_missing' : 'assertion' } })));
    const [q] = await e.embed(['checkout button is missing']);
    const hits = await index.query(q!, { k: 2 });
    expect(hits[0]!.id).toBe('p2');
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    expect((await index.query(q!, { k: 5, where: { category: 'assertion' } })).map((h) => h.id)).toEqual(['p0', 'p3']);
    expect(await index.count({ category: 'selector_missing' })).toBe(2);
    // Another embedder's index over the same collection sees none of them.
    expect(await localIndex(store, 'failures', { id: 'other', dimension: 128 }).count()).toBe(0);
    await index.delete(['p2']);
    expect((await index.query(q!, { k: 1 }))[0]!.id).not.toBe('p2');
  });

  it('refuses vectors of another dimension and a k below 1', async () => {
    const index = localIndex(new MemoryStore(), 'failures', { id: 'hashing:4', dimension: 4 });
    await expect(index.upsert([{ id: 'x', vector: [1, 0] }])).rejects.toThrow(/2 dimensions; the failures index of hashing:4 has 4/);
    await expect(index.query([1, 0, 0, 0], { k: 0 })).rejects.toThrow(/k must be/);
    expect(await index.query([1, 0, 0, 0])).toEqual([]);
  });
});
