// `medic apply` end to end on the demo suite, in a temporary copy: real Playwright runs on v1 (to
// learn) and v2 (to heal) with a real SQLite store, then the built `medic apply --pending` writes
// the heals into the specs and page objects. The diff may touch locator expressions only, and
// with the specs switched to plain `@playwright/test` (no medic fixture), every test the healer
// got through v2 now passes on its own; measured against the same plain run before the apply.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeReport } from '../src/apply/plan.js';
import { chromiumLaunchOptions } from '../src/browser/chromium.js';
import type { HealEvent } from '../src/learning/heals.js';
import { openSqliteStore } from '../src/store/sqliteOpen.js';
import { freePort } from './helpers/freePort.js';
import { repoRoot, writeInlineProject, type InlineProject } from './helpers/inlineProject.js';

type JsonSpec = { title: string; file: string; tests: { results: { status: string }[] }[] };
type JsonSuite = { specs: JsonSpec[]; suites?: JsonSuite[] };
/** Each test (`file › title`) with its final status. */
type Outcomes = Map<string, string>;
type ApplyJson = { written: string[]; files: { path: string; diff: string }[]; changes: ChangeReport[] };

let project: InlineProject;
const SPECS = 'e2e/demo';
const storePath = () => join(project.dir, 'medic.db');
const specFiles = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).sort();
const snapshot = (dir: string) => new Map(specFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

function outcomesOf(file: string): Outcomes {
  const out: Outcomes = new Map();
  const visit = (suites: JsonSuite[]) => {
    for (const suite of suites) {
      for (const spec of suite.specs) out.set(`${spec.file} › ${spec.title}`, spec.tests[0]?.results.at(-1)?.status ?? 'none');
      visit(suite.suites ?? []);
    }
  };
  visit((JSON.parse(readFileSync(file, 'utf8')) as { suites: JsonSuite[] }).suites);
  return out;
}
const passing = (o: Outcomes) => [...o].filter(([, s]) => s === 'passed').map(([k]) => k);

/** The demo suite with the medic fixture and reporter, as the repository runs it. */
async function medicRun(version: 'v1' | 'v2'): Promise<Outcomes> {
  const json = join(project.dir, `${version}.json`);
  const env = { MEDIC_APP_VERSION: version, MEDIC_STORE_PATH: storePath(), MEDIC_DEMO_PORT: String(await freePort()), MEDIC_DEMO_JSON: json, MEDIC_HEALING_MODE: 'heal' };
  const run = await project.run(['--workers=2', '--retries=0', '--timeout=60000'], env);
  if (!existsSync(json)) throw new Error(`the ${version} run wrote no report:\n${run.stdout}\n${run.stderr}`);
  return outcomesOf(json);
}

/**
 * The specs of `from` copied to `name`/ with their import switched to plain @playwright/test, run
 * on v2 without medic, with the demo config's timeouts; more workers where most tests wait to fail.
 */
async function plainRun(name: string, from: string, workers: number): Promise<Outcomes> {
  const dir = join(project.dir, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(project.dir, from), dir, { recursive: true });
  for (const file of specFiles(dir).filter((f) => f.endsWith('.spec.ts'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    writeFileSync(join(dir, file), text.replace("from 'playwright-medic'", "from '@playwright/test'"));
  }
  expect(specFiles(dir).filter((f) => readFileSync(join(dir, f), 'utf8').includes('playwright-medic'))).toEqual([]);
  const port = await freePort();
  const json = join(project.dir, `${name}.json`);
  writeFileSync(
    join(project.dir, `${name}.config.ts`),
    `import { defineConfig, devices } from '@playwright/test';
export default defineConfig({
  testDir: './${name}',
  fullyParallel: true,
  timeout: 20_000,
  retries: 0,
  reporter: [['json', { outputFile: ${JSON.stringify(json)} }]],
  use: { baseURL: 'http://127.0.0.1:${port}', actionTimeout: 5_000, trace: 'off' },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], launchOptions: ${JSON.stringify(chromiumLaunchOptions())} } }],
  webServer: { command: 'node e2e/server.mjs --app v2 --port ${port}', url: 'http://127.0.0.1:${port}/healthz', reuseExistingServer: false, stdout: 'ignore' },
});
`,
  );
  const run = await project.run(['--config', `${name}.config.ts`, `--workers=${workers}`]);
  if (!existsSync(json)) throw new Error(`the plain run ${name} wrote no report:\n${run.stdout}\n${run.stderr}`);
  return outcomesOf(json);
}

const medic = (args: string[]) =>
  spawnSync(process.execPath, [join(repoRoot, 'dist/src/cli/main.js'), '--store', storePath(), 'apply', '--root-dir', SPECS, ...args], { cwd: project.dir, encoding: 'utf8' });

/** The text with every locator expression (a chain of locator calls, with what it is called on) replaced by `§`. */
function withoutLocators(path: string, text: string): string {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const LOCATOR = /^(locator|getBy[A-Z]\w*|filter|first|last|nth|and|or)$/;
  const isLink = (node: ts.Node): node is ts.CallExpression => ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && LOCATOR.test(node.expression.name.text);
  const spans: [number, number][] = [];
  const visit = (node: ts.Node): void => {
    if (isLink(node) && !(ts.isPropertyAccessExpression(node.parent) && isLink(node.parent.parent))) {
      spans.push([node.getStart(), node.getEnd()]);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    out += `${text.slice(at, start)}§`;
    at = end;
  }
  return out + text.slice(at);
}

let v1: Outcomes;
let v2: Outcomes;
let plainBefore: Outcomes;
let plainAfter: Outcomes;
let heals: HealEvent[] = [];
let before: Map<string, string>;
let dryRun: ReturnType<typeof medic>;
let applied: ReturnType<typeof medic>;
let plan: ApplyJson;
const seconds: string[] = [];

describe('medic apply on the demo suite (real runs, SQLite, v1 → v2)', { timeout: 600_000 }, () => {
  beforeAll(async () => {
    project = writeInlineProject({ 'package.json': '{ "type": "module" }\n' });
    cpSync(join(repoRoot, 'playwright.config.ts'), join(project.dir, 'playwright.config.ts'));
    mkdirSync(join(project.dir, 'e2e'));
    cpSync(join(repoRoot, 'e2e/demo'), join(project.dir, SPECS), { recursive: true });
    cpSync(join(repoRoot, 'e2e/server.mjs'), join(project.dir, 'e2e/server.mjs'));
    symlinkSync(join(repoRoot, 'e2e/apps'), join(project.dir, 'e2e/apps'), 'dir');
    const timed = async <T>(name: string, work: Promise<T>) => {
      const start = Date.now();
      const value = await work;
      seconds.push(`${name} ${Math.round((Date.now() - start) / 1000)} s`);
      return value;
    };
    // One run at a time: on 2 cores, concurrent browsers turn slowness into failures.
    v1 = await timed('v1', medicRun('v1'));
    plainBefore = await timed('plain before', plainRun('plain-before', SPECS, 4));
    v2 = await timed('v2', medicRun('v2'));
    const store = openSqliteStore({ path: storePath(), readonly: true });
    heals = await store.listHeals({}).finally(() => store.close());
    before = snapshot(join(project.dir, SPECS));
    dryRun = medic(['--pending', '--dry-run']);
    applied = medic(['--pending', '--json']);
    plan = JSON.parse(applied.stdout) as ApplyJson;
    plainAfter = await timed('plain after', plainRun('plain-after', SPECS, 2));
    const count = (status: ChangeReport['status']) => plan.changes.filter((c) => c.status === status).length;
    console.log(
      `medic apply on the demo: v1 ${passing(v1).length}/${v1.size} passed; v2 with medic ${passing(v2).length}/${v2.size} passed (${heals.filter((h) => h.outcome === 'healed').length} heals); ` +
        `plain @playwright/test on v2: ${passing(plainBefore).length}/${plainBefore.size} passed before the apply, ${passing(plainAfter).length}/${plainAfter.size} after; ` +
        `changes: ${count('applied')} applied, ${count('partly applied')} partly, ${count('skipped')} skipped, in ${plan.files.length} files` +
        plan.changes
          .filter((c) => c.status !== 'applied')
          .map((c) => `\n  ${c.status}: ${c.from} → ${c.to}: ${[...c.reasons, ...c.notes].join('; ')}`)
          .join('') +
        `\n  (${seconds.join(', ')})`,
    );
  }, 900_000);

  afterAll(() => project?.remove());

  it('learns on v1 and heals on v2, recording the hashes of each heal’s files', () => {
    expect(passing(v1)).toHaveLength(25);
    expect(heals.filter((h) => h.outcome === 'healed').length).toBeGreaterThan(10);
    const healed = heals.find((h) => h.testKey.includes('catalog.spec.ts') && h.outcome === 'healed')!;
    expect(Object.keys(healed.sources ?? {}).sort()).toEqual(['catalog.spec.ts', 'pages/CatalogPage.ts']);
  });

  it('prints the diff on --dry-run and writes nothing; the diff is what it then writes', () => {
    expect(dryRun.status, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toMatch(/^--- a\/pages\/CatalogPage\.ts\n\+\+\+ b\/pages\/CatalogPage\.ts\n@@ /m);
    expect(dryRun.stdout).toMatch(/medic apply: would apply \d+ of \d+ changes in \d+ files .*\(dry run: nothing written\)/);
    expect(applied.status, applied.stderr).toBe(0);
    expect(plan.written.sort()).toEqual(plan.files.map((f) => f.path).sort());
    expect(dryRun.stdout.startsWith(plan.files.map((f) => f.diff).join(''))).toBe(true);
    expect(plan.files.length).toBeGreaterThan(5);
  });

  it('changes locator expressions only: everything else in every file stays byte for byte', () => {
    const after = snapshot(join(project.dir, SPECS));
    expect([...after.keys()]).toEqual([...before.keys()]);
    const changed = [...after].filter(([f, text]) => text !== before.get(f)).map(([f]) => f);
    expect(changed.sort()).toEqual(plan.files.map((f) => f.path).sort());
    for (const file of changed) expect(withoutLocators(file, after.get(file)!), file).toBe(withoutLocators(file, before.get(file)!));
  });

  it('makes every test medic got through v2 pass with plain @playwright/test', () => {
    expect(passing(plainBefore).length).toBeLessThan(passing(v2).length);
    expect(passing(v2).filter((name) => !passing(plainAfter).includes(name))).toEqual([]);
  });

  it('finds nothing left to do on a second run, and refuses a file edited since the heal', () => {
    const again = medic(['--pending', '--json']);
    expect(again.status, again.stderr).toBe(0);
    const second = JSON.parse(again.stdout) as ApplyJson;
    expect(second.written).toEqual([]);
    expect(second.changes.filter((c) => c.places.length)).toEqual([]);
    expect(second.changes.filter((c) => c.status === 'already applied').length).toBe(plan.changes.filter((c) => c.places.length).length);

    // The same heals against the original specs, one page object edited since the v2 run.
    const edited = join(project.dir, 'edited');
    cpSync(join(repoRoot, SPECS), edited, { recursive: true });
    writeFileSync(join(edited, 'pages/CartPage.ts'), `${readFileSync(join(edited, 'pages/CartPage.ts'), 'utf8')}// edited by hand\n`);
    const refused = spawnSync(process.execPath, [join(repoRoot, 'dist/src/cli/main.js'), '--store', storePath(), 'apply', '--pending', '--dry-run', '--json', '--root-dir', 'edited'], { cwd: project.dir, encoding: 'utf8' });
    const result = JSON.parse(refused.stdout) as ApplyJson;
    expect(result.files.map((f) => f.path)).not.toContain('pages/CartPage.ts');
    expect(result.files.map((f) => f.path)).toContain('pages/CatalogPage.ts');
    const subtotal = result.changes.find((c) => c.from === "locator('#cart-subtotal')")!;
    expect(subtotal).toMatchObject({ status: 'skipped', reasons: [expect.stringMatching(/^pages\/CartPage\.ts changed since the heal was recorded .*--force$/)] });
  });
});
