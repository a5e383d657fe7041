import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { findChroma, startChroma } from '../../test/helpers/chromaServer.js';
import { MemoryStore } from '../store/memory.js';
import { fallbackIndex } from './fallbackIndex.js';
import { localIndex } from './localIndex.js';
import { freePort } from '../../test/helpers/freePort.js';
import { isMedicError } from '../errors.js';
import { chromaCollectionName, chromaIndex, chromaWhere } from './chromaIndex.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spool } from '../resilience/spool.js';
import { pendingVectors, replayChromaSpool, vectorSpoolTarget } from './pendingVectors.js';
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

describe.skipIf(!server)('chroma that misses writes: the spool', () => {
  const embedder = { id: 'hashing:4', dimension: 4 };
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const setUp = (url: string, prefix = 'medic-') => {
    dir = mkdtempSync(join(tmpdir(), 'medic-vspool-'));
    const spool = Spool.open(join(dir, 'spool.db'));
    const scope = { url, prefix, collection: 'failures', embedder };
    const server = chromaIndex(scope);
    const pending = pendingVectors(spool, vectorSpoolTarget(server.location), scope);
    return { spool, scope, server, pending };
  };

  it('keeps what the server missed, in order, and sends it before the server answers again', async () => {
    const own = await startChroma();
    try {
      const { spool, scope, server, pending } = setUp(own.url);
      const store = new MemoryStore();
      const warnings: string[] = [];
      const index = fallbackIndex(chromaIndex(scope), localIndex(store, 'failures', embedder), (m) => warnings.push(m), { pending, retryAfterMs: 50 });
      await index.upsert([{ id: 'a', vector: [1, 0, 0, 0], metadata: { v: 1 } }]);
      await own.halt!();
      await index.upsert([
        { id: 'b', vector: [0, 1, 0, 0], metadata: { v: 1 } },
        { id: 'c', vector: [0, 0, 1, 0], metadata: { v: 1 } },
      ]);
      await index.delete(['a']);
      await index.upsert([{ id: 'b', vector: [0, 1, 1, 0], metadata: { v: 2 } }]);
      expect(pending.waiting()).toBe(3);
      expect((await index.query([0, 1, 0, 0], { k: 3 })).map((h) => h.id)).toEqual(['b', 'c']);
      expect(index.serving()).toBe('local');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`Its writes wait in ${spool.path} and are sent when it is back`);

      await own.restart!();
      await new Promise((r) => setTimeout(r, 60)); // the breaker lets one call through again
      const hits = await index.query([0, 1, 0, 0], { k: 3 });
      expect(index.serving()).toBe('chroma');
      expect(pending.waiting()).toBe(0);
      expect(hits.map((h) => [h.id, h.metadata])).toEqual([
        ['b', { v: 2 }],
        ['c', { v: 1 }],
      ]);
      expect(await server.count()).toBe(2); // the server itself: 'a' deleted, 'b' replaced, nothing twice
      expect(warnings).toHaveLength(1);
      spool.close();
    } finally {
      await own.stop();
    }
  });

  it('medic sync sends the writes kept by a run that ended while the server was down, and leaves other servers\' alone', async () => {
    const { spool, scope, server: collection, pending } = setUp(server!.url, `t${randomUUID().slice(0, 8)}-`);
    pending.keepUpsert([{ id: 'x', vector: [1, 1, 0, 0], metadata: { project: 'shop' } }]);
    pending.keepUpsert([{ id: 'y', vector: [0, 1, 1, 0] }]);
    pending.keepDelete(['x']);
    const other = { ...scope, url: 'http://127.0.0.1:9', prefix: 'other-' };
    pendingVectors(spool, vectorSpoolTarget(chromaIndex(other).location), other).keepUpsert([{ id: 'z', vector: [0, 0, 0, 1] }]);

    const synced = await replayChromaSpool(spool, { url: server!.url, prefix: scope.prefix });
    expect(synced).toMatchObject({ applied: 3, left: 0, refused: [], collections: 1, elsewhere: 1 });
    expect(pending.waiting()).toBe(0);
    expect((await collection.query([0, 1, 1, 0], { k: 5 })).map((h) => h.id)).toEqual(['y']);
    expect(spool.count()).toBe(1); // the other server's write still waits
    spool.close();
  });

  it('a server that is still down leaves the writes waiting, with its error', async () => {
    const port = await freePort();
    const { spool, pending, scope } = setUp(`http://127.0.0.1:${port}`);
    pending.keepUpsert([{ id: 'x', vector: [1, 0, 0, 0] }]);
    const synced = await replayChromaSpool(spool, { url: scope.url, prefix: scope.prefix });
    expect(synced).toMatchObject({ applied: 0, left: 1, collections: 1 });
    expect(String(synced.error)).toMatch(/could not store vectors/);
    expect(pending.waiting()).toBe(1);
    spool.close();
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
