import { describe, expect, it } from 'vitest';
import { isMedicConfigError } from '../errors.js';
import { MemoryStore } from '../store/memory.js';
import { cosine, topK, topKStream } from './cosine.js';
import { hashingEmbedder, words } from './embedder.js';
import { localIndex } from './localIndex.js';
import { indexContract } from './contract.index.testkit.js';

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

indexContract('local', async (collection, embedder) => localIndex(new MemoryStore(), collection, embedder));

describe('localIndex', () => {
  it('keeps the vectors of each embedder apart in one store', async () => {
    const store = new MemoryStore();
    const e = hashingEmbedder({ dimension: 128 });
    await localIndex(store, 'failures', e).upsert([{ id: 'p0', vector: (await e.embed(['checkout total wrong']))[0]! }]);
    expect(await localIndex(store, 'failures', e).count()).toBe(1);
    expect(await localIndex(store, 'failures', { id: 'other', dimension: 128 }).count()).toBe(0);
  });
});

describe('top k', () => {
  it('keeps the best k of a stream, best first, the earlier of equal scores first', () => {
    const best = topKStream<string>(3);
    for (const [item, score] of [['a', 0.1], ['b', 0.9], ['c', 0.5], ['d', 0.9], ['e', 0.5], ['f', -1]] as const) best.offer(item, score);
    expect(best.result()).toEqual([
      { item: 'b', score: 0.9 },
      { item: 'd', score: 0.9 },
      { item: 'c', score: 0.5 },
    ]);
  });

  it('scores exactly, as a sort of every item would', () => {
    const items = Array.from({ length: 200 }, (_, i) => ({ id: i, vector: [Math.sin(i), Math.cos(i * 1.3), (i % 7) - 3] }));
    const query = [0.3, -0.2, 0.9];
    const sorted = items.map((item) => ({ item, score: cosine(query, item.vector) })).sort((x, y) => y.score - x.score || x.item.id - y.item.id);
    expect(topK(query, items, 10)).toEqual(sorted.slice(0, 10));
    expect(cosine([0, 0], [1, 0])).toBe(0);
  });
});
