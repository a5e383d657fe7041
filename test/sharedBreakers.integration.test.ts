// Breakers shared through the store: a backend one process found down is skipped by the others
// (shards on many machines, the CLI, the doctor) until it may be tried again. Real processes: the
// built `medic` CLI finds a Chroma server down and opens its breaker in a real Redis; this
// process then answers from the local index without calling that server; `medic doctor` shows it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { doctorReportSchema } from '../src/doctor/report.js';
import { openRedisStore } from '../src/store/redis.js';
import { chromaIndex } from '../src/vector/chromaIndex.js';
import { hashingEmbedder } from '../src/vector/embedder.js';
import { fallbackIndex } from '../src/vector/fallbackIndex.js';
import { localIndex } from '../src/vector/localIndex.js';
import type { VectorIndex } from '../src/vector/VectorIndex.js';
import { freePort } from './helpers/freePort.js';
import { repoRoot } from './helpers/inlineProject.js';
import { dropKeys, findRedis } from './helpers/redisServer.js';

const redis = await findRedis();
const dir = mkdtempSync(join(tmpdir(), 'medic-breakers-'));
const prefix = `medic-int:${process.pid}:breakers:`;
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (!redis) return;
  await dropKeys(redis.url, prefix);
  await redis.stop();
});

const CLEAN_ENV = Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('MEDIC_')).map((k) => [k, '']));
const medic = (env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'main.js'), ...args], { cwd: dir, env: { ...process.env, ...CLEAN_ENV, ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

describe.skipIf(!redis)('breakers shared through Redis', { timeout: 90_000 }, () => {
  it('a Chroma one process found down is skipped by the others until it may be tried again, and the doctor says so', async () => {
    const chromaUrl = `http://127.0.0.1:${await freePort()}`; // nothing listens there: Chroma is down
    const env = { MEDIC_REDIS_URL: redis!.url, MEDIC_REDIS_PREFIX: prefix, MEDIC_VECTORS_KIND: 'chroma', MEDIC_CHROMA_URL: chromaUrl };
    const store = openRedisStore({ url: redis!.url, keyPrefix: prefix });
    try {
      expect(await store.listBreakers()).toEqual([]);

      // Process 1: the CLI looks up similar successes, meets the dead server, and falls back.
      const cli = await medic(env, 'patterns', 'add to cart');
      expect(cli.stderr).toMatch(/the chroma vector index is unavailable/);
      const [open] = await store.listBreakers();
      expect(open).toMatchObject({ name: 'chroma', target: chromaUrl, state: 'open', reason: expect.stringMatching(/\S/), by: expect.stringMatching(/\/\d+$/) });
      expect(open!.by).not.toBe(`${open!.by.split('/')[0]}/${process.pid}`);
      const lasts = Date.parse(open!.until) - Date.parse(open!.openedAt);
      expect(lasts).toBe(30_000);

      // Process 2 (this one): its own breaker is closed, yet it does not call the server.
      const embedder = hashingEmbedder();
      let calls = 0;
      const server = chromaIndex({ url: chromaUrl, collection: 'successes', embedder });
      const counted: VectorIndex & { location: string; origin: string } = {
        kind: server.kind,
        location: server.location,
        origin: server.origin,
        upsert: (items) => (calls++, server.upsert(items)),
        query: (vector, options) => (calls++, server.query(vector, options)),
        delete: (ids) => (calls++, server.delete(ids)),
        count: (where) => (calls++, server.count(where)),
      };
      const warnings: string[] = [];
      const index = fallbackIndex(counted, localIndex(store, 'successes', embedder), (m) => warnings.push(m), { board: store });
      const [vector] = await embedder.embed(['add to cart']);
      expect(await index.query(vector!, { k: 3 })).toEqual([]);
      await index.upsert([{ id: 'p1', vector: vector!, metadata: { project: 'shop' } }]);
      expect(calls).toBe(0);
      expect(index.serving()).toBe('local');
      expect(warnings).toEqual([expect.stringContaining(`the chroma at ${chromaUrl} failed for ${open!.by} at ${open!.openedAt}`)]);
      expect((await index.query(vector!, { k: 3 })).map((h) => h.id)).toEqual(['p1']); // the local index answers

      // Process 3: the doctor reads the opening from the store.
      const doctor = await medic(env, 'doctor', '--json');
      const report = doctorReportSchema.parse(JSON.parse(doctor.stdout));
      const breakers = report.checks.find((c) => c.name === 'breakers')!;
      expect(breakers.status).toBe('warn');
      expect(breakers.detail).toContain('chroma open in the store');
      expect(breakers.detail).toContain(`chroma ${chromaUrl} opened by ${open!.by} at ${open!.openedAt}`);
      expect(breakers.detail).toContain(`skipped by every process until ${open!.until}`);
    } finally {
      await store.close();
    }
  });
});
