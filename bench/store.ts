// `npm run bench:store [-- --attempts 5000 --vectors 10000,100000]`: what the stores cost on the
// hot path, SQLite against Redis and the local vector index against Chroma; every figure is
// measured in this run.
// 1. Ingest: N attempts through `recordAttempt`, awaited one by one as the reporter writes them.
// 2. Lookups: `listSelectors({ project, pageKey })` over a catalog of 2,000 selectors on 100 pages
//    and `listAttempts({ testKey, limit: 20 })` over the ingested attempts, 300 each, seeded keys.
// 3. Top-5 queries at each size, without and with a metadata filter (1 vector in 5 passes), after
//    inserts of 1,000 per upsert; seeded random unit vectors of the hashing embedder's dimension.
// Redis and Chroma come from test/helpers; one that cannot start is shown unavailable (and the
// run exits 1 when CI is set).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeError } from '../src/errors.js';
import type { SelectorObservation } from '../src/learning/catalog.js';
import { signError } from '../src/learning/signature.js';
import type { KnowledgeStore } from '../src/store/KnowledgeStore.js';
import type { AttemptRecord, RunRecord } from '../src/store/records.js';
import { openRedisStore } from '../src/store/redis.js';
import { openSqliteStore } from '../src/store/sqliteOpen.js';
import { chromaClient, chromaCollectionName, chromaIndex } from '../src/vector/chromaIndex.js';
import { hashingEmbedder } from '../src/vector/embedder.js';
import { localIndex } from '../src/vector/localIndex.js';
import type { VectorIndex } from '../src/vector/VectorIndex.js';
import { findChroma } from '../test/helpers/chromaServer.js';
import { dropKeys, findRedis } from '../test/helpers/redisServer.js';
import { optionFrom } from './args.js';
import { percentile } from './evaluate.js';

const USAGE = 'usage: npm run bench:store -- [--attempts N] [--vectors N,N,…]';
function fail(message: string): never {
  console.error(`bench:store: ${message}\n${USAGE}`);
  process.exit(2);
}
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const [flag, inline] = argv[i]!.split('=', 2);
  if (flag !== '--attempts' && flag !== '--vectors') fail(`unknown argument ${argv[i]}`);
  if (inline === undefined) i++; // its value
}
/** `--<name> N[,N…]`: whole numbers ≥ min. */
function counts(name: string, fallback: number[], min: number, many: boolean): number[] {
  const value = optionFrom(argv, name);
  if (value === undefined) return fallback;
  const list = (value ?? '').split(',').map((v) => (/^\d+$/.test(v) ? Number(v) : NaN));
  if (value === null || (!many && list.length > 1) || list.some((n) => !Number.isSafeInteger(n) || n < min)) {
    fail(`--${name} needs ${many ? 'comma-separated whole numbers' : 'a whole number'} ≥ ${min}, got ${value ?? 'no value'}`);
  }
  return list;
}
const ATTEMPTS = counts('attempts', [5_000], 1, false)[0]!;
const SIZES = counts('vectors', [10_000, 100_000], 5, true);

const SEED = 20_261_124;
const PROJECT = 'shop';
const TESTS = 200; // per run: a test has ~N/220 attempts in its history
const PAGES = 100;
const PER_PAGE = 20;
const LOOKUPS = 300;
const K = 5;
const BATCH = 1_000;
const EMBEDDER = hashingEmbedder();
const DIMENSION = EMBEDDER.dimension;
const CATEGORIES = ['timeout', 'assertion', 'selector_missing', 'network', 'navigation'];
const FILTER = { category: 'timeout' };
// The local index reads every vector per query (seconds at 100k): fewer probes, one warm-up.
const queriesAt = (size: number) => (size > 20_000 ? 50 : 100);

function rng(seed: number): () => number {
  let s = seed % 2147483647 || 1;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}
const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const at = (ms: number) => new Date(Date.UTC(2026, 10, 1) + ms).toISOString();
const pageKey = (p: number) => `/area-${p % 10}/page-${p}/:id`;

// Real Playwright errors (the categoriser's test data), signed as the reporter signs them.
type Sample = { message: string; stack?: string | null };
const ERRORS = (JSON.parse(readFileSync(new URL('../src/learning/testdata/playwright-errors.json', import.meta.url), 'utf8')) as Sample[]).map((e) => ({
  message: e.message,
  stack: e.stack ?? null,
  ...signError(e),
  count: 1,
}));

/** Runs of TESTS tests each, 15 % failing once then passing on retry, until there are n attempts. */
function history(n: number, rand: () => number): { runs: RunRecord[]; attempts: AttemptRecord[] } {
  const runs: RunRecord[] = [];
  const attempts: AttemptRecord[] = [];
  for (let r = 0; attempts.length < n; r++) {
    const id = `run-${r}`;
    const start = r * 3_600_000;
    runs.push({ id, project: PROJECT, startedAt: at(start), endedAt: null, status: 'running', gitSha: `sha${r}`, gitBranch: 'main', playwrightVersion: '1.65.1', shard: null, workers: 4, configFile: '/repo/playwright.config.ts', plannedTests: TESTS, errors: [] });
    for (let t = 0; t < TESTS && attempts.length < n; t++) {
      const failing = rand() < 0.15;
      for (let retry = 0; retry <= (failing ? 1 : 0) && attempts.length < n; retry++) {
        const error = failing && retry === 0 ? pick(rand, ERRORS) : null;
        const file = `specs/area-${t % 20}.spec.ts`;
        const title = `does thing ${t}`;
        attempts.push({
          runId: id, testKey: `chromium › ${file} › area ${t % 20} › ${title}`, testId: `test-${t}`, title, titlePath: [`area ${t % 20}`, title],
          projectName: 'chromium', file, line: 10 + (t % 10) * 14, column: 3, retry, status: error ? 'failed' : 'passed', expectedStatus: 'passed',
          outcome: error ? 'unexpected' : retry ? 'flaky' : 'expected', startedAt: at(start + t * 1_000 + retry * 500), durationMs: Math.round(200 + rand() * 4_000),
          workerIndex: t % 4, parallelIndex: t % 4, error, annotations: t % 10 === 0 ? [{ type: 'issue', description: `JIRA-${t}` }] : [], tags: t % 3 === 0 ? ['@smoke'] : [],
          steps: ['goto', 'fill', 'fill', 'click', 'expect toBeVisible', 'click', 'expect toHaveText'],
          locators: [`getByRole('button', { name: 'Save ${t}' })`, "getByLabel('Email')", `getByTestId('cart-${t % 20}')`],
        });
      }
    }
  }
  return { runs, attempts };
}

/** One batch of PER_PAGE observations per page, each with a full fingerprint. */
function catalog(): SelectorObservation[][] {
  return Array.from({ length: PAGES }, (_, p) =>
    Array.from({ length: PER_PAGE }, (_, s): SelectorObservation => {
      const name = `Action ${p}-${s}`;
      const place = `section[${(s % 5) + 1}]/button[${s + 1}]`;
      return {
        selector: `internal:role=button[name="${name}"i]`, code: `getByRole('button', { name: '${name}' })`, pageKey: pageKey(p), outcome: 'worked', at: at(p * 1_000 + s),
        fingerprint: {
          version: 1, tag: 'button', id: `btn-${p}-${s}`, classes: ['btn', `btn-${s % 4}`], text: name, visibleText: name, role: 'button', accessibleName: name,
          testIds: { 'data-testid': `action-${p}-${s}` }, xpath: `/html[1]/body[1]/main[1]/${place}`, idXpath: `//*[@id='page-${p}']/${place}`,
          ancestors: [{ tag: 'section', classes: ['panel'] }, { tag: 'main', id: `page-${p}` }], box: { x: 40 + s * 10, y: 100 + s * 30, width: 120, height: 32 },
          isButton: true, neighbors: { above: `Label ${s}`, any: `Label ${s} Action ${p}-${s + 1}` },
        },
      };
    }),
  );
}

/** Wall time of each call, in ms, after `warmup` untimed ones. */
async function timed(n: number, call: (i: number) => Promise<unknown>, warmup = 3): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await call(i % n);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await call(i);
    out.push(performance.now() - started);
  }
  return out;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench:store: ${what}: the store did not answer what was written`);
}

type StoreFigures = { runs: number; perSecond: number; selectors: number[]; attempts: number[] };
async function benchStore(store: KnowledgeStore): Promise<StoreFigures> {
  const { runs, attempts } = history(ATTEMPTS, rng(SEED));
  for (const run of runs) await store.startRun(run);
  const started = performance.now();
  for (const attempt of attempts) await store.recordAttempt(attempt);
  const perSecond = attempts.length / ((performance.now() - started) / 1_000);
  for (const page of catalog()) await store.recordSelectors(PROJECT, page);
  const keys = rng(SEED + 1);
  const pageKeys = Array.from({ length: LOOKUPS }, () => pageKey(Math.floor(keys() * PAGES)));
  const testKeys = [...new Set(attempts.map((a) => a.testKey))];
  const tests = Array.from({ length: LOOKUPS }, () => pick(keys, testKeys));
  check((await store.listSelectors({ project: PROJECT, pageKey: pageKeys[0]! })).length === PER_PAGE, 'listSelectors');
  check((await store.listAttempts({ testKey: tests[0]!, limit: 20 })).length === Math.min(20, attempts.filter((a) => a.testKey === tests[0]).length), 'listAttempts');
  const selectors = await timed(LOOKUPS, (i) => store.listSelectors({ project: PROJECT, pageKey: pageKeys[i]! }));
  const lookups = await timed(LOOKUPS, (i) => store.listAttempts({ testKey: tests[i]!, limit: 20 }));
  return { runs: runs.length, perSecond, selectors, attempts: lookups };
}

function unitVector(rand: () => number): Float32Array {
  const v = new Float32Array(DIMENSION);
  let norm = 0;
  for (let i = 0; i < DIMENSION; i++) {
    const g = Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand()); // Box–Muller: uniform on the sphere once normalised
    v[i] = g;
    norm += g * g;
  }
  for (let i = 0; i < DIMENSION; i++) v[i]! /= Math.sqrt(norm);
  return v;
}

type VectorFigures = { perSecond: number; plain: number[]; filtered: number[] };
async function benchVectors(index: VectorIndex, size: number): Promise<VectorFigures> {
  const rand = rng(SEED + size);
  let spent = 0;
  for (let from = 0; from < size; from += BATCH) {
    const items = Array.from({ length: Math.min(BATCH, size - from) }, (_, j) => ({
      id: `v${from + j}`, vector: unitVector(rand), metadata: { project: PROJECT, category: CATEGORIES[(from + j) % CATEGORIES.length]! },
    }));
    const started = performance.now();
    await index.upsert(items);
    spent += performance.now() - started;
  }
  check((await index.count()) === size, `${index.kind} count`);
  const queries = rng(SEED + 2);
  const probes = Array.from({ length: queriesAt(size) }, () => unitVector(queries));
  const hits = await index.query(probes[0]!, { k: K, where: FILTER });
  check(hits.length === Math.min(K, Math.ceil(size / CATEGORIES.length)) && hits.every((h) => h.metadata.category === 'timeout'), `${index.kind} filtered query`);
  const plain = await timed(probes.length, (i) => index.query(probes[i]!, { k: K }), 1);
  const filtered = await timed(probes.length, (i) => index.query(probes[i]!, { k: K, where: FILTER }), 1);
  return { perSecond: size / (spent / 1_000), plain, filtered };
}

type Result<T> = T | string; // a string: why it is unavailable
const seconds: string[] = []; // wall time of each part, for a slow run
async function part<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } finally {
    seconds.push(`${name} ${((performance.now() - started) / 1_000).toFixed(0)}s`);
  }
}
async function attempt<T>(run: () => Promise<T | undefined>, none: string): Promise<Result<T>> {
  try {
    return (await run()) ?? none;
  } catch (error) {
    return describeError(error).split('\n')[0]!;
  }
}

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const p95 = (xs: number[]) => percentile(xs, 0.95);
const lat = (xs: number[]) => `${ms(percentile(xs, 0.5))} / ${ms(p95(xs))} ms`;
const rate = (v: number) => `${Math.round(v).toLocaleString('en-US')}/s`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const show = <T>(r: Result<T>, f: (v: T) => string) => (typeof r === 'string' ? `unavailable (${r})` : f(r));
const short = <T>(r: Result<T>, f: (v: T) => string) => (typeof r === 'string' ? 'unavailable' : f(r));
const label = (size: number) => (size % 1_000 === 0 ? `${size / 1_000}k` : String(size));
function row<A, B>(name: string, a: Result<A>, b: Result<B>, f: (v: A | B) => string, compare?: (a: A, b: B) => string): void {
  const extra = compare && typeof a !== 'string' && typeof b !== 'string' ? `   ${compare(a, b)}` : '';
  console.log(`  ${name.padEnd(46)} ${show(a, f).padStart(18)} | ${show(b, f)}${extra}`);
}

const dir = mkdtempSync(join(tmpdir(), 'medic-bench-store-'));
const cleanup: (() => Promise<unknown>)[] = [];
try {
  const [redis, chroma] = await Promise.all([attempt(findRedis, 'no redis-server on PATH, none on 127.0.0.1:6379'), attempt(findChroma, 'the Chroma server did not start (see the warning above)')]);
  if (typeof redis !== 'string') cleanup.push(() => redis.stop());
  if (typeof chroma !== 'string') cleanup.push(() => chroma.stop());
  const withStore = async <T>(store: KnowledgeStore, use: (s: KnowledgeStore) => Promise<T>): Promise<T> => {
    try {
      return await use(store);
    } finally {
      await store.close();
    }
  };

  const sqlite = await part('sqlite', () => withStore(openSqliteStore({ path: join(dir, 'store.db') }), benchStore));
  const prefix = `medic-bench-${randomUUID().slice(0, 8)}:`;
  const onRedis: Result<StoreFigures> =
    typeof redis === 'string'
      ? redis
      : await part('redis', () => withStore(openRedisStore({ url: redis.url, keyPrefix: prefix }), benchStore)).finally(() => (redis.process ? undefined : dropKeys(redis.url, prefix)));

  const vectors: { size: number; local: VectorFigures; chroma: Result<VectorFigures> }[] = [];
  const chromaPrefix = `bench${randomUUID().slice(0, 8)}-`;
  for (const size of SIZES) {
    const local = await part(`local@${label(size)}`, () =>
      withStore(openSqliteStore({ path: join(dir, `vectors-${size}.db`) }), (s) => benchVectors(localIndex(s, `bench${size}`, EMBEDDER), size)),
    );
    if (typeof chroma !== 'string' && !chroma.process) {
      const name = chromaCollectionName(chromaPrefix, `bench${size}`, EMBEDDER.id); // a server not ours: leave it as found
      cleanup.push(async () => (await chromaClient(chroma.url)).client.deleteCollection({ name }));
    }
    const remote: Result<VectorFigures> =
      typeof chroma === 'string' ? chroma : await part(`chroma@${label(size)}`, () => benchVectors(chromaIndex({ url: chroma.url, collection: `bench${size}`, embedder: EMBEDDER, prefix: chromaPrefix }), size));
    vectors.push({ size, local, chroma: remote });
  }

  console.log(`bench:store on ${cpus().length} CPUs, Node ${process.version}; Redis ${typeof redis === 'string' ? 'unavailable' : redis.url}, Chroma ${typeof chroma === 'string' ? 'unavailable' : chroma.url}`);
  console.log(`\n== ingest: ${ATTEMPTS.toLocaleString('en-US')} attempts (${sqlite.runs} runs × ${TESTS} tests, 15 % retried), recordAttempt awaited one by one ==`);
  console.log(`  ${''.padEnd(46)} ${'sqlite'.padStart(18)} | redis`);
  row('attempts per second', sqlite, onRedis, (v) => rate(v.perSecond), (a, b) => `redis/sqlite ${ratio(b.perSecond, a.perSecond)}`);
  console.log(`\n== lookups: ${LOOKUPS} each, seeded random keys, median / p95 ==`);
  console.log(`  ${''.padEnd(46)} ${'sqlite'.padStart(18)} | redis`);
  row(`listSelectors({ project, pageKey }) ${PAGES * PER_PAGE} sel.`, sqlite, onRedis, (v) => lat(v.selectors), (a, b) => `p95 redis/sqlite ${ratio(p95(b.selectors), p95(a.selectors))}`);
  row('listAttempts({ testKey, limit: 20 })', sqlite, onRedis, (v) => lat(v.attempts), (a, b) => `p95 redis/sqlite ${ratio(p95(b.attempts), p95(a.attempts))}`);
  console.log(`\n== top-${K} vectors: dimension ${DIMENSION} (${EMBEDDER.id}), seeded random unit vectors, upserts of ${BATCH}, median / p95 ==`);
  console.log(`  ${''.padEnd(46)} ${'local (sqlite)'.padStart(18)} | chroma`);
  for (const v of vectors) {
    row(`@${label(v.size)}: insert vectors per second`, v.local, v.chroma, (f) => rate(f.perSecond));
    row(`@${label(v.size)}: query, ${queriesAt(v.size)} probes`, v.local, v.chroma, (f) => lat(f.plain), (a, b) => `p95 local/chroma ${ratio(p95(a.plain), p95(b.plain))}`);
    row(`@${label(v.size)}: query where category=timeout (1 in 5)`, v.local, v.chroma, (f) => lat(f.filtered), (a, b) => `p95 local/chroma ${ratio(p95(a.filtered), p95(b.filtered))}`);
  }
  console.log(`\n  wall time by part: ${seconds.join(', ')}`);
  const lookup = (r: Result<StoreFigures>) => short(r, (v) => `${ms(p95([...v.selectors, ...v.attempts]))}ms`);
  console.log(
    `\nstore: sqlite=${Math.round(sqlite.perSecond)} att/s redis=${short(onRedis, (v) => `${Math.round(v.perSecond)} att/s (${ratio(v.perSecond, sqlite.perSecond)})`)}` +
      ` | lookup p95 sqlite=${lookup(sqlite)} redis=${lookup(onRedis)}` +
      ` | topk p95 ${vectors.map((v) => `@${label(v.size)} local=${ms(p95(v.local.plain))}ms chroma=${short(v.chroma, (f) => `${ms(p95(f.plain))}ms`)}`).join(' ')}`,
  );
  if (process.env.CI && [redis, chroma].some((r) => typeof r === 'string')) {
    console.error('bench:store: a server was unavailable and CI is set');
    process.exitCode = 1;
  }
} finally {
  for (const step of cleanup.reverse()) await step().catch((error: unknown) => console.error(`bench:store: cleanup: ${describeError(error)}`));
  rmSync(dir, { recursive: true, force: true });
}
