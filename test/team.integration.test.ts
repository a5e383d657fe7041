// Shards sharing one memory: the same suite run by real `playwright test` processes against a
// real Redis server and a real Chroma server, once whole and once as 4 shards at the same time
// (each with its own reporter): every attempt is recorded exactly once, and the failure
// patterns, their known fixes, their vectors and the selector catalog come out the same as from
// the whole run. `medic` reads it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRedisStore, type RedisStore } from '../src/store/redis.js';
import { repoRoot, writeInlineProject } from './helpers/inlineProject.js';
import { learnedBy, teamSuite } from './helpers/teamSuite.js';
import { dropKeys, findRedis } from './helpers/redisServer.js';
import { findChroma, startChroma } from './helpers/chromaServer.js';
import { openSqliteStore } from '../src/store/sqliteOpen.js';
import { chromaIndex } from '../src/vector/chromaIndex.js';
import { hashingEmbedder } from '../src/vector/embedder.js';
import { localIndex } from '../src/vector/localIndex.js';

const server = await findRedis();
const chroma = await findChroma();

const prefixes: string[] = [];
const stores: RedisStore[] = [];
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await chroma?.stop();
  if (!server) return;
  for (const prefix of prefixes) await dropKeys(server.url, prefix);
  await server.stop();
});

/** The store of one namespace, as a test reads it. */
function storeOf(prefix: string): RedisStore {
  const store = openRedisStore({ url: server!.url, keyPrefix: prefix });
  stores.push(store);
  return store;
}


describe.skipIf(!server || !chroma)('shards sharing one Redis and one Chroma', { timeout: 240_000 }, () => {
  it('records every attempt once and learns what the whole run learns', async () => {
    const project = writeInlineProject(teamSuite());
    const whole = `medic-int:${process.pid}:whole:`;
    const sharded = `medic-int:${process.pid}:sharded:`;
    prefixes.push(whole, sharded);
    const chromaPrefix = (prefix: string) => `${prefix.replace(/[^a-zA-Z0-9]+/g, '-')}`;
    const env = (prefix: string) => ({ MEDIC_REDIS_URL: server!.url, MEDIC_REDIS_PREFIX: prefix, MEDIC_CHROMA_URL: chroma!.url, MEDIC_CHROMA_PREFIX: chromaPrefix(prefix) });
    try {
      const one = await project.run([], env(whole), {}, 150_000);
      expect(one.code, one.stdout + one.stderr).toBe(1);
      // Each shard its own output folder, as on its own machine: Playwright empties it when a run
      // starts, which would pull it from under a shard already running (it crashed, unrecorded).
      // A shard that hangs is stopped, so the failure shows its output instead of the test's timeout.
      const shards = await Promise.all([1, 2, 3, 4].map((i) => project.run([`--shard=${i}/4`, `--output=test-results-${i}`], env(sharded), {}, 150_000)));
      for (const [i, shard] of [one, ...shards].entries()) expect(shard.stderr, `${i ? `shard ${i}` : 'whole run'}:\n${shard.stdout}${shard.stderr}`).not.toMatch(/inlineProject: still running/);
      // Any record not written, spooled or lost shows in a shard's stderr: the failure names it.
      const trouble = /medic: (could not|the knowledge store is unusable|the chroma vector index is unavailable|the store at .* is unreachable|\d+ of \d+ records)/;
      for (const shard of [one, ...shards]) expect(shard.stderr, shard.stderr).not.toMatch(trouble);
      expect(shards.map((s) => s.code).sort()).toContain(1);

      const [a, b] = [storeOf(whole), storeOf(sharded)];
      expect(await a.listRuns()).toHaveLength(1);
      const runs = await b.listRuns({ project: 'shop' });
      expect(runs.map((r) => r.shard?.current).sort(), shards.map((s, i) => `shard ${i + 1}:\n${s.stdout}${s.stderr}`).join('\n')).toEqual([1, 2, 3, 4]);

      // Attempts: 14 tests, a retry for each of the 3 flaky and the 6 failing ones; in the shards, each once.
      // Failure patterns (counts, tests, known fixes), the catalog with its confidences, the heal, success patterns: the same.
      const learned = await learnedBy(a);
      expect(learned.attempts).toHaveLength(14 + 9);
      // Per file (a pattern is one feature's): the wrong total (2 tests × 2 attempts), the flaky first attempt.
      expect(learned.patterns.map((p) => p.count).sort()).toEqual([1, 1, 1, 4, 4, 4]);
      expect(learned.catalog.length).toBeGreaterThan(0);
      expect(learned.heals).toEqual([expect.stringMatching(/^locator\('#save'\) → page\.getByRole\('button', \{ name: 'Save changes' \}\) healed$/)]);
      expect(await learnedBy(b)).toEqual(learned);

      // The patterns' vectors: in Chroma as in the store, one per failure pattern and one per feature's success pattern.
      const embedder = hashingEmbedder();
      for (const [prefix, store] of [[whole, a], [sharded, b]] as const) {
        for (const [collection, count] of [['failures', 6], ['successes', 4]] as const) {
          expect(await chromaIndex({ url: chroma!.url, collection, embedder, prefix: chromaPrefix(prefix) }).count({ project: 'shop' })).toBe(count);
          expect(await localIndex(store, collection, embedder).count({ project: 'shop' })).toBe(count);
        }
      }

      // The medic command reads the same Redis.
      const cli = spawnSync(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'main.js'), 'runs', '--json'], {
        cwd: project.dir,
        encoding: 'utf8',
        env: { ...process.env, ...env(sharded), MEDIC_STORE_KIND: '' },
      });
      expect(cli.status, cli.stderr).toBe(0);
      expect((JSON.parse(cli.stdout) as unknown[]).length).toBe(4);
    } finally {
      project.remove();
    }
  });
});

describe.skipIf(!chroma)('a run while Chroma is down', { timeout: 240_000 }, () => {
  it('learns into the local index with one warning; the vectors Chroma missed wait in the spool and medic sync sends them', async () => {
    const { 'ui.spec.ts': _browser, ...plain } = teamSuite(); // no browser needed: failures and successes to learn from
    const project = writeInlineProject(plain);
    const own = await startChroma(); // this test's own, to stop
    try {
      await own.halt!();
      const env = { MEDIC_CHROMA_URL: own.url };
      const run = await project.run([], env, {}, 150_000);
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stderr.match(/medic: the chroma vector index is unavailable/g), run.stderr).toHaveLength(1);
      expect(run.stderr).toMatch(/Its writes wait in .*spool\.db and are sent when it is back \(next run, or npx medic sync\)/);
      expect(run.stderr).not.toMatch(/medic: could not/);

      await own.restart!();
      const sync = spawnSync(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'main.js'), 'sync', '--json'], {
        cwd: project.dir,
        encoding: 'utf8',
        env: { ...process.env, ...env, MEDIC_STORE_KIND: '', MEDIC_STORE_PATH: '', MEDIC_REDIS_URL: '', MEDIC_VECTORS_KIND: '' },
      });
      expect(sync.status, sync.stdout + sync.stderr).toBe(0);
      const synced = JSON.parse(sync.stdout) as { vectors: { applied: number; left: number; refused: string[] } };
      expect(synced.vectors.applied).toBeGreaterThan(0);
      expect(synced.vectors).toMatchObject({ left: 0, refused: [] });

      // Chroma now holds what the local index holds, each vector once.
      const store = openSqliteStore({ path: join(project.dir, '.medic', 'medic.db'), readonly: true });
      try {
        const embedder = hashingEmbedder();
        for (const collection of ['failures', 'successes']) {
          const local = await localIndex(store, collection, embedder).count({ project: 'shop' });
          expect(local, collection).toBeGreaterThan(0);
          expect(await chromaIndex({ url: own.url, collection, embedder }).count({ project: 'shop' }), collection).toBe(local);
        }
      } finally {
        await store.close();
      }
    } finally {
      await own.stop();
      project.remove();
    }
  });
});
