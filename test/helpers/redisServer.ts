// A real Redis server for tests: MEDIC_TEST_REDIS_URL when set, else a redis-server of our own
// on a free port (so a test may kill it), else the one on 127.0.0.1:6379. None at all: the
// tests skip locally, and fail when CI is set.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './freePort.js';

export type RedisServer = {
  url: string;
  /** Our own server's process (undefined when we found one running). */
  process?: ChildProcess;
  /** Starts our own server again on the same port (after a test killed it). */
  restart?: () => Promise<void>;
  stop(): Promise<void>;
};

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Whether this machine has redis-server (so a test can start, kill and restart its own). */
export const hasRedisServer = () => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * A redis-server of our own on a free port. With `persist`, every write is appended to a file
 * and synced before Redis answers (appendfsync always), so a SIGKILL loses nothing it acknowledged
 * and `restart()` brings the data back.
 */
export async function startRedis(options: { persist?: boolean } = {}): Promise<RedisServer> {
  const own = await startOwn(options.persist === true);
  if (!own) throw new Error('No redis-server on PATH: install it (apt-get install redis-server).');
  return own;
}

async function startOwn(persist = false): Promise<RedisServer | undefined> {
  if (!hasRedisServer()) return undefined;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'medic-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const server: RedisServer = { url, stop: async () => undefined };
  const launch = async () => {
    const durability = persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...durability, '--dir', dir], { stdio: 'ignore' });
    server.process = child;
    for (let i = 0; i < 100; i++) {
      if (await answers(url)) return;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server did not start on ${url}`);
  };
  await launch();
  server.restart = launch;
  server.stop = async () => {
    const child = server.process;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return server;
}

/**
 * The Redis server the tests of this file use; undefined (skip) only when CI is not set.
 * @example const redis = await findRedis(); describe.skipIf(!redis)(…)
 */
export async function findRedis(): Promise<RedisServer | undefined> {
  const given = process.env.MEDIC_TEST_REDIS_URL;
  if (given) {
    if (await answers(given)) return { url: given, stop: async () => undefined };
    throw new Error(`MEDIC_TEST_REDIS_URL=${given} does not answer PING.`);
  }
  const own = await startOwn();
  if (own) return own;
  if (await answers('redis://127.0.0.1:6379')) return { url: 'redis://127.0.0.1:6379', stop: async () => undefined };
  if (process.env.CI) throw new Error('No Redis server: install redis-server (apt-get install redis-server) or set MEDIC_TEST_REDIS_URL; CI never skips these tests.');
  console.warn('skipping the Redis tests: no redis-server on PATH, none on 127.0.0.1:6379, MEDIC_TEST_REDIS_URL unset');
  return undefined;
}

/** Deletes every key under a prefix (a test's namespace). */
export async function dropKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
