import { loadHistory } from '../learning/history.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { gatherEvidence, type TestRef } from './evidence.js';
import { factorDetail, factorValues, UNRECORDED } from './factors.js';
import { isLockfile, openGit } from './gitChanges.js';
import { localImports } from './imports.js';
import type { RiskReport } from './riskReport.js';
import { modelName, scoreWith, WEIGHTED_MODEL, type RiskModel } from './model.js';

export type PredictOptions = {
  project: string;
  /** The Playwright config's rootDir: test files are relative to it, git runs there. */
  rootDir: string;
  /** The Playwright version about to run (a change since a test's last pass is a dependency change). */
  playwrightVersion?: string;
  /** Tests found by listing the suite, new ones included. */
  listed?: readonly TestRef[];
  /** How many of the newest suite runs to read. Default 20. */
  runs?: number;
  staleDays?: number;
  now?: Date;
  /** The model that scores (default: the weighted mean of the factors). */
  model?: RiskModel;
};

/**
 * Every known (and listed) test's risk of failing in the coming run, riskiest first, from the
 * store's history, catalog and failure patterns and from git (when `rootDir` is in a repository).
 * @example const report = await predictRisk(store, { project: 'shop', rootDir: config.rootDir });
 */
export async function predictRisk(store: KnowledgeStore, options: PredictOptions): Promise<RiskReport> {
  const now = options.now ?? new Date();
  const model = options.model ?? WEIGHTED_MODEL;
  const [{ runs, attempts, changed }, selectors, patterns] = await Promise.all([
    loadHistory(store, { project: options.project, runs: options.runs ?? 20 }),
    store.listSelectors({ project: options.project }),
    store.listFailurePatterns({ project: options.project }),
  ]);
  const git = openGit(options.rootDir);
  const importCache = new Map<string, string[]>();
  const evidence = gatherEvidence({
    runs,
    attempts,
    changed,
    selectors,
    patterns,
    ...(options.listed ? { listed: options.listed } : {}),
    ...(git ? { git } : {}),
    importsOf: (file) => localImports(options.rootDir, file, importCache),
    isLockfile,
    ...(options.playwrightVersion ? { playwrightVersion: options.playwrightVersion } : {}),
    now,
    ...(options.staleDays === undefined ? {} : { staleDays: options.staleDays }),
  });
  const tests = evidence.map(({ test, evidence: e }) => {
    const values = factorValues(e);
    const { score, contributions } = scoreWith(model, values);
    return {
      ...test,
      score,
      factors: values,
      top: contributions.filter((c) => c.contribution > 0).slice(0, 3).map((c) => ({ factor: c.factor, contribution: c.contribution, detail: factorDetail(c.factor, e) })),
    };
  });
  tests.sort((a, b) => b.score - a.score || a.testKey.localeCompare(b.testKey));
  const suiteRuns = new Set(runs.map((r) => r.group ?? r.id)).size;
  const unrecorded = factorValues(UNRECORDED);
  return { version: 1, project: options.project, at: now.toISOString(), gitSha: git?.head ?? null, model: modelName(model), runs: suiteRuns, tests, unrecorded: { score: scoreWith(model, unrecorded).score, factors: unrecorded } };
}
