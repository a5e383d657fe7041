import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { loadRiskModel } from '../risk/learnModel.js';
import { listSuite } from '../risk/listSuite.js';
import { predictRisk } from '../risk/predict.js';
import { formatRiskTable, type RiskReport } from '../risk/riskReport.js';
import { grepOf, testListFile } from '../risk/plan.js';

export type RiskFlags = {
  project: string;
  rootDir?: string;
  limit?: number;
  json?: boolean;
  /** List the suite with Playwright first (`true`, or the config file): tests that never ran are scored too. */
  list?: boolean | string;
};
export type PlanFlags = RiskFlags & { out?: string; top?: number; grep?: boolean };

/** The @playwright/test version installed where the suite lives (a change since a test's last pass is a dependency change). */
function playwrightVersion(rootDir: string): string | undefined {
  try {
    const manifest = createRequire(join(rootDir, 'package.json')).resolve('@playwright/test/package.json');
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

async function predict(store: KnowledgeStore, flags: RiskFlags): Promise<RiskReport> {
  // Listing knows the config's rootDir, where the spec paths are relative to.
  const listing = flags.list ? await listSuite({ cwd: process.cwd(), ...(typeof flags.list === 'string' ? { config: flags.list } : {}) }) : undefined;
  const rootDir = resolve(flags.rootDir ?? listing?.rootDir ?? process.cwd());
  const version = playwrightVersion(rootDir);
  const model = await loadRiskModel(store, flags.project); // the model the global setup scores with
  return predictRisk(store, {
    project: flags.project,
    rootDir,
    model,
    ...(version ? { playwrightVersion: version } : {}),
    ...(listing ? { listed: listing.tests } : {}),
  });
}

/** `medic risk`: each known test's risk of failing in the next run, riskiest first, with its top factors. */
export async function riskCommand(store: KnowledgeStore, flags: RiskFlags): Promise<void> {
  const report = await predict(store, flags);
  console.log(flags.json ? JSON.stringify(report, null, 2) : formatRiskTable(report, flags.limit ?? 10));
}

/**
 * `medic plan`: a `--test-list` file of the tests riskiest first (the top K with --top), or with
 * --grep the `--grep` pattern of the top K, for a fast "risky first" CI stage.
 */
export async function planCommand(store: KnowledgeStore, flags: PlanFlags): Promise<void> {
  const report = await predict(store, flags);
  const chosen = flags.top === undefined ? report.tests : report.tests.slice(0, flags.top);
  if (flags.grep) {
    if (!chosen.length) throw new InvalidArgumentError(`no known tests for project "${flags.project}" yet: run the suite with the medic reporter first`);
    console.log(grepOf(chosen));
    return;
  }
  const text = testListFile(chosen);
  if (!flags.out) {
    process.stdout.write(text);
    return;
  }
  mkdirSync(dirname(resolve(flags.out)), { recursive: true });
  writeFileSync(flags.out, text);
  const summary = { file: flags.out, tests: chosen.length, of: report.tests.length, riskiest: chosen.slice(0, 3).map((t) => ({ testKey: t.testKey, score: t.score })) };
  console.log(
    flags.json
      ? JSON.stringify(summary, null, 2)
      : `medic plan: wrote ${chosen.length} of ${report.tests.length} tests, riskiest first, to ${flags.out}\n  run them first: npx playwright test --test-list ${flags.out}` +
          (flags.top === undefined ? '' : `\n  then the rest:   npx playwright test --test-list-invert ${flags.out}`),
  );
}
