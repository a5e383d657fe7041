// `medic export`, `medic import` and `medic migrate` as processes (the built CLI in dist/:
// `npm run build` first), against a SQLite store and a real Redis server.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillStore, snapshot } from '../src/pack/pack.testkit.js';
import { packCounts } from '../src/pack/schema.js';
import { exportPack } from '../src/pack/export.js';
import { openRedisStore } from '../src/store/redis.js';
import { openSqliteStore } from '../src/store/sqliteOpen.js';
import { repoRoot } from './helpers/inlineProject.js';
import { dropKeys, findRedis } from './helpers/redisServer.js';

const server = await findRedis();
const dir = mkdtempSync(join(tmpdir(), 'medic-cli-pack-'));
const prefixes: string[] = [];
const freshPrefix = () => {
  const prefix = `medic-test:${randomUUID()}:`;
  prefixes.push(prefix);
  return prefix;
};
const run = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  spawnSync(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'main.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, MEDIC_STORE_PATH: '', MEDIC_STORE_KIND: '', MEDIC_REDIS_URL: '', MEDIC_REDIS_PREFIX: '', MEDIC_CHROMA_URL: '', MEDIC_VECTORS_KIND: '', ...env },
  });
const medic = (...args: string[]) => run({}, ...args);
/** The Redis store of a namespace, read as the test sees it. */
const readRedis = async <T>(prefix: string, read: (store: ReturnType<typeof openRedisStore>) => Promise<T>) => {
  const store = openRedisStore({ url: server!.url, keyPrefix: prefix });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
};

let expected: Awaited<ReturnType<typeof snapshot>>;
beforeAll(async () => {
  const store = openSqliteStore({ path: join(dir, '.medic', 'medic.db') });
  await fillStore(store);
  expected = await snapshot(store);
  await store.close();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (!server) return;
  for (const prefix of prefixes) await dropKeys(server.url, prefix);
  await server.stop();
});

describe('medic export', () => {
  it('writes the store to a gzip pack and says how many records of each kind', () => {
    const result = medic('export', 'out/knowledge.json.gz');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Exported 37 records of .*\.medic\/medic\.db \(every project: admin, shop\) to .*out\/knowledge\.json\.gz:\n {2}runs +4\n {2}attempts +7\n {2}heals +2\n {2}selector records +3\n/);
    expect(result.stdout).toMatch(/\n {2}risk predictions +4\n {2}fitted models +3\n {2}vectors +5$/m);
    expect(readFileSync(join(dir, 'out', 'knowledge.json.gz')).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const json = JSON.parse(medic('export', 'shop.json', '--project', 'shop', '--json').stdout);
    expect(json).toMatchObject({ projects: ['shop'], source: { kind: 'sqlite' }, counts: { runs: 2, heals: 2, predictions: 3, models: 2 } });
    expect(JSON.parse(readFileSync(join(dir, 'shop.json'), 'utf8'))).toMatchObject({ format: 'playwright-medic-pack', version: 2, projects: ['shop'] });
  });
});

describe('medic import', () => {
  it('writes a pack into a new SQLite store, --as another project, and twice changes nothing', async () => {
    expect(medic('export', 'shop-only.json', '--project', 'shop').status).toBe(0);
    const first = medic('--store', 'copy/medic.db', 'import', 'shop-only.json', '--as', 'shop-v2');
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/^Imported .*shop-only\.json into .*copy\/medic\.db as project "shop-v2" \(added or replaced\):\n {2}runs +2\n/);
    const second = JSON.parse(medic('--store', 'copy/medic.db', 'import', 'shop-only.json', '--as', 'shop-v2', '--json').stdout);
    expect(second).toMatchObject({ as: 'shop-v2', written: { runs: 0, attempts: 3 }, runsUnchanged: 2 });
    const store = openSqliteStore({ path: join(dir, 'copy', 'medic.db'), readonly: true });
    const copy = await snapshot(store);
    await store.close();
    expect(copy.selectors).toEqual(expected.selectors.filter((s) => s.project === 'shop').map((s) => ({ ...s, project: 'shop-v2' })));
    expect(copy.runs.map((r) => r.project)).toEqual(['shop-v2', 'shop-v2']);
  });

  it('refuses a pack of another version, naming it, and writes nothing', () => {
    const pack = JSON.parse(readFileSync(join(dir, 'shop.json'), 'utf8'));
    writeFileSync(join(dir, 'v3.json'), JSON.stringify({ ...pack, version: 3 }));
    const result = medic('--store', 'untouched/medic.db', 'import', 'v3.json');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^medic: The pack .*v3\.json is refused: it has version 3; this playwright-medic reads versions 1 to 2\. Nothing was imported\.\nFix: Upgrade playwright-medic/);
    expect(existsSync(join(dir, 'untouched'))).toBe(false); // refused before the store is opened: none created
  });
});

describe.skipIf(!server)('medic import and migrate with Redis', () => {
  it('imports into the configured Redis', async () => {
    const prefix = freshPrefix();
    const result = run({ MEDIC_REDIS_URL: server!.url, MEDIC_REDIS_PREFIX: prefix }, 'import', 'out/knowledge.json.gz', '--json');
    expect(result.stderr).toBe('');
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ target: expect.stringMatching(/^redis:\/\//), written: { runs: 4, attempts: 7, predictions: 4, models: 3, vectors: 5 }, runsUnchanged: 0 });
    expect(await readRedis(prefix, (store) => snapshot(store))).toEqual(expected);
  });

  it('migrates the SQLite store into Redis with the configured prefix, verified, and refuses a store into itself', async () => {
    const prefix = freshPrefix();
    const result = run({ MEDIC_REDIS_PREFIX: prefix }, 'migrate', '--to', server!.url);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Migrated .*\\.medic/medic\\.db to redis://.* \\(prefix ${prefix}\\); verified: the target holds 37 records, as many of each kind as the source \\(added or replaced\\):\\n {2}runs +4\\n`));
    expect(await readRedis(prefix, (store) => snapshot(store))).toEqual(expected);
    const again = JSON.parse(run({ MEDIC_REDIS_PREFIX: prefix }, 'migrate', '--to', server!.url, '--json').stdout);
    const counts = packCounts(await readRedis(prefix, (store) => exportPack(store)));
    expect(again).toMatchObject({ keyPrefix: prefix, runsUnchanged: 4, verified: counts });

    const itself = run({ MEDIC_REDIS_URL: server!.url, MEDIC_REDIS_PREFIX: prefix }, 'migrate', '--to', server!.url.replace('127.0.0.1', 'localhost'));
    expect(itself.status).toBe(1);
    expect(itself.stderr).toMatch(/^medic: medic migrate copies a store into another; .* is the store it would read\.\nFix: Pass --to another Redis/);
    const bad = medic('migrate', '--to', 'http://127.0.0.1:6379');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/expected a redis:\/\/ or rediss:\/\/ URL, e.g\. redis:\/\/127\.0\.0\.1:6379, got "http:\/\/127\.0\.0\.1:6379"/);
  });

  it('fails (exit 1) when the target holds other knowledge, so the counts differ', async () => {
    const prefix = freshPrefix();
    expect(run({ MEDIC_REDIS_URL: server!.url, MEDIC_REDIS_PREFIX: prefix }, 'import', 'shop-only.json', '--as', 'other').status).toBe(0);
    const result = run({ MEDIC_REDIS_PREFIX: prefix }, 'migrate', '--to', server!.url);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/does not hold what the source does \(runs: 4 in the source, 6 in the target;/);
  });
});
