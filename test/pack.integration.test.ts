// Knowledge packs between real stores: a SQLite store → a pack file → a real Redis server (and
// a real Chroma server for the vectors), compared by everything the list methods return.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineMedicConfig } from '../src/config/index.js';
import { isMedicPackError, isMedicStoreError } from '../src/errors.js';
import { exportPack } from '../src/pack/export.js';
import { readPackFile, writePackFile } from '../src/pack/file.js';
import { importPack } from '../src/pack/import.js';
import { migrateStore } from '../src/pack/migrate.js';
import { expectFull, fillStore, snapshot } from '../src/pack/pack.testkit.js';
import { renamedRunId } from '../src/pack/rename.js';
import { packCounts } from '../src/pack/schema.js';
import { indexWriter } from '../src/pack/vectors.js';
import { makeRun } from '../src/store/contract.testkit.js';
import { openRedisStore, type RedisStore } from '../src/store/redis.js';
import { MemoryStore } from '../src/store/memory.js';
import { openSqliteStore } from '../src/store/sqliteOpen.js';
import { chromaIndex } from '../src/vector/chromaIndex.js';
import { findChroma } from './helpers/chromaServer.js';
import { freePort } from './helpers/freePort.js';
import { dropKeys, findRedis } from './helpers/redisServer.js';

const server = await findRedis();
const dir = mkdtempSync(join(tmpdir(), 'medic-pack-'));
const prefixes: string[] = [];
const stores: RedisStore[] = [];
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
  if (!server) return;
  for (const prefix of prefixes) await dropKeys(server.url, prefix);
  await server.stop();
});

/** An empty Redis store in a namespace of its own. */
function redis(prefix = `medic-test:${randomUUID()}:`): RedisStore {
  prefixes.push(prefix);
  const store = openRedisStore({ url: server!.url, keyPrefix: prefix });
  stores.push(store);
  return store;
}

let sqliteCount = 0;
async function filledSqlite() {
  const store = openSqliteStore({ path: join(dir, `source-${++sqliteCount}`, 'medic.db') });
  await fillStore(store);
  return store;
}

describe.skipIf(!server)('knowledge packs: SQLite → pack file → Redis', () => {
  it('round-trips every record: the Redis store lists exactly what the SQLite store lists', async () => {
    const source = await filledSqlite();
    const expected = await snapshot(source);
    expectFull(expected);
    const file = join(dir, 'knowledge.json.gz');
    writePackFile(file, await exportPack(source));
    await source.close();
    expect(readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const target = redis();
    const result = await importPack(target, readPackFile(file), { source: file });
    expect(await snapshot(target)).toEqual(expected);
    expect(result.written).toEqual(packCounts(await exportPack(target)));
    // Twice is once: nothing counted twice, nothing reordered.
    const again = await importPack(target, readPackFile(file), { source: file });
    expect(again.runsUnchanged).toBe(4);
    expect(await snapshot(target)).toEqual(expected);
    // Per project, and back from Redis into a new SQLite store.
    const shop = join(dir, 'shop.json');
    writePackFile(shop, await exportPack(target, { project: 'shop' }));
    const back = openSqliteStore({ path: join(dir, 'back', 'medic.db') });
    await importPack(back, readPackFile(shop));
    expect(await snapshot(back)).toEqual(await snapshot(target, 'shop'));
    await back.close();
  });

  it('copies a project under another name into the same Redis, leaving the original as it was', async () => {
    const target = redis();
    const source = await filledSqlite();
    await importPack(target, await exportPack(source));
    const shop = await snapshot(target, 'shop');
    const admin = await snapshot(target, 'admin');
    const pack = await exportPack(source, { project: 'shop' });
    await source.close();
    await importPack(target, pack, { as: 'shop-v2' });
    const copy = await snapshot(target, 'shop-v2');
    expect(await snapshot(target, 'shop')).toEqual(shop);
    expect(await snapshot(target, 'admin')).toEqual(admin);
    expect(copy.runs.map((r) => r.id)).toEqual(shop.runs.map((r) => renamedRunId('shop-v2', r.id)));
    expect(copy.selectors).toEqual(shop.selectors.map((s) => ({ ...s, project: 'shop-v2' })));
    expect(copy.predictions).toEqual(shop.predictions.map((p) => ({ ...p, project: 'shop-v2', runId: renamedRunId('shop-v2', p.runId) })));
    expect(copy.models).toEqual(shop.models.map((m) => ({ ...m, project: 'shop-v2' })));
    expect(copy.vectors).toEqual({
      failures: shop.vectors.failures!.map((v) => expect.objectContaining({ metadata: { ...v.metadata, project: 'shop-v2' } })),
      successes: shop.vectors.successes!.map((v) => expect.objectContaining({ metadata: { ...v.metadata, project: 'shop-v2' } })),
    });
    await importPack(target, pack, { as: 'shop-v2' });
    expect(await snapshot(target, 'shop-v2')).toEqual(copy);
  });

  it('refuses a pack of another version, or with a broken record, leaving Redis untouched', async () => {
    const target = redis();
    const source = await filledSqlite();
    await importPack(target, await exportPack(source, { project: 'admin' }));
    const before = await snapshot(target);
    const pack = JSON.parse(JSON.stringify(await exportPack(source))) as Record<string, unknown> & { heals: Record<string, unknown>[] };
    await source.close();
    for (const bad of [{ ...pack, version: 3 }, { ...pack, heals: [{ ...pack.heals[0], confidence: 1.5 }] }]) {
      const file = join(dir, `bad-${randomUUID()}.json`);
      writeFileSync(file, JSON.stringify(bad));
      const error = await importPack(target, readPackFile(file), { source: file }).catch((e: unknown) => e);
      expect(isMedicPackError(error)).toBe(true);
      expect((error as Error).message).toMatch(/has version 3; this playwright-medic reads versions 1 to 2|heals\[0\] \(runId "shop-2", id "id-1#0#1"\) is invalid: confidence: Too big/);
      expect(await snapshot(target)).toEqual(before);
    }
  });

  it('migrates a store and verifies the counts; a target holding other knowledge fails the check', async () => {
    const source = await filledSqlite();
    const target = redis();
    const result = await migrateStore(source, target);
    expect(result.counts).toEqual(packCounts(await exportPack(source)));
    expect(await snapshot(target)).toEqual(await snapshot(source));
    expect((await migrateStore(source, target)).runsUnchanged).toBe(4); // again: nothing twice
    await target.startRun(makeRun({ id: 'only-in-target', project: 'shop' }));
    const error = await migrateStore(source, target).catch((e: unknown) => e);
    expect(isMedicStoreError(error)).toBe(true);
    expect((error as Error).message).toMatch(/does not hold what the source does \(runs: 4 in the source, 5 in the target\)/);
    await source.close();
  });
});

const chroma = server ? await findChroma() : undefined;
afterAll(() => chroma?.stop());

describe.skipIf(!server || !chroma)('knowledge packs: vectors into Chroma', () => {
  it('writes each collection and embedder into its Chroma collection, and the store', async () => {
    const source = await filledSqlite();
    const pack = await exportPack(source);
    await source.close();
    const prefix = `t${randomUUID().slice(0, 8)}-`;
    const config = defineMedicConfig({ vectors: { kind: 'chroma', url: chroma!.url, prefix } }, {});
    const target = redis();
    await importPack(target, pack, { writeVectors: indexWriter(config, target) });
    await importPack(target, pack, { writeVectors: indexWriter(config, target) });
    for (const collection of ['failures', 'successes']) {
      const vectors = pack.vectors.filter((v) => v.collection === collection);
      const index = chromaIndex({ url: chroma!.url, collection, embedder: { id: vectors[0]!.embedder, dimension: vectors[0]!.vector.length }, prefix });
      expect(await index.count(), collection).toBe(vectors.length);
      const [hit] = await index.query(vectors[0]!.vector, { k: 1 });
      expect(hit).toMatchObject({ id: vectors[0]!.id, metadata: vectors[0]!.metadata });
    }
    expect(await snapshot(target)).toMatchObject({ vectors: { failures: pack.vectors.filter((v) => v.collection === 'failures') } });
  });
});

describe('knowledge packs: a Chroma that is down', () => {
  it('fails, naming Chroma, when the server does not take the vectors', async () => {
    const target = new MemoryStore();
    const port = await freePort(); // nothing listens there
    const config = defineMedicConfig({ vectors: { kind: 'chroma', url: `http://127.0.0.1:${port}` } }, {});
    const source = await filledSqlite();
    const error = await importPack(target, await exportPack(source, { project: 'admin' }), { writeVectors: indexWriter(config, target) }).catch((e: unknown) => e);
    await source.close();
    expect(isMedicPackError(error)).toBe(true);
    expect((error as Error).message).toMatch(/stopped while writing vectors \(0 of 2 written\): the vectors are in the store, but not in Chroma: Chroma at http:\/\/127\.0\.0\.1:\d+ \(collection medic-failures-hashing-64[^)]*\) could not store vectors/);
    expect((error as { fix: string }).fix).toMatch(/^Start the Chroma server \(npm run chroma\), or point vectors\.url \(MEDIC_CHROMA_URL\) at one that runs; then import the pack again/);
  });
});
