// `npm run bench:overhead [-- --pairs 5 --workers 2]`: what playwright-medic costs when nothing
// is broken, and what the catalog's known fixes save when something is.
// 1. The demo suite on app v1 with playwright-medic (fixture + reporter) vs the same specs with
//    their import rewritten to plain `@playwright/test` (no medic reporter), in alternating
//    runs after one warm-up of each, every medic run with a catalog as old as a CI run finds it
//    (its captures paid); prints the median wall-time ratio (target ≤ 1.05).
// 2. On app v2: a first run that must relocate, then a second one that heals from known fixes;
//    prints both wall times and the time spent healing by strategy.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../src/store/sqliteOpen.js';
import { freePort } from '../test/helpers/freePort.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, '.tmp', 'overhead');
const cli = join(root, 'node_modules', '@playwright', 'test', 'cli.js');

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i < 0 ? fallback : Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`bench:overhead: --${name} must be a whole number above 0`);
    process.exit(2);
  }
  return value;
}
const pairs = flag('pairs', 5);
const port = await freePort();
const workers = flag('workers', 2);

/** The demo specs with `playwright-medic` replaced by `@playwright/test`, and a config without medic. */
function writePlainSuite(): string {
  const dir = join(work, 'plain');
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(root, 'e2e', 'demo'), dir, { recursive: true });
  let rewritten = 0;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.spec.ts')) continue;
    const path = join(dir, name);
    const text = readFileSync(path, 'utf8');
    const plain = text.replace(/from 'playwright-medic'/g, "from '@playwright/test'");
    if (plain !== text) rewritten++;
    writeFileSync(path, plain);
  }
  if (rewritten === 0) throw new Error('bench:overhead: no spec imports playwright-medic; nothing to compare');
  const config = join(work, 'plain.config.ts');
  writeFileSync(
    config,
    `import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from '../../dist/src/browser/chromium.js';
const port = Number(process.env.MEDIC_DEMO_PORT ?? 4173);
export default defineConfig({
  testDir: './plain',
  fullyParallel: true,
  timeout: 20_000,
  reporter: [['list']],
  use: { baseURL: \`http://127.0.0.1:\${port}\`, actionTimeout: 5_000, trace: 'off' },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions() } }],
  webServer: { command: \`node e2e/server.mjs --app \${process.env.MEDIC_APP_VERSION ?? 'v1'} --port \${port}\`, url: \`http://127.0.0.1:\${port}/healthz\`, reuseExistingServer: false, stdout: 'ignore', cwd: ${JSON.stringify(root)} },
});
`,
  );
  return config;
}

type Run = { ms: number; exit: number | null; output: string };

function runSuite(config: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, 'test', '--config', config, `--workers=${workers}`, '--retries=0'], {
    cwd: root,
    env: { ...process.env, MEDIC_DEMO_PORT: String(port), ...env },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((done) => child.on('exit', (exit) => done({ ms: performance.now() - started, exit, output })));
}

function mustPass(label: string, run: Run): void {
  if (run.exit !== 0) {
    console.error(run.output);
    throw new Error(`bench:overhead: the ${label} run failed on v1, where the suite must pass`);
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const s = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

mkdirSync(work, { recursive: true });
const plainConfig = writePlainSuite();
const medicConfig = join(root, 'playwright.config.ts');
const store = join(work, 'medic.db');
for (const suffix of ['', '-wal', '-shm']) rmSync(store + suffix, { force: true });
const medicEnv = { MEDIC_APP_VERSION: 'v1', MEDIC_STORE_PATH: store, MEDIC_QUIET: '1' };

console.log(`bench:overhead: ${pairs} pairs, ${workers} workers, after one warm-up run of each`);

/** How long a fresh Node process takes to import `entry` once @playwright/test is loaded: what every worker (fixture) and the runner (fixture, reporter) pay. */
function importMs(entry: string): number {
  const script = `await import('@playwright/test'); const t = performance.now(); await import(${JSON.stringify(pathToFileURL(join(root, entry)).href)}); console.log(performance.now() - t);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench:overhead: importing ${entry} failed:\n${r.stderr}`);
  return Number(r.stdout.trim());
}
const imports = (['fixtures', 'reporter'] as const).map((entry) => {
  const times = { bundle: [] as number[], modules: [] as number[] };
  for (let i = 0; i < 7; i++) {
    times.bundle.push(importMs(`dist/bundle/${entry}/index.js`));
    times.modules.push(importMs(`dist/${entry}/index.js`));
  }
  return `${entry} ${median(times.bundle).toFixed(0)} ms bundled (what the package exports) vs ${median(times.modules).toFixed(0)} ms as tsc's modules`;
});
console.log(`  import after @playwright/test, median of 7 fresh processes each, alternating: ${imports.join('; ')}`);
mustPass('medic warm-up', await runSuite(medicConfig, medicEnv));
mustPass('plain warm-up', await runSuite(plainConfig, { MEDIC_APP_VERSION: 'v1' }));
/**
 * Makes the catalog look as a run more than CAPTURE_FRESH_MS ago left it (src/browser/stepKit.ts):
 * without it, runs in a row skip the captures of selectors they just captured, which a CI run
 * hours after the last one does not. Every medic run below pays for its captures, as such a run does.
 */
function ageCatalog(path: string): void {
  const db = new Database(path);
  try {
    db.prepare("UPDATE selectors SET data = json_remove(data, '$.capturedAt')").run();
  } finally {
    db.close();
  }
}

const ratios: number[] = [];
const totals = { medic: 0, plain: 0 };
for (let i = 0; i < pairs; i++) {
  const medicFirst = i % 2 === 0;
  ageCatalog(store);
  const first = await runSuite(medicFirst ? medicConfig : plainConfig, medicFirst ? medicEnv : { MEDIC_APP_VERSION: 'v1' });
  const second = await runSuite(medicFirst ? plainConfig : medicConfig, medicFirst ? { MEDIC_APP_VERSION: 'v1' } : medicEnv);
  const [medic, plain] = medicFirst ? [first, second] : [second, first];
  mustPass('medic', medic);
  mustPass('plain', plain);
  ratios.push(medic.ms / plain.ms);
  totals.medic += medic.ms;
  totals.plain += plain.ms;
  console.log(`  pair ${i + 1}: medic ${s(medic.ms)}  plain ${s(plain.ms)}  ratio ${(medic.ms / plain.ms).toFixed(3)}`);
}

// Known fixes vs first-time relocation, on v2 from the catalog v1 filled.
const v2Store = join(work, 'medic-v2.db');
for (const suffix of ['', '-wal', '-shm']) rmSync(v2Store + suffix, { force: true });
if (!existsSync(store)) throw new Error('bench:overhead: the medic runs left no store');
copyFileSync(store, v2Store);
for (const suffix of ['-wal']) if (existsSync(store + suffix)) copyFileSync(store + suffix, v2Store + suffix);
const v2Env = { MEDIC_APP_VERSION: 'v2', MEDIC_STORE_PATH: v2Store, MEDIC_QUIET: '1' };
const relocating = await runSuite(medicConfig, v2Env);
const knowing = await runSuite(medicConfig, v2Env);
const db = openSqliteStore({ path: v2Store, readonly: true });
const [second, first] = await db.listRuns({ limit: 2 });
const healTime = async (runId: string | undefined) => {
  const heals = runId ? await db.listHeals({ runId }) : [];
  const by = new Map<string, { n: number; ms: number }>();
  for (const h of heals) {
    const entry = by.get(h.strategy) ?? { n: 0, ms: 0 };
    by.set(h.strategy, { n: entry.n + 1, ms: entry.ms + h.durationMs });
  }
  return [...by].map(([k, v]) => `${k} ${v.n}× ${s(v.ms)} (mean ${(v.ms / v.n).toFixed(0)} ms)`).join(', ') || 'none';
};
console.log(`  v2 first run (relocating): ${s(relocating.ms)}; heals: ${await healTime(first?.id)}`);
console.log(`  v2 second run (known fixes): ${s(knowing.ms)}; heals: ${await healTime(second?.id)}`);
await db.close();

console.log(
  `overhead: median ratio=${median(ratios).toFixed(3)} (medic/plain wall time on v1, ${pairs} pairs; target ≤ 1.05; ` +
    `pairs ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}, all medic runs / all plain runs ${(totals.medic / totals.plain).toFixed(3)}) | ` +
    `v2 known fixes saved ${s(relocating.ms - knowing.ms)} (${s(relocating.ms)} → ${s(knowing.ms)})`,
);
