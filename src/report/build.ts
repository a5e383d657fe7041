import type { AttemptRecord, RunRecord } from '../store/records.js';
import type { HealEvent } from '../learning/heals.js';
import type { FailurePattern } from '../learning/failurePatterns.js';
import { fixRate } from '../learning/failurePatterns.js';
import type { SelectorRecord } from '../learning/catalog.js';
import type { StrategyExecution } from '../learning/strategies.js';
import type { RiskPrediction } from '../risk/predictions.js';
import type { FailureSummary } from '../llm/llm.js';
import type { SpendRecord } from '../llm/spend.js';
import { assessFlakiness } from '../learning/flakiness.js';
import { groupBy } from '../learning/groupBy.js';
import { compareText } from '../store/learning.js';
import { isStale } from '../risk/evidence.js';
import { REPORT_VERSION, reportDataSchema, type ReportData, type ReportHeal, type ReportPattern, type ReportRun, type ReportSelector, type ReportStrategy, type ReportTest } from './schema.js';
import { riskSection } from './riskSection.js';
import { productMetrics } from './metrics.js';
import { round3, roundUsd } from './round.js';
import { llmSection, newestSummaries } from './llmSection.js';

/** What the report is made of: plain records, as the store lists them. */
export type ReportInput = {
  project: string;
  store: string;
  now: Date;
  /** The run the report is about; default: the newest. */
  runId?: string;
  runs: readonly RunRecord[];
  attempts: readonly AttemptRecord[];
  heals: readonly HealEvent[];
  patterns: readonly FailurePattern[];
  selectors: readonly SelectorRecord[];
  predictions: readonly RiskPrediction[];
  executions: readonly StrategyExecution[];
  /** The LLM layer's failure summaries (any order; the newest of each pattern is shown); absent: none. */
  summaries?: readonly FailureSummary[];
  /** The LLM layer's spend record: its calls per run and model; absent: none kept. */
  spend?: SpendRecord;
  /** The kept screenshot of a heal as a data: URL, or null. */
  screenshot?: (heal: HealEvent) => string | null;
  /** The review queue's ID of a heal. */
  reviewId: (heal: HealEvent) => string;
  /** The review state of a heal's item in the queue (a later heal of an accepted item is accepted too); default: the heal's own. */
  reviewState?: (heal: HealEvent) => HealEvent['review'];
  /** Attempts that failed on an element medic found changed (see loadHistory): not flaky. */
  changed?: ReadonlySet<string>;
  /** Top K of the risk section. Default 10. */
  topK?: number;
  /** A selector not verified working for longer than this is stale. Default 14. */
  staleDays?: number;
};

/** A run of the trend: the shards of one run group count as one run. */
const runKey = (run: RunRecord) => run.group ?? run.id;

/**
 * The learning report's data from the store's records: the trend over `runs`, each test's
 * history strip, this run's heals, patterns (with their LLM summaries), catalog health, risk,
 * strategy and LLM figures, and the product's success metrics. Pure; the result is valid against `reportDataSchema`.
 * @example const data = buildReportData({ project, store: store.location, now: new Date(), ...records, reviewId });
 */
export function buildReportData(input: ReportInput): ReportData {
  const ordered = [...input.runs].sort((a, b) => compareText(a.startedAt, b.startedAt));
  const keys = [...new Set(ordered.map(runKey))];
  const column = new Map(keys.map((key, i) => [key, i]));
  const keyOfRun = new Map(ordered.map((run) => [run.id, runKey(run)]));
  const focusRun = input.runId ? ordered.find((r) => r.id === input.runId || runKey(r) === input.runId) : ordered.at(-1);
  const focus = focusRun ? runKey(focusRun) : undefined;
  const inFocus = (runId: string) => focus !== undefined && keyOfRun.get(runId) === focus;
  const groupOf = (runId: string) => keyOfRun.get(runId) ?? runId;
  // Each run group's time span: a pattern first seen in it is new there (its `runs` list keeps only the latest 20).
  const spans = keys.map((key, i) => ({ key, from: ordered.find((r) => runKey(r) === key)!.startedAt, to: i + 1 < keys.length ? ordered.find((r) => runKey(r) === keys[i + 1])!.startedAt : undefined }));
  const firstSeenIn = (p: FailurePattern) => spans.find((span) => compareText(p.firstSeen, span.from) >= 0 && (span.to === undefined || compareText(p.firstSeen, span.to) < 0))?.key;

  const healedAttempts = new HealedAttempts(input.heals);
  const tests = testRows(input.attempts, keys.length, column, keyOfRun, focus, healedAttempts, input);
  const runs = runRows(ordered, keys, keyOfRun, input, healedAttempts, firstSeenIn);
  const focusHeals = input.heals.filter((h) => inFocus(h.runId));
  const heals = focusHeals.map((h) => healRow(h, input));
  // One screenshot per review item: its heals (one locator broken in many tests) share it.
  const screenshots: Record<string, string> = {};
  for (const h of focusHeals) {
    const id = input.reviewId(h);
    if (screenshots[id] !== undefined || !h.screenshot) continue;
    const shot = input.screenshot?.(h);
    if (shot) screenshots[id] = shot;
  }
  const summaries = newestSummaries(input.summaries ?? []);
  const patterns = input.patterns.map((p) => patternRow(p, focus, groupOf, firstSeenIn, summaries.get(p.id)));
  patterns.sort((a, b) => Number(b.inRun) - Number(a.inRun) || Number(b.isNew) - Number(a.isNew) || b.count - a.count);

  const data: ReportData = {
    version: REPORT_VERSION,
    generatedAt: input.now.toISOString(),
    project: input.project,
    store: input.store,
    runId: focus ?? null,
    runs,
    tests,
    heals,
    screenshots,
    patterns,
    selectors: input.selectors.map((s) => selectorRow(s, input.now, (input.staleDays ?? 14) * 86_400_000)),
    risk: riskSection(input.predictions, groupOf, focus, input.topK ?? 10),
    strategies: strategyRows(input.executions),
    llm: llmSection({ runs: ordered, heals: input.heals, spend: input.spend, groupOf, focus, now: input.now, reviewState: input.reviewState }),
    metrics: productMetrics({ ...input, runs: ordered, groupOf }),
  };
  return reportDataSchema.parse(data);
}

function testRows(
  attempts: readonly AttemptRecord[],
  width: number,
  column: ReadonlyMap<string, number>,
  keyOfRun: ReadonlyMap<string, string>,
  focus: string | undefined,
  healed: HealedAttempts,
  input: ReportInput,
): ReportTest[] {
  const flakiness = new Map(assessFlakiness(input.runs, attempts, { window: Math.max(1, width) }, input.changed).map((f) => [f.testKey, f]));
  const columnOfRun = new Map([...keyOfRun].map(([runId, key]) => [runId, column.get(key) ?? 0]));
  const focusColumn = focus === undefined ? -1 : (column.get(focus) ?? -1);
  // Per test and trend column: the last attempt decides the letter; a heal in any attempt of a passed run makes it `h`.
  const rows = new Map<string, { last: AttemptRecord; finals: Array<AttemptRecord | undefined>; healed: Set<number> }>();
  for (const a of attempts) {
    const col = columnOfRun.get(a.runId) ?? 0;
    let row = rows.get(a.testKey);
    if (!row) rows.set(a.testKey, (row = { last: a, finals: new Array<AttemptRecord | undefined>(width), healed: new Set() }));
    const seen = row.finals[col];
    if (!seen || seen.retry <= a.retry) row.finals[col] = a;
    if (compareText(a.startedAt, row.last.startedAt) >= 0) row.last = a;
    if (healed.has(a)) row.healed.add(col);
  }
  return [...rows].map(([key, row]) => {
    let history = '';
    for (let col = 0; col < width; col++) {
      const a = row.finals[col];
      history += !a ? '.' : a.outcome === 'skipped' ? 's' : a.outcome === 'flaky' ? 'k' : a.outcome === 'unexpected' ? 'f' : row.healed.has(col) ? 'h' : 'p';
    }
    const f = flakiness.get(key);
    const inFocus = focusColumn >= 0 ? row.finals[focusColumn] : undefined;
    return {
      key,
      title: row.last.titlePath.length ? row.last.titlePath.join(' › ') : row.last.title,
      file: row.last.file,
      status: inFocus ? ({ s: 'skipped', k: 'flaky', f: 'failed', h: 'healed', p: 'passed' } as const)[history[focusColumn] as 's' | 'k' | 'f' | 'h' | 'p'] : 'not run',
      history,
      state: f?.state ?? 'unknown',
      flakiness: round3(f?.score ?? 0),
      failRate: round3(f?.failRate ?? 0),
      reason: f?.reason ?? 'no run counted yet',
      durationMs: inFocus?.durationMs ?? 0,
    };
  });
}

/** The attempts a heal made pass: few, so the common case (no heal for this test) costs one look-up. */
class HealedAttempts {
  private readonly byTest = new Map<string, Set<string>>();
  constructor(heals: readonly HealEvent[]) {
    for (const h of heals) {
      if (h.outcome !== 'healed') continue;
      const set = this.byTest.get(h.testId) ?? new Set<string>();
      set.add(`${h.runId}\u0000${h.retry}`);
      this.byTest.set(h.testId, set);
    }
  }
  has(a: Pick<AttemptRecord, 'testId' | 'runId' | 'retry'>): boolean {
    return this.byTest.get(a.testId)?.has(`${a.runId}\u0000${a.retry}`) ?? false;
  }
}

function runRows(
  ordered: readonly RunRecord[],
  keys: readonly string[],
  keyOfRun: ReadonlyMap<string, string>,
  input: ReportInput,
  healed: HealedAttempts,
  firstSeenIn: (p: FailurePattern) => string | undefined,
): ReportRun[] {
  const byRun = groupBy(input.attempts, (a) => keyOfRun.get(a.runId) ?? a.runId);
  const runsOf = groupBy(ordered, runKey);
  const newPatterns = groupBy(input.patterns, (p) => firstSeenIn(p) ?? '');
  return keys.map((key) => {
    const shards = runsOf.get(key)!;
    const first = shards[0]!;
    const finals = new Map<string, AttemptRecord>();
    const healedTests = new Set<string>();
    for (const a of byRun.get(key) ?? []) {
      const seen = finals.get(a.testKey);
      if (!seen || seen.retry <= a.retry) finals.set(a.testKey, a);
      if (healed.has(a)) healedTests.add(a.testKey);
    }
    const count = (outcome: AttemptRecord['outcome']) => [...finals.values()].filter((a) => a.outcome === outcome).length;
    const ends = shards.map((s) => (s.endedAt ? Date.parse(s.endedAt) : Date.parse(s.startedAt)));
    return {
      id: key,
      startedAt: first.startedAt,
      status: shards.some((s) => s.status === 'failed') ? 'failed' : first.status,
      branch: first.gitBranch,
      sha: first.gitSha,
      tests: finals.size,
      passed: count('expected'),
      failed: count('unexpected'),
      flaky: count('flaky'),
      skipped: count('skipped'),
      // Tests that passed in the end with a heal's help.
      healed: [...finals.values()].filter((a) => a.outcome !== 'unexpected' && a.outcome !== 'skipped' && healedTests.has(a.testKey)).length,
      newFailures: newPatterns.get(key)?.length ?? 0,
      durationMs: Math.max(0, Math.max(...ends) - Date.parse(first.startedAt)),
    };
  });
}

function healRow(h: HealEvent, input: ReportInput): ReportHeal {
  return {
    id: h.id,
    reviewId: input.reviewId(h),
    runId: h.runId,
    testKey: h.testKey,
    pageKey: h.pageKey,
    step: h.step,
    from: h.from.code,
    to: h.to?.code ?? null,
    strategy: h.strategy,
    outcome: h.outcome,
    confidence: round3(h.confidence),
    margin: round3(h.margin),
    explanation: h.explanation.slice(0, 12).map((e) => ({ attribute: e.attribute, similarity: round3(e.similarity), weight: round3(e.weight), contribution: round3(e.contribution) })),
    reason: h.reason,
    review: input.reviewState?.(h) ?? h.review,
    at: h.at,
    ...(h.llm ? { llm: { model: h.llm.model ?? null, cached: h.llm.cached, calls: h.llm.calls.length, costUsd: roundUsd(h.llm.calls.reduce((sum, c) => sum + c.costUsd, 0)) } } : {}),
  };
}

function patternRow(
  p: FailurePattern,
  focus: string | undefined,
  groupOf: (runId: string) => string,
  firstSeenIn: (p: FailurePattern) => string | undefined,
  summary: FailureSummary | undefined,
): ReportPattern {
  const groups = new Set(p.runs.map(groupOf));
  return {
    id: p.id,
    category: p.category,
    isNew: focus !== undefined && firstSeenIn(p) === focus,
    inRun: focus !== undefined && groups.has(focus),
    count: p.count,
    runs: groups.size,
    tests: p.tests.slice(0, 50),
    example: p.examples[0]?.slice(0, 600) ?? '',
    firstSeen: p.firstSeen,
    lastSeen: p.lastSeen,
    fixes: p.knownFixes.map((k) => ({ strategy: k.strategy, from: k.from ?? null, to: k.to ?? null, successes: k.successes, tries: k.tries, rate: round3(fixRate(k)) })),
    ...(summary ? { summary: { model: summary.model, hypothesis: summary.hypothesis, suggestedFix: summary.suggestedFix, at: summary.at } } : {}),
  };
}

/** Broken: failed in its latest run; stale: not verified working lately; falling: its confidence fell over the runs it remembers. */
export function selectorRow(s: SelectorRecord, now: Date, staleMs: number): ReportSelector {
  const oldest = s.runs?.at(-1);
  const trend = oldest ? s.confidence - oldest.before : 0;
  const latest = s.runs?.[0];
  const health = latest && latest.failed && !latest.worked ? 'broken' : isStale(s, now, staleMs) ? 'stale' : trend < -0.05 ? 'falling' : 'healthy';
  return {
    pageKey: s.pageKey,
    code: s.code,
    health,
    confidence: round3(s.confidence),
    trend: round3(trend),
    timesUsed: s.timesUsed,
    failureCount: s.failureCount,
    lastWorking: s.lastWorking,
    lastSeen: s.lastSeen,
    fix: s.alternatives[0]?.code ?? null,
  };
}

function strategyRows(executions: readonly StrategyExecution[]): ReportStrategy[] {
  const groups = groupBy(executions, (e) => `${e.strategy}\u0000${e.taskType}`);
  return [...groups.values()]
    .map((list) => {
      const costs = list.map((e) => e.costUsd).filter((c): c is number => c !== null);
      const successes = list.filter((e) => e.success).length;
      return {
        strategy: list[0]!.strategy,
        taskType: list[0]!.taskType,
        tries: list.length,
        successes,
        successRate: round3(successes / list.length),
        meanMs: Math.round(list.reduce((sum, e) => sum + e.durationMs, 0) / list.length),
        costUsd: costs.length ? costs.reduce((a, b) => a + b, 0) : null,
      };
    })
    .sort((a, b) => b.tries - a.tries || compareText(a.strategy, b.strategy));
}
