import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { findChroma, startChroma } from '../../test/helpers/chromaServer.js';
import { MemoryStore } from '../store/memory.js';
import { fallbackIndex } from './fallbackIndex.js';
import { localIndex } from './localIndex.js';
import { freePort } from '../../test/helpers/freePort.js';
import { isMedicError } from '../errors.js';
import { chromaCollectionName, chromaIndex, chromaWhere } from './chromaIndex.js';
import { indexContract } from './contract.index.testkit.js';

const server = await findChroma();
afterAll(() => server?.stop());

describe.skipIf(!server)('chroma index (real server)', () => {
  if (server) indexContract('chroma', async (collection, embedder) => chromaIndex({ url: server.url, collection, embedder, prefix: `t${randomUUID().slice(0, 8)}-` }));

  it('keeps the vectors of each embedder in a collection of their own', async () => {
    const prefix = `t${randomUUID().slice(0, 8)}-`;
    await chromaIndex({ url: server!.url, collection: 'failures', embedder: { id: 'hashing:4', dimension: 4 }, prefix }).upsert([{ id: 'a', vector: [1, 0, 0, 0] }]);
    expect(await chromaIndex({ url: server!.url, collection: 'failures', embedder: { id: 'hashing:4', dimension: 4 }, prefix }).count()).toBe(1);
    expect(await chromaIndex({ url: server!.url, collection: 'failures', embedder: { id: 'openai:8', dimension: 8 }, prefix }).count()).toBe(0);
  });
});

describe.skipIf(!server)('chroma in front of the local index', () => {
  it('answers from the local index, with one warning, once the server is gone; nothing written is lost', async () => {
    const own = await startChroma(); // a server of this test's own, to stop
    const store = new MemoryStore();
    const embedder = { id: 'hashing:4', dimension: 4 };
    const warnings: string[] = [];
    const index = fallbackIndex(chromaIndex({ url: own.url, collection: 'failures', embedder }), localIndex(store, 'failures', embedder), (m) => warnings.push(m));
    await index.upsert([{ id: 'up', vector: [1, 0, 0, 0], metadata: { project: 'shop' } }]);
    expect(await index.count()).toBe(1);
    expect(index.serving()).toBe('chroma');
    await own.stop();
    await index.upsert([{ id: 'down', vector: [0, 1, 0, 0], metadata: { project: 'shop' } }]);
    expect((await index.query([0, 1, 0, 0], { k: 2, where: { project: 'shop' } })).map((h) => h.id)).toEqual(['down', 'up']);
    expect(await index.count()).toBe(2);
    expect(index.serving()).toBe('local');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^medic: the chroma vector index is unavailable \(Chroma at http:\/\/127\.0\.0\.1:\d+ \(collection medic-failures-hashing-4\) could not store vectors[\s\S]*looked up in the local index for now\.$/);
  });
});

describe('chroma index (no server)', () => {
  it('fails with the address and the fix', async () => {
    const port = await freePort();
    const index = chromaIndex({ url: `http://127.0.0.1:${port}`, collection: 'failures', embedder: { id: 'hashing:4', dimension: 4 } });
    const error = await index.query([1, 0, 0, 0]).catch((e: unknown) => e);
    expect(isMedicError(error)).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`Chroma at http://127\\.0\\.0\\.1:${port} \\(collection medic-failures-hashing-4\\) could not look up vectors[\\s\\S]*Fix: Check that the Chroma server runs`));
  });

  it('names collections as Chroma allows and translates filters', () => {
    expect(chromaCollectionName('medic-', 'failures', 'hashing:512:3,4:2')).toBe('medic-failures-hashing-512-3-4-2');
    expect(chromaWhere({ category: 'timeout' })).toEqual({ category: { $eq: 'timeout' } });
    expect(chromaWhere({ category: ['a', 'b'], specific: true })).toEqual({ $and: [{ category: { $in: ['a', 'b'] } }, { specific: { $eq: true } }] });
    expect(chromaWhere({})).toBeUndefined();
    expect(() => chromaIndex({ url: 'redis://x', collection: 'c', embedder: { id: 'e', dimension: 4 } })).toThrow(/http:\/\/ or https:\/\/ URL of a Chroma server/);
  });
});
