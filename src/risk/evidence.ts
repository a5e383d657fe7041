import { groupBy } from '../learning/groupBy.js';
import { assessFlakiness, runResults, unhealthyRun, flakinessOptionsSchema, type RunResult } from '../learning/flakiness.js';
import { featureOf } from '../learning/patternLearner.js';
import type { FailurePattern } from '../learning/failurePatterns.js';
import type { SelectorRecord } from '../learning/catalog.js';
import type { AttemptRecord, RunRecord } from '../store/records.js';
import { compareText } from '../store/learning.js';
import { RECENT_RUNS, type TestEvidence } from './factors.js';

/** A test as the risk table names it (from its latest attempt, or from listing the suite). */
export type TestRef = Pick<AttemptRecord, 'testKey' | 'title' | 'titlePath' | 'file' | 'projectName'>;

/** What git answers for the evidence (see `openGit`); absent: no repository here. */
export type GitLookup = {
  /** Files changed since `sha` up to the working tree, with their authors; undefined when that commit is unknown. */
  changedSince(sha: string): Map<string, Set<string>> | undefined;
  changedBetween(from: string, to: string): string[] | undefined;
};

export type EvidenceInput = {
  runs: readonly RunRecord[];
  attempts: readonly AttemptRecord[];
  /** Attempts that failed on a changed element (`loadHistory`'s `changed`). */
  changed?: ReadonlySet<string>;
  selectors: readonly SelectorRecord[];
  patterns: readonly FailurePattern[];
  /** Tests found by listing the suite that may have no run yet. */
  listed?: readonly TestRef[];
  git?: GitLookup;
  /** A spec file's local imports, relative to rootDir (see `localImports`). */
  importsOf?: (file: string) => readonly string[];
  isLockfile?: (file: string) => boolean;
  /** The Playwright version about to run. */
  playwrightVersion?: string;
  now: Date;
  /** A selector not verified working for longer than this is stale. Default 14. */
  staleDays?: number;
};

/** A pass→fail change bigger than this many files says little about which file broke the test. */
const MAX_LINK_FILES = 20;
/** The newest pass→fail changes of a test whose files are linked to it. */
const MAX_LINKS = 3;

type Past = { run: RunRecord; result: RunResult };

/**
 * Each test's evidence for risk scoring, from its project's history, catalog, failure patterns
 * and git. Pure: the caller loads the data and passes git and the file system as lookups.
 * @example const evidence = gatherEvidence({ runs, attempts, selectors, patterns, git, now: new Date() });
 */
export function gatherEvidence(input: EvidenceInput): Array<{ test: TestRef; evidence: TestEvidence }> {
  const staleMs = (input.staleDays ?? 14) * 86_400_000;
  const options = flakinessOptionsSchema.parse({ window: Math.max(1, input.runs.length) });
  const flakiness = new Map(assessFlakiness(input.runs, input.attempts, options, input.changed).map((t) => [t.testKey, t.score]));

  // Each test's past, oldest first, without the runs that say more about the environment (most tests failed).
  const ordered = [...input.runs].sort((a, b) => compareText(a.startedAt, b.startedAt));
  const byRun = groupBy(input.attempts, (a) => a.runId);
  const pasts = new Map<string, Past[]>();
  const latest = new Map<string, AttemptRecord>();
  for (const run of ordered) {
    const results = runResults(byRun.get(run.id) ?? [], input.changed);
    if (unhealthyRun(results, options)) continue;
    for (const [testKey, { result, attempt }] of results) {
      let past = pasts.get(testKey);
      if (!past) pasts.set(testKey, (past = []));
      past.push({ run, result });
      latest.set(testKey, attempt);
    }
  }
  for (const a of input.attempts) if (!latest.has(a.testKey)) latest.set(a.testKey, a);

  const tests = new Map<string, { test: TestRef; locators: readonly string[] }>();
  for (const a of latest.values()) tests.set(a.testKey, { test: pick(a), locators: a.locators });
  for (const t of input.listed ?? []) if (!tests.has(t.testKey)) tests.set(t.testKey, { test: pick(t), locators: [] });

  const byCode = groupBy(input.selectors, (s) => s.code);
  const recentSince = ordered.filter((r) => !r.shard || r.shard.current === 1).at(-RECENT_RUNS)?.startedAt ?? '';
  const recentPatterns = input.patterns.filter((p) => compareText(p.lastSeen, recentSince) >= 0);

  return [...tests.values()].map(({ test, locators }) => {
    const past = pasts.get(test.testKey) ?? [];
    const stale = locators.filter((code) => (byCode.get(code) ?? []).some((s) => isStale(s, input.now, staleMs)));
    const total = locators.filter((code) => byCode.has(code)).length;
    const feature = featureOf(test);
    const similar = recentPatterns.filter((p) => p.features.includes(feature) || locators.some((code) => p.examples.some((e) => e.includes(code))));
    const evidence: TestEvidence = {
      history: past.map((p) => p.result),
      flakiness: flakiness.get(test.testKey) ?? 0,
      selectors: { total, stale },
      dependencies: [],
      similarFailures: similar.map((p) => `${p.category}: ${p.examples[0]?.split('\n')[0]?.slice(0, 80) ?? p.id}`),
    };
    const green = [...past].reverse().find((p) => p.result === 'pass' || p.result === 'retry') ?? past[0];
    if (green && input.playwrightVersion && green.run.playwrightVersion !== input.playwrightVersion) {
      evidence.dependencies = [...evidence.dependencies, `playwright ${green.run.playwrightVersion} → ${input.playwrightVersion}`];
    }
    const changes = green?.run.gitSha && input.git ? input.git.changedSince(green.run.gitSha) : undefined;
    if (changes) {
      const linked = new Set([test.file, ...(input.importsOf?.(test.file) ?? []), ...linkedFiles(past, input.git!, input.isLockfile)]);
      const files = [...linked].filter((f) => changes.has(f)).sort();
      const authors = new Set(files.flatMap((f) => [...changes.get(f)!]));
      evidence.churn = { files, authors: authors.size };
      const locks = [...changes.keys()].filter((f) => input.isLockfile?.(f)).sort();
      evidence.dependencies = [...locks, ...evidence.dependencies];
    }
    return { test, evidence };
  });
}

function pick(t: TestRef): TestRef {
  return { testKey: t.testKey, title: t.title, titlePath: t.titlePath, file: t.file, projectName: t.projectName };
}

/** Not verified working within `staleMs`, never verified, or its confidence fell in its latest run. */
function isStale(s: SelectorRecord, now: Date, staleMs: number): boolean {
  if (!s.lastWorking || now.getTime() - Date.parse(s.lastWorking) > staleMs) return true;
  const last = s.runs?.[0];
  return !!last && s.confidence < last.before;
}

/** Files that changed between a pass and the next run that failed: what history ties to the test's failures. */
function linkedFiles(past: readonly Past[], git: GitLookup, isLockfile?: (file: string) => boolean): string[] {
  const out: string[] = [];
  let links = 0;
  for (let i = past.length - 1; i > 0 && links < MAX_LINKS; i--) {
    const [before, after] = [past[i - 1]!, past[i]!];
    if (!(before.result === 'pass' || before.result === 'retry') || !(after.result === 'fail' || after.result === 'changed')) continue;
    if (!before.run.gitSha || !after.run.gitSha || before.run.gitSha === after.run.gitSha) continue;
    const files = git.changedBetween(before.run.gitSha, after.run.gitSha);
    if (!files || files.length > MAX_LINK_FILES) continue;
    links++;
    out.push(...files.filter((f) => !isLockfile?.(f)));
  }
  return out;
}
