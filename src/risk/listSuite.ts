import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { MedicError } from '../errors.js';
import type { TestRef } from './evidence.js';

/** Playwright's JSON report of `playwright test --list`: only the parts a test's identity needs. */
type ListedSuite = { title: string; file?: string; specs?: ListedSpec[]; suites?: ListedSuite[] };
type ListedSpec = { title: string; file: string; tests: { projectName: string }[] };

const specSchema = z.object({ title: z.string(), file: z.string(), tests: z.array(z.object({ projectName: z.string() })) });
const suiteSchema: z.ZodType<ListedSuite> = z.lazy(() =>
  z.object({ title: z.string(), file: z.string().optional(), specs: z.array(specSchema).optional(), suites: z.array(suiteSchema).optional() }),
);
const listSchema = z.object({
  config: z.object({ rootDir: z.string() }),
  suites: z.array(suiteSchema),
  errors: z.array(z.object({ message: z.string().optional() })).default([]),
});

export type Listing = { rootDir: string; tests: TestRef[] };

/**
 * The tests of a `playwright test --list --reporter=json` report, keyed as the reporter keys
 * their attempts (`project › file › describe › title`, file relative to the config's rootDir),
 * so a listed test that has run matches its history and one that has not is new. Pure.
 * @example const { rootDir, tests } = parseListing(JSON.parse(stdout));
 */
export function parseListing(report: unknown): Listing {
  const parsed = listSchema.safeParse(report);
  if (!parsed.success) {
    throw new MedicError('MEDIC_LIST', `the suite's listing is not Playwright's JSON report: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`, {
      fix: 'List with `npx playwright test --list --reporter=json` from a Playwright of version 1.40 or later.',
    });
  }
  const { config, suites, errors } = parsed.data;
  if (errors.length) {
    throw new MedicError('MEDIC_LIST', `Playwright could not list the suite: ${errors.map((e) => e.message ?? 'unknown error').join('; ').slice(0, 2_000)}`, {
      fix: 'Run `npx playwright test --list` and fix what it reports.',
    });
  }
  const tests: TestRef[] = [];
  const walk = (suite: ListedSuite, describes: string[]) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        const titlePath = [...describes, spec.title];
        const testKey = [...(test.projectName ? [test.projectName] : []), spec.file, ...titlePath].join(' › ');
        tests.push({ testKey, title: spec.title, titlePath, file: spec.file, projectName: test.projectName });
      }
    }
    for (const inner of suite.suites ?? []) walk(inner, [...describes, inner.title]);
  };
  // The top-level suites are the files; the ones inside are `describe` blocks.
  for (const file of suites) walk(file, []);
  return { rootDir: config.rootDir, tests };
}

/** The environment without the variables that send Playwright's JSON report to a file instead of stdout. */
function stdoutJson(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^PLAYWRIGHT_JSON_OUTPUT_(NAME|FILE|DIR)$/.test(name)));
}

export type ListOptions = {
  /** Where Playwright is installed and the command runs (the suite's folder). */
  cwd: string;
  /** The Playwright config file (default: Playwright's own lookup in `cwd`). */
  config?: string;
  /** Default 120,000: listing loads every spec file, without running any. */
  timeoutMs?: number;
};

/**
 * Lists the suite with the project's own Playwright (`playwright test --list --reporter=json`):
 * every test, the ones that never ran included, without running any. Takes the seconds that
 * loading the spec files takes, which is why the global setup does not do it.
 * @example const { rootDir, tests } = await listSuite({ cwd: process.cwd() });
 */
export async function listSuite(options: ListOptions): Promise<Listing> {
  const cwd = resolve(options.cwd);
  let cli: string;
  try {
    cli = createRequire(join(cwd, 'package.json')).resolve('@playwright/test/cli');
  } catch (cause) {
    throw new MedicError('MEDIC_LIST', `@playwright/test is not installed where the suite is (${cwd}), so its tests cannot be listed`, {
      fix: 'Run the command from your Playwright project (where `npx playwright test` works), after `npm install`.',
      cause,
    });
  }
  const args = [cli, 'test', '--list', '--reporter=json', ...(options.config ? ['--config', resolve(cwd, options.config)] : [])];
  const stdout = await new Promise<string>((done, fail) => {
    execFile(process.execPath, args, { cwd, timeout: options.timeoutMs ?? 120_000, maxBuffer: 256 * 1024 * 1024, env: stdoutJson(process.env) }, (error, out, err) => {
      // Playwright exits non-zero on a listing error and still prints the report that names it.
      if (error && jsonReportOf(out) === undefined) {
        fail(new MedicError('MEDIC_LIST', `\`playwright test --list\` failed in ${cwd}: ${(err || error.message).trim().slice(0, 2_000)}`, { fix: 'Run `npx playwright test --list` there and fix what it reports.', cause: error }));
      } else done(out);
    });
  });
  const report = jsonReportOf(stdout);
  if (report === undefined) {
    throw new MedicError('MEDIC_LIST', `\`playwright test --list --reporter=json\` printed no JSON report: ${stdout.slice(0, 200)}`, {
      fix: 'Run `npx playwright test --list --reporter=json` there and see what it prints instead.',
    });
  }
  return parseListing(report);
}

/**
 * The JSON report in what `--reporter=json` printed: the whole output, or from a line that is
 * just `{` (the report is indented), after what the config or a spec file logged while loading.
 * Undefined when there is none.
 * @example jsonReportOf('loading fixtures\n{\n  "suites": []\n}') // → { suites: [] }
 */
export function jsonReportOf(stdout: string): unknown {
  for (let at = stdout.startsWith('{') ? 0 : stdout.indexOf('\n{\n'); at >= 0; at = stdout.indexOf('\n{\n', at + 1)) {
    try {
      return JSON.parse(stdout.slice(at)) as unknown;
    } catch {
      // a logged object, not the report: look further
    }
  }
  return undefined;
}
