// Redis killed mid-run (SIGKILL, by PID) under a real `playwright test` run of the team suite:
// the run completes, what it could not write waits in the spool, and once Redis is back — before
// the run ends, or only after it with `medic sync` — the store holds exactly what a run without
// the fault left (every attempt once, the same patterns, catalog, heals and success patterns).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { openRedisStore, type RedisStore } from '../src/store/redis.js';
import { Spool } from '../src/resilience/spool.js';
import { repoRoot, writeInlineProject } from './helpers/inlineProject.js';
import { hasRedisServer, startRedis, type RedisServer } from './helpers/redisServer.js';
import { learnedBy, teamSuite } from './helpers/teamSuite.js';

if (!hasRedisServer() && process.env.CI) throw new Error('No redis-server on PATH: CI never skips the fault tests (apt-get install redis-server).');

const servers: RedisServer[] = [];
const stores: RedisStore[] = [];
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  for (const server of servers) await server.stop();
});

/** Attempts stored under a prefix so far (0 while Redis is down). */
async function storedAttempts(url: string, prefix: string): Promise<number> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.keys(`${prefix}shop:attempts:r:*`)).length;
  } catch {
    return 0;
  } finally {
    client.disconnect();
  }
}

async function kill(server: RedisServer): Promise<void> {
  const child = server.process!;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(child.pid!, 'SIGKILL');
  await exited;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const unreachable = /medic: the store at redis:\/\/127\.0\.0\.1:\d+ is unreachable/g;

describe.skipIf(!hasRedisServer())('Redis killed in the middle of a run', { timeout: 300_000 }, () => {
  it('completes the run, spools, and ends with the store a run without the fault leaves', async () => {
    const server = await startRedis({ persist: true });
    servers.push(server);
    const project = writeInlineProject(teamSuite(300));
    const spoolOf = (name: string) => join(project.dir, '.medic', `spool-${name}.db`);
    const env = (name: string) => ({ MEDIC_REDIS_URL: server.url, MEDIC_REDIS_PREFIX: `${name}:`, MEDIC_STORE_SPOOL_PATH: spoolOf(name) });
    const storeOf = (name: string) => {
      const store = openRedisStore({ url: server.url, keyPrefix: `${name}:` });
      stores.push(store);
      return store;
    };
    /** Runs the suite and kills Redis once it has stored `after` attempts; `down` says when it comes back. */
    const runWithFault = async (name: string, down: () => Promise<void>) => {
      const running = project.run([], env(name));
      for (let i = 0; i < 600 && (await storedAttempts(server.url, `${name}:`)) < 2; i++) await sleep(50);
      await kill(server);
      await down();
      return running;
    };
    try {
      const clean = await project.run([], env('clean'));
      expect(clean.code, clean.stdout + clean.stderr).toBe(1);
      expect(clean.stderr).not.toMatch(unreachable);
      const expected = await learnedBy(storeOf('clean'));
      expect(expected.attempts).toHaveLength(14 + 9);
      expect(expected.patterns.map((p) => p.count).sort()).toEqual([1, 1, 1, 4, 4, 4]);
      // Back a second later, before the run ends: the spool is written once the breaker lets a
      // write through again, in the run (a slow machine) or by the reporter at its end.
      const back = await runWithFault('back', async () => {
        await sleep(1_000);
        await server.restart!();
      });
      expect(back.code, back.stdout + back.stderr).toBe(1);
      expect(back.stderr.match(unreachable)).toHaveLength(1);
      expect(back.stderr).toMatch(/medic: redis:\/\/127\.0\.0\.1:\d+ is back: \d+ spooled writes (of this run are written\.|are written; this run writes to it again\.)/);
      expect(await learnedBy(storeOf('back'))).toEqual(expected);
      expect((await storeOf('back').listRuns())[0]!.endedAt).not.toBeNull();
      expect(countSpooled(spoolOf('back'))).toBe(0);

      // Still down when the run ends: the run completes, the writes wait, `medic sync` writes them.
      const later = await runWithFault('later', async () => undefined);
      expect(later.code, later.stdout + later.stderr).toBe(1);
      expect(later.stderr.match(unreachable)).toHaveLength(1);
      expect(later.stderr).toMatch(/is still unreachable: \d+ writes wait in .*spool-later\.db; they are written at the next run, or now with `npx medic sync`/);
      const waiting = countSpooled(spoolOf('later'));
      expect(waiting).toBeGreaterThan(0);
      await server.restart!();
      const sync = await medic(['sync'], { ...env('later'), MEDIC_STORE_KIND: '' }, project.dir);
      expect(sync.status, sync.stdout + sync.stderr).toBe(0);
      expect(sync.stdout).toMatch(new RegExp(`: ${waiting} of ${waiting} spooled writes written, 0 still waiting`));
      expect(await learnedBy(storeOf('later'))).toEqual(expected);
      expect(countSpooled(spoolOf('later'))).toBe(0);
    } finally {
      project.remove();
    }
  });
});

function countSpooled(path: string): number {
  if (!existsSync(path)) return 0;
  const spool = Spool.open(path);
  try {
    return spool.count();
  } finally {
    spool.close();
  }
}

/** The medic command, run without blocking this process (the Redis server it needs is this process's child). */
function medic(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'main.js'), ...args], { cwd, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}
