// Acceptance of the self-healing fixture on the real demo suite (e2e/demo, written for app v1),
// run by the real Playwright runner with 4 workers: v1 feeds the catalog; on v2 (markup changed,
// same features) the same specs heal, and an oracle checks every heal found the element v1's
// locator meant; a second v2 run heals from known fixes without relocating; on v3 (real
// regressions) the tests of the removed features still fail. And shards: the knowledge of v1 and
// the first v2 run, copied into a real Redis (`medic migrate`, vectors into a real Chroma), takes
// the second v2 run as 4 concurrent `--shard` processes of one run group: every attempt is
// recorded once, and what they learn (patterns, catalog confidences, heals, vectors) equals what
// the same run learned unsharded in SQLite. After the first v2 run (issue 8's acceptance): its
// learning report opens in real Chromium with every section filled, no console error and no
// request, and its filters work; `medic apply` writes that run's heals into a copy of the specs,
// changing locator expressions only, and plain @playwright/test then passes on v2 every test
// medic got through.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumLaunchOptions } from '../src/browser/chromium.js';
import { pageKey } from '../src/learning/catalog.js';
import type { HealEvent } from '../src/learning/heals.js';
import { openSqliteStore } from '../src/store/sqliteOpen.js';
import { openRedisStore } from '../src/store/redis.js';
import { chromaIndex } from '../src/vector/chromaIndex.js';
import { hashingEmbedder } from '../src/vector/embedder.js';
import { localIndex } from '../src/vector/localIndex.js';
import { findChroma } from './helpers/chromaServer.js';
import { DEMO_ORACLE, type OracleCase } from './helpers/demoOracle.js';
import { freePort } from './helpers/freePort.js';
import { dropKeys, findRedis } from './helpers/redisServer.js';
import { learnedBy } from './helpers/teamSuite.js';
import { writeInlineProject, type InlineProject } from './helpers/inlineProject.js';
import { passing, plainRun, snapshot, withoutLocators, type Outcomes } from './helpers/plainDemo.js';
import type { ChangeReport } from '../src/apply/plan.js';

type ApplyJson = { written: string[]; files: { path: string; diff: string }[]; changes: ChangeReport[] };
const REPORT_SECTIONS = ['overview', 'heals', 'patterns', 'tests', 'selectors', 'risk', 'strategies', 'metrics'];

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'node_modules/@playwright/test/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'medic-fixture-'));
const storePath = join(dir, 'medic.db');
const reportDir = join(dir, 'report');
const PORT = await freePort();
const redis = await findRedis();
const chroma = redis ? await findChroma() : undefined;
const team = redis && chroma ? { redis, chroma, prefix: `medic-int:${process.pid}:demo-shards:`, chromaPrefix: `demo-shards-${process.pid}-` } : undefined;

type JsonTest = { results: { status: string; annotations?: { type: string; description?: string }[] }[] };
type JsonSpec = { title: string; file: string; tests: JsonTest[] };
type JsonSuite = { specs: JsonSpec[]; suites?: JsonSuite[] };
type SuiteRun = { exit: number | null; output: string; specs: Map<string, JsonSpec>; runId: string; heals: HealEvent[] };

function specsOf(suites: JsonSuite[], into = new Map<string, JsonSpec>()): Map<string, JsonSpec> {
  for (const suite of suites) {
    for (const spec of suite.specs) into.set(`${spec.file} › ${spec.title}`, spec);
    specsOf(suite.suites ?? [], into);
  }
  return into;
}

/** The v2 suite as 4 concurrent shards of one run group, each its own process, app server and output, against one Redis and one Chroma. */
async function runShards(t: NonNullable<typeof team>): Promise<{ exit: number | null; output: string }[]> {
  return Promise.all(
    [1, 2, 3, 4].map(async (i) => {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        MEDIC_APP_VERSION: 'v2',
        MEDIC_DEMO_PORT: String(await freePort()),
        MEDIC_DEMO_JSON: join(dir, `shard-${i}.json`),
        MEDIC_HEALING_MODE: 'heal',
        MEDIC_REDIS_URL: t.redis.url,
        MEDIC_REDIS_PREFIX: t.prefix,
        MEDIC_VECTORS_KIND: 'chroma',
        MEDIC_CHROMA_URL: t.chroma.url,
        MEDIC_CHROMA_PREFIX: t.chromaPrefix,
        MEDIC_STORE_SPOOL_PATH: join(dir, `spool-${i}.db`),
        MEDIC_RUN_GROUP: 'demo-v2-again',
      };
      const child = spawn(process.execPath, [cli, 'test', `--shard=${i}/4`, '--workers=1', '--retries=0', '--timeout=60000', `--output=${join(dir, `shard-${i}`)}`], { cwd: root, env });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      return { exit: await new Promise<number | null>((done) => child.on('exit', done)), output: `shard ${i}/4:\n${output}` };
    }),
  );
}

/** What the SQLite store learned (after the unsharded second v2 run). */
async function learnedInSqlite() {
  const store = openSqliteStore({ path: storePath, readonly: true });
  try {
    return { ...(await learnedBy(store, 'default')), vectors: await localIndex(store, 'failures', hashingEmbedder()).count({ project: 'default' }) };
  } finally {
    await store.close();
  }
}

async function runSuite(version: 'v1' | 'v2' | 'v3', name: string, files: string[] = [], at = storePath, extra: NodeJS.ProcessEnv = {}): Promise<SuiteRun> {
  const json = join(dir, `${name}.json`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MEDIC_APP_VERSION: version,
    MEDIC_STORE_PATH: at,
    // Each capture records its page's address and storage, for the pre-flight run.
    MEDIC_RISK_PREFLIGHT_STATE: 'storage',
    MEDIC_DEMO_PORT: String(PORT),
    MEDIC_DEMO_JSON: json,
    MEDIC_HEALING_MODE: 'heal',
    // Before the first v2 run the global setup scores the risk (for its report's risk section); no pre-flight, which would change what heals.
    ...(name === 'v2' ? { MEDIC_DEMO_GLOBAL_SETUP: '1', MEDIC_RISK_PREFLIGHT: 'off' } : {}),
    MEDIC_RISK_FILE: join(dir, 'risk.json'),
    MEDIC_REPORT_DIR: reportDir,
    ...extra,
  };
  // A 60 s test timeout: this checks what heals, not how fast (bench:overhead measures that),
  // and a loaded 2-core CI machine must not turn slowness into failures.
  const child = spawn(process.execPath, [cli, 'test', '--workers=4', '--retries=0', '--timeout=60000', ...files], { cwd: root, env });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exit = await new Promise<number | null>((done) => child.on('exit', done));
  const report = JSON.parse(readFileSync(json, 'utf8')) as { suites: JsonSuite[] };
  const store = openSqliteStore({ path: at, readonly: true });
  try {
    const [run] = await store.listRuns({ limit: 1 });
    return { exit, output, specs: specsOf(report.suites), runId: run!.id, heals: await store.listHeals({ runId: run!.id }) };
  } finally {
    await store.close();
  }
}

const passed = (run: SuiteRun) => [...run.specs].filter(([, s]) => s.tests.every((t) => t.results.at(-1)?.status === 'passed')).map(([k]) => k);
const failed = (run: SuiteRun) => [...run.specs].filter(([, s]) => s.tests.some((t) => t.results.at(-1)?.status !== 'passed' && t.results.at(-1)?.status !== 'skipped')).map(([k]) => k);
const healedAnnotations = (run: SuiteRun) =>
  [...run.specs.values()].flatMap((s) => s.tests.flatMap((t) => (t.results.at(-1)?.annotations ?? []).filter((a) => a.type === 'medic-healed')));

let v1: SuiteRun;
let v2: SuiteRun;
let again: SuiteRun;
let v3: SuiteRun;
let preflighted: SuiteRun;
let browser: Browser;
let whole: Awaited<ReturnType<typeof learnedInSqlite>>;
let shards: { exit: number | null; output: string }[] = [];
let migrated = '';

describe('the demo suite written for v1, healed by playwright-medic', { timeout: 600_000 }, () => {
  beforeAll(async () => {
    v1 = await runSuite('v1', 'v1');
    // What v1 taught, in a store of its own for a first v2 run after pre-flight (every selector, pages opened in their recorded state).
    const preflightStore = join(dir, 'preflight.db');
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(storePath + suffix)) cpSync(storePath + suffix, preflightStore + suffix);
    v2 = await runSuite('v2', 'v2');
    preflighted = await runSuite('v2', 'v2-preflight', [], preflightStore, {
      MEDIC_DEMO_GLOBAL_SETUP: '1',
      MEDIC_RISK_PREFLIGHT: 'always',
      MEDIC_RISK_PREFLIGHT_BUDGET_MS: '120000',
      MEDIC_RISK_FILE: join(dir, 'preflight-risk.json'),
      MEDIC_REPORT_DIR: join(dir, 'preflight-report'),
    });
    if (team) {
      // What v1 and v2 taught, copied into Redis (and the pattern vectors into Chroma) as a team moving to shared memory would.
      const env = { ...process.env, MEDIC_REDIS_PREFIX: team.prefix, MEDIC_VECTORS_KIND: 'chroma', MEDIC_CHROMA_URL: team.chroma.url, MEDIC_CHROMA_PREFIX: team.chromaPrefix };
      const copy = spawnSync(process.execPath, [join(root, 'dist/src/cli/main.js'), '--store', storePath, 'migrate', '--to', team.redis.url], { cwd: dir, env, encoding: 'utf8' });
      migrated = `${copy.status} ${copy.stdout}${copy.stderr}`;
    }
    again = await runSuite('v2', 'v2-again');
    whole = await learnedInSqlite();
    if (team && migrated.startsWith('0 ')) shards = await runShards(team);
    v3 = await runSuite('v3', 'v3', ['e2e/demo/catalog.spec.ts', 'e2e/demo/checkout.spec.ts']);
    browser = await chromium.launch(chromiumLaunchOptions());
    console.log(
      `fixture acceptance: v1 ${passed(v1).length}/${v1.specs.size} passed; v2 ${passed(v2).length}/${v2.specs.size} passed with ` +
        `${v2.heals.filter((h) => h.outcome === 'healed').length} heals (failed: ${failed(v2).join('; ')}); v2 again ${passed(again).length}/${again.specs.size} passed with ` +
        `${again.heals.filter((h) => h.outcome === 'healed' && h.strategy === 'known_fix').length} known fixes and ` +
        `${again.heals.filter((h) => h.strategy !== 'known_fix').length} relocations; after pre-flight, v2 ${passed(preflighted).length}/${preflighted.specs.size} passed with ` +
        `${preflighted.heals.filter((h) => h.outcome === 'healed' && h.strategy === 'known_fix').length} known fixes and ${preflighted.heals.filter((h) => h.outcome === 'healed' && h.strategy !== 'known_fix').length} other heals; v3 failed: ${failed(v3).join('; ')}`,
    );
  }, 1_500_000);

  afterAll(async () => {
    await browser?.close();
    if (team) {
      await dropKeys(team.redis.url, team.prefix);
      await team.redis.stop();
      await team.chroma.stop();
    }
  });

  it('passes on v1 and fills the catalog', async () => {
    expect(failed(v1), v1.output).toEqual([]);
    const store = openSqliteStore({ path: storePath, readonly: true });
    const selectors = await store.listSelectors({ project: 'default' });
    await store.close();
    expect(selectors.length).toBeGreaterThan(50);
    expect(selectors.filter((s) => s.fingerprint !== null).length).toBeGreaterThan(50);
  });

  it('heals on v2, and every heal is the element the v1 locator meant (oracle), with pre-flight too', async () => {
    expect(v2.heals.filter((h) => h.outcome === 'healed').length).toBeGreaterThan(10);
    expect(passed(v2).length).toBeGreaterThan(0);
    // The pre-flight run's known fixes are pre-flight's heals: the oracle checks them as they were used.
    const healed = [...v2.heals, ...preflighted.heals].filter((h) => h.outcome === 'healed');
    const unchecked: string[] = [];
    const wrong: string[] = [];
    const server = spawn(process.execPath, ['e2e/server.mjs', '--app', 'v2', '--port', String(PORT)], { cwd: root, stdio: 'ignore' });
    try {
      await waitForServer(`http://127.0.0.1:${PORT}/healthz`);
      // Each distinct (oracle case, healed selector) is checked once (many tests heal alike), four pages at a time.
      const checks = new Map<string, { oracle: OracleCase; selector: string; heals: typeof healed }>();
      for (const heal of healed) {
        const oracle = DEMO_ORACLE.find((c) => c.code === heal.from.code && pageKey(`http://x${c.path}`) === heal.pageKey);
        if (!oracle) {
          unchecked.push(`${heal.pageKey} ${heal.from.code} → ${heal.to?.code}`);
          continue;
        }
        const key = `${DEMO_ORACLE.indexOf(oracle)} ${heal.to!.selector}`;
        const check = checks.get(key) ?? { oracle, selector: heal.to!.selector, heals: [] };
        check.heals.push(heal);
        checks.set(key, check);
      }
      const queue = [...checks.values()];
      const worker = async () => {
        for (let check = queue.shift(); check; check = queue.shift()) {
          const problem = await sameElement(check.oracle, check.selector);
          if (problem) for (const heal of check.heals) wrong.push(`${heal.from.code} → ${heal.to?.code}: ${problem}`);
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
    } finally {
      server.kill();
      await new Promise((done) => server.on('exit', done));
    }
    expect({ unchecked, wrong }, 'heals the oracle (test/helpers/demoOracle.ts) does not know, and wrong heals').toEqual({ unchecked: [], wrong: [] });
  });

  it('records each heal once, with its annotation, across 4 workers', () => {
    for (const run of [v2, again]) {
      const healed = run.heals.filter((h) => h.outcome === 'healed');
      expect(healedAnnotations(run)).toHaveLength(healed.length);
      expect(new Set(run.heals.map((h) => h.id)).size).toBe(run.heals.length);
    }
  });

  it('says where a position now holds another element (the reordered shipping radios), on every v2 run and never on v1', () => {
    const drifts = (run: SuiteRun) =>
      [...run.specs].flatMap(([name, s]) => s.tests.flatMap((t) => (t.results.at(-1)?.annotations ?? []).filter((a) => a.type === 'medic-drift').map((a) => `${name}: ${a.description}`)));
    expect(drifts(v1)).toEqual([]);
    for (const run of [v2, again]) {
      expect(drifts(run)).toEqual([
        expect.stringMatching(/^checkout\.spec\.ts › places an order with express shipping: locator\('input\[name="shipping"\]'\)\.nth\(1\) picks by position, .*"Standard delivery .* where it found "Express \(2 days\) · \$15\.00" before, which is now at nth\(0\)/),
      ]);
    }
  });

  it('on a second v2 run heals from known fixes, without relocating, and passes what the first run passed', () => {
    const known = again.heals.filter((h) => h.strategy === 'known_fix' && h.outcome === 'healed');
    expect(known.length).toBeGreaterThan(0);
    // Per test: a fix learned in one test may not fit another test's state (another error text).
    const where = (h: HealEvent) => `${h.testKey} ${h.pageKey} ${h.from.selector}`;
    const relocatedBefore = new Set(v2.heals.filter((h) => h.outcome === 'healed').map(where));
    const relocatedAgain = again.heals.filter((h) => h.strategy !== 'known_fix' && relocatedBefore.has(where(h)));
    expect(relocatedAgain.map((h) => h.from.code)).toEqual([]);
    for (const name of passed(v2)) expect(passed(again), name).toContain(name);
  });

  it('after pre-flight on v2 (each page opened at its recorded address, with its storage), relocates a quarter as often and passes what the first v2 run passed', () => {
    const line = /medic pre-flight: \d+ selectors on \d+ pages in [\d.]+ s: \d+ still there, (\d+) healed before the suite/.exec(preflighted.output);
    expect(line, preflighted.output).not.toBeNull();
    expect(Number(line![1]), preflighted.output).toBeGreaterThan(20);
    // Position picks heal inside the tests (a position may now hold another element, which the test is told of): pre-flight leaves them.
    const found = (run: SuiteRun) => run.heals.filter((h) => h.outcome === 'healed' && h.strategy !== 'known_fix' && !/\bnth=/.test(h.from.selector));
    expect(found(preflighted).length * 4, found(preflighted).map((h) => h.from.code).join('\n')).toBeLessThan(found(v2).length);
    for (const name of passed(v2)) expect(passed(preflighted), name).toContain(name);
  });

  it.skipIf(!team)('as 4 concurrent shards against one Redis and one Chroma, records every attempt once and learns what the unsharded run learned', async () => {
    expect(migrated, 'medic migrate').toMatch(/^0 /);
    const output = shards.map((s) => s.output).join('\n');
    expect(shards.map((s) => s.exit).sort(), output).toContain(1); // the toast copy still fails on v2
    // Anything not written, spooled or lost shows in a shard's output.
    expect(output).not.toMatch(/medic: (could not|the knowledge store is unusable|the chroma vector index is unavailable|the store at .* is unreachable|\d+ of \d+ records)/);
    const store = openRedisStore({ url: team!.redis.url, keyPrefix: team!.prefix });
    try {
      const runs = (await store.listRuns({ project: 'default' })).filter((r) => r.shard);
      expect(runs.map((r) => [r.shard!.current, r.group]).sort(), output).toEqual([1, 2, 3, 4].map((i) => [i, 'demo-v2-again']));
      const attempts = (await Promise.all(runs.map((r) => store.listAttempts({ runId: r.id })))).flat();
      const sqlite = openSqliteStore({ path: storePath, readonly: true });
      const unsharded = await sqlite.listAttempts({ runId: again.runId }).finally(() => sqlite.close());
      expect(attempts.map((a) => `${a.testKey} ${a.status}`).sort()).toEqual(unsharded.map((a) => `${a.testKey} ${a.status}`).sort());
      expect(new Set(attempts.map((a) => a.testKey)).size).toBe(again.specs.size);
      const sharded = { ...(await learnedBy(store, 'default')), vectors: await localIndex(store, 'failures', hashingEmbedder()).count({ project: 'default' }) };
      expect(whole.catalog.length).toBeGreaterThan(50);
      expect(whole.heals.length).toBeGreaterThan(10);
      expect(sharded).toEqual(whole);
      const inChroma = await chromaIndex({ url: team!.chroma.url, collection: 'failures', embedder: hashingEmbedder(), prefix: team!.chromaPrefix }).count({ project: 'default' });
      expect(inChroma).toBe(whole.vectors);
    } finally {
      await store.close();
    }
  });

  it('on v3 the tests of the removed features still fail (no false pass)', () => {
    expect(failed(v3)).toEqual(
      expect.arrayContaining([
        'catalog.spec.ts › in-stock filter hides sold-out products',
        'catalog.spec.ts › combines category and in-stock filters',
        'checkout.spec.ts › places an order with express shipping',
      ]),
    );
    expect(v3.exit).not.toBe(0);
  });

  describe('after the first v2 run: its learning report, and medic apply', () => {
    let project: InlineProject;
    let page: Page;
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    let reportCli = '';
    let before: Map<string, string>;
    let after: Map<string, string>;
    let dryRun: ReturnType<typeof spawnSync>;
    let plan: ApplyJson;
    let plainAfter: Outcomes;
    const reportFile = () => join(project.dir, 'report.html');
    const medic = (args: string[]) => spawnSync(process.execPath, [join(root, 'dist/src/cli/main.js'), '--store', storePath, ...args], { cwd: project.dir, encoding: 'utf8' });

    beforeAll(async () => {
      project = writeInlineProject({ 'package.json': '{ "type": "module" }\n' });
      const written = medic(['report', '--run', v2.runId, '--dir', reportDir, '-o', reportFile(), '--ctrf', join(project.dir, 'ctrf.json')]);
      reportCli = `${written.status} ${written.stdout}${written.stderr}`;
      page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
      page.on('pageerror', (e) => consoleErrors.push(String(e)));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`file://${reportFile()}`);
      await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');

      // medic apply on a copy of the specs as they were when v2 ran, with the v2 run's heals (reviewed or not).
      cpSync(join(root, 'e2e/demo'), join(project.dir, 'demo'), { recursive: true });
      before = snapshot(join(project.dir, 'demo'));
      dryRun = medic(['apply', '--run', v2.runId, '--pending', '--dry-run', '--root-dir', 'demo']);
      const applied = medic(['apply', '--run', v2.runId, '--pending', '--json', '--root-dir', 'demo']);
      if (applied.status !== 0) throw new Error(`medic apply failed:\n${applied.stdout}${applied.stderr}`);
      plan = JSON.parse(applied.stdout) as ApplyJson;
      after = snapshot(join(project.dir, 'demo'));
      plainAfter = (await plainRun(project.dir, 'demo', 4)).outcomes;
      const count = (status: string) => plan.changes.filter((c) => c.status === status).length;
      console.log(
        `medic apply on the demo after v2: with medic ${passed(v2).length}/${v2.specs.size} passed; plain @playwright/test after the apply ${passing(plainAfter).length}/${plainAfter.size}; ` +
          `changes: ${count('applied')} applied, ${count('partly applied')} partly, ${count('skipped')} skipped, in ${plan.files.length} files`,
      );
    }, 600_000);
    afterAll(() => project?.remove());

    it('the report of the v2 run renders every section with its data, with no console error and no request', async ({ annotate }) => {
      expect(reportCli).toMatch(/^0 medic report: wrote /);
      expect(readFileSync(join(reportDir, 'index.html'), 'utf8')).toContain("default-src 'none'"); // the reporter wrote one after each run
      expect(await page.evaluate(() => document.documentElement.dataset.error)).toBeUndefined();
      for (const id of REPORT_SECTIONS) {
        const section = page.locator(`section#${id}`);
        expect(await section.count(), id).toBe(1);
        expect(await section.locator('[data-empty]').count(), `section ${id} shows its empty state`).toBe(0);
        const shot = join(project.dir, `section-${id}.png`);
        await section.screenshot({ path: shot });
        await annotate(`report section: ${id}`, { path: shot, contentType: 'image/png' });
      }
      const healed = v2.heals.find((h) => h.outcome === 'healed' && h.to)!;
      expect(await page.locator('#heals-table tbody tr').count()).toBe(Math.min(100, v2.heals.length));
      expect(await page.locator('#heals-table').textContent()).toContain(healed.to!.code);
      expect(await page.locator('#risk .card').count()).toBeGreaterThanOrEqual(4);
      expect(await page.locator('#metrics .card').count()).toBe(7);
      expect(await page.locator('#tests-table .strip').count()).toBeGreaterThan(0);
      expect(await page.locator('#heals-table img.shot').count()).toBe(0); // screenshots are drawn on demand (below)
      expect(consoleErrors).toEqual([]);
      expect(requests).toEqual([`file://${reportFile()}`]);
    });

    it('the report’s tables filter and sort, and a heal shows its explanation and screenshot on click', async () => {
      const rows = page.locator('#heals-table tbody tr:not(.details)');
      const all = await rows.count();
      const healedHeals = v2.heals.filter((h) => h.outcome === 'healed');
      await page.locator('#heals-table select[data-select="outcome"]').selectOption('healed');
      expect(await rows.count()).toBe(Math.min(100, healedHeals.length));
      expect(new Set(await rows.locator('td:first-child').allTextContents())).toEqual(new Set(['healed']));
      const healed = healedHeals.find((h) => h.screenshot && h.to)!;
      await page.locator('#heals-table input[data-filter]').fill(healed.to!.code);
      expect(await rows.count()).toBeGreaterThan(0);
      expect(await rows.count()).toBeLessThan(Math.min(100, healedHeals.length));
      await rows.first().click();
      const details = page.locator('#heals-table tr.details');
      expect(await details.count()).toBe(1);
      expect(await details.locator('table.explanation, p.muted').count()).toBeGreaterThan(0);
      expect(await details.locator('img.shot').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
      await page.locator('#heals-table input[data-filter]').fill('');
      await page.locator('#heals-table select[data-select="outcome"]').selectOption('all');
      expect(await rows.count()).toBe(all);

      const header = page.locator('#heals-table th', { hasText: 'confidence' });
      const confidences = async () => (await page.locator('#heals-table tbody tr:not(.details) td:nth-child(7)').allTextContents()).map(Number);
      await header.click();
      const up = await confidences();
      expect(up).toEqual([...up].sort((a, b) => a - b));
      await header.click();
      expect(await header.getAttribute('aria-sort')).toBe('descending');
      const down = await confidences();
      expect(down).toEqual([...down].sort((a, b) => b - a));

      await page.locator('#tests-table select[data-select="state"]').selectOption('all');
      expect(await page.locator('#tests-table tbody tr').count()).toBe(v2.specs.size);
      await page.locator('#tests-table select[data-select="state"]').selectOption('failed this run');
      expect((await page.locator('#tests-table tbody tr td:nth-child(4)').allTextContents()).sort()).toEqual(failed(v2).map(() => 'failed'));
    });

    it('the run as CTRF JSON: each test with its heals under extra.medic', () => {
      const ctrf = JSON.parse(readFileSync(join(project.dir, 'ctrf.json'), 'utf8')) as {
        reportFormat: string;
        results: { summary: { tests: number; failed: number }; tests: Array<{ status: string; extra: { medic: { heals: unknown[] } } }> };
      };
      expect(ctrf.reportFormat).toBe('CTRF');
      expect(ctrf.results.summary).toMatchObject({ tests: v2.specs.size, failed: failed(v2).length });
      expect(ctrf.results.tests.reduce((n, t) => n + t.extra.medic.heals.length, 0)).toBe(v2.heals.length);
    });

    it('medic apply --dry-run prints the diff it then writes; it changes locator expressions only', () => {
      expect(dryRun.status, String(dryRun.stderr)).toBe(0);
      expect(String(dryRun.stdout)).toMatch(/^--- a\/pages\/CatalogPage\.ts\n\+\+\+ b\/pages\/CatalogPage\.ts\n@@ /m);
      expect(String(dryRun.stdout).startsWith(plan.files.map((f) => f.diff).join(''))).toBe(true);
      expect(plan.written.sort()).toEqual(plan.files.map((f) => f.path).sort());
      const changed = [...after].filter(([f, text]) => text !== before.get(f)).map(([f]) => f);
      expect(changed.sort()).toEqual(plan.files.map((f) => f.path).sort());
      expect(changed.length).toBeGreaterThan(5);
      for (const file of changed) expect(withoutLocators(file, after.get(file)!), file).toBe(withoutLocators(file, before.get(file)!));
    });

    it('after medic apply, every test medic got through v2 passes with plain @playwright/test, each of them having needed a heal', () => {
      expect(passed(v2).filter((name) => !passing(plainAfter).includes(name))).toEqual([]);
      // The tests that broke as written on v2 (each needed a heal there) are among them: the apply, not luck, made them pass.
      const specKey = (testKey: string) => `${testKey.split(' › ')[1]} › ${testKey.split(' › ').at(-1)}`;
      const healedTests = [...new Set(v2.heals.filter((h) => h.outcome === 'healed').map((h) => specKey(h.testKey)))].filter((name) => passed(v2).includes(name));
      expect(healedTests.length).toBeGreaterThan(10);
      expect(healedTests.filter((name) => !passing(plainAfter).includes(name))).toEqual([]);
    });

    it('medic apply finds nothing left to do a second time, and refuses a file edited since the heal', () => {
      const again = medic(['apply', '--run', v2.runId, '--pending', '--json', '--root-dir', 'demo']);
      expect(again.status, again.stderr).toBe(0);
      const second = JSON.parse(again.stdout) as ApplyJson;
      expect(second.written).toEqual([]);
      expect(second.changes.filter((c) => c.status === 'already applied').length).toBe(plan.changes.filter((c) => c.places.length).length);

      cpSync(join(root, 'e2e/demo'), join(project.dir, 'edited'), { recursive: true });
      writeFileSync(join(project.dir, 'edited/pages/CartPage.ts'), `${readFileSync(join(project.dir, 'edited/pages/CartPage.ts'), 'utf8')}// edited by hand\n`);
      const refused = medic(['apply', '--run', v2.runId, '--pending', '--dry-run', '--json', '--root-dir', 'edited']);
      const result = JSON.parse(refused.stdout) as ApplyJson;
      expect(result.files.map((f) => f.path)).not.toContain('pages/CartPage.ts');
      expect(result.files.map((f) => f.path)).toContain('pages/CatalogPage.ts');
      expect(result.changes.find((c) => c.from === "locator('#cart-subtotal')")).toMatchObject({ status: 'skipped', reasons: [expect.stringMatching(/^pages\/CartPage\.ts changed since the heal was recorded .*--force$/)] });
    });
  });
});

/** Opens v2 as the oracle case says; undefined when the healed selector finds the oracle's element (or, for a list, exactly its elements), else why not. */
async function sameElement(oracle: OracleCase, selector: string): Promise<string | undefined> {
  const page: Page = await browser.newPage({ baseURL: `http://127.0.0.1:${PORT}` });
  try {
    await page.goto('/');
    await page.evaluate((s) => {
      localStorage.clear();
      if (s.cart) localStorage.setItem('shop.cart', JSON.stringify(s.cart));
      if (s.signedIn) localStorage.setItem('shop.user', JSON.stringify({ email: 'demo@example.com', name: 'Demo User' }));
    }, oracle.state ?? {});
    await page.goto(oracle.path);
    await oracle.prepare?.(page);
    await oracle.target(page).first().waitFor({ state: 'attached', timeout: 10_000 });
    await page.waitForLoadState('networkidle');
    if (oracle.set) {
      const expected = await oracle.target(page).elementHandles();
      const actual = await page.locator(selector).elementHandles();
      const same = await page.evaluate(([a, b]) => a.length === b.length && a.every((e, i) => e === b[i]), [expected, actual] as const);
      return same ? undefined : `the healed list has ${actual.length} elements on ${oracle.path}, not exactly the ${expected.length} of the oracle`;
    }
    const expected = await oracle.target(page).elementHandle({ timeout: 10_000 });
    const found = await page.locator(selector).count();
    if (found !== 1) return `the healed locator finds ${found} elements on ${oracle.path}`;
    const actual = await page.locator(selector).elementHandle();
    const lenient = oracle.lenient === true;
    const same = await page.evaluate(([a, b, loose]) => a === b || (loose && (a?.parentElement === b || b?.parentElement === a)), [expected, actual, lenient] as const);
    return same ? undefined : 'another element';
  } finally {
    await page.close();
  }
}

async function waitForServer(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`the demo server did not start on ${url}`);
}
