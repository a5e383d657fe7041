// The demo suite as plain Playwright runs it, for `medic apply`'s acceptance: the specs of a
// folder with their import switched from playwright-medic to @playwright/test, run on app v2
// with Playwright's JSON reporter only; and a view of a spec with its locator expressions masked.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { chromiumLaunchOptions } from '../../src/browser/chromium.js';
import { freePort } from './freePort.js';
import { repoRoot } from './inlineProject.js';

type JsonSpec = { title: string; file: string; tests: { results: { status: string }[] }[] };
type JsonSuite = { specs: JsonSpec[]; suites?: JsonSuite[] };
/** Each test (`file › title`) with its final status. */
export type Outcomes = Map<string, string>;

export const sourceFiles = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).sort();
export const snapshot = (dir: string) => new Map(sourceFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
export const passing = (o: Outcomes) => [...o].filter(([, s]) => s === 'passed').map(([k]) => k);

export function outcomesOf(file: string): Outcomes {
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

/** Runs the specs in `specs` (a folder under `dir`) on app v2 with plain @playwright/test: their import is switched first. */
export async function plainRun(dir: string, specs: string, workers: number): Promise<{ outcomes: Outcomes; output: string }> {
  for (const file of sourceFiles(join(dir, specs)).filter((f) => f.endsWith('.spec.ts'))) {
    const path = join(dir, specs, file);
    writeFileSync(path, readFileSync(path, 'utf8').replace("from 'playwright-medic'", "from '@playwright/test'"));
  }
  const leftovers = sourceFiles(join(dir, specs)).filter((f) => readFileSync(join(dir, specs, f), 'utf8').includes('playwright-medic'));
  if (leftovers.length) throw new Error(`still importing playwright-medic: ${leftovers.join(', ')}`);
  const port = await freePort();
  const json = join(dir, `${specs}.json`);
  const config = join(dir, `${specs}.config.ts`);
  writeFileSync(
    config,
    `import { defineConfig, devices } from '@playwright/test';
export default defineConfig({
  testDir: './${specs}',
  fullyParallel: true,
  timeout: 30_000,
  retries: 0,
  reporter: [['json', { outputFile: ${JSON.stringify(json)} }]],
  use: { baseURL: 'http://127.0.0.1:${port}', actionTimeout: 5_000, trace: 'off' },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], launchOptions: ${JSON.stringify(chromiumLaunchOptions())} } }],
  webServer: { command: 'node ${join(repoRoot, 'e2e/server.mjs')} --app v2 --port ${port}', url: 'http://127.0.0.1:${port}/healthz', reuseExistingServer: false, stdout: 'ignore' },
});
`,
  );
  const child = spawn(process.execPath, [join(repoRoot, 'node_modules/@playwright/test/cli.js'), 'test', '--config', config, `--workers=${workers}`, `--output=${join(dir, `${specs}-results`)}`], { cwd: dir });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  await new Promise((done) => child.on('exit', done));
  if (!existsSync(json)) throw new Error(`the plain run of ${specs} wrote no report:\n${output}`);
  return { outcomes: outcomesOf(json), output };
}

/** The text with every locator expression (a chain of locator calls, with what it is called on) replaced by `§`. */
export function withoutLocators(path: string, text: string): string {
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
