import type { AttemptRecord, RunRecord } from '../store/records.js';
import type { HealEvent } from '../learning/heals.js';
import type { FailurePattern } from '../learning/failurePatterns.js';
import type { RiskPrediction } from '../risk/predictions.js';
import { rocAuc } from '../risk/accuracy.js';
import { lastAttempts } from '../run/outcomes.js';
import { groupBy } from '../learning/groupBy.js';
import type { ReportMetric } from './schema.js';

type MetricInput = {
  /** Oldest first. */
  runs: readonly RunRecord[];
  attempts: readonly AttemptRecord[];
  heals: readonly HealEvent[];
  patterns: readonly FailurePattern[];
  predictions: readonly RiskPrediction[];
  /** A run's group (the shards of one run count as one run); default: the run itself. */
  groupOf?: (runId: string) => string;
};

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const ratio = (part: number, whole: number) => (whole ? part / whole : null);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The success metrics of the product plan, over the records given (the report's window): each
 * with what it counts, and null where there is no data for it yet. Pure.
 * @example productMetrics({ runs, attempts, heals, patterns, predictions }).find((m) => m.name === 'auto-fix rate')?.value
 */
export function productMetrics(input: MetricInput): ReportMetric[] {
  return [patternReuse(input), autoFix(input), fixSuccess(input), timeToResolution(input), recoveryTime(input), learningVelocity(input), predictionAccuracy(input)];
}

function patternReuse({ patterns }: MetricInput): ReportMetric {
  const failures = patterns.reduce((sum, p) => sum + p.count, 0);
  const reused = failures - patterns.length;
  return { name: 'pattern reuse rate', value: ratio(reused, failures), unit: 'ratio', detail: `${reused} of ${plural(failures, 'failure')} joined a failure pattern already known (${plural(patterns.length, 'pattern')})` };
}

/** Of the tests that broke in a run (a failed attempt), the share a heal got through (their last attempt passed with a heal). */
function autoFix({ attempts, heals }: MetricInput): ReportMetric {
  const healed = new Set(heals.filter((h) => h.outcome === 'healed').map((h) => `${h.runId}\u0000${h.testId}\u0000${h.retry}`));
  let fixed = 0;
  let failed = 0;
  for (const a of lastAttempts(attempts)) {
    if (a.status === 'passed' && healed.has(`${a.runId}\u0000${a.testId}\u0000${a.retry}`)) fixed++;
    else if (a.outcome === 'unexpected') failed++;
  }
  return { name: 'auto-fix rate', value: ratio(fixed, fixed + failed), unit: 'ratio', detail: `${plural(fixed, 'test')} passed thanks to a heal; ${failed} failed in the end` };
}

function fixSuccess({ heals }: MetricInput): ReportMetric {
  const tried = heals.filter((h) => h.outcome === 'healed' || h.outcome === 'failed');
  const held = tried.filter((h) => h.outcome === 'healed').length;
  const reviewed = heals.filter((h) => h.review !== 'pending');
  const accepted = reviewed.filter((h) => h.review === 'accepted').length;
  const review = reviewed.length ? `; reviewers accepted ${accepted} of ${reviewed.length}` : '';
  return { name: 'fix success rate', value: ratio(held, tried.length), unit: 'ratio', detail: `${held} of ${plural(tried.length, 'fix')} tried let the step pass${review}` };
}

/** Per test: from the first run (group) of a failing streak to the next run in which it passed; a run counts by the test's last attempt in it. */
function timeToResolution({ runs, attempts, groupOf = (id) => id }: MetricInput): ReportMetric {
  const startOf = new Map<string, number>();
  for (const r of runs) {
    const group = groupOf(r.id);
    const t = Date.parse(r.startedAt);
    if (!startOf.has(group) || t < startOf.get(group)!) startOf.set(group, t);
  }
  const finals = new Map<string, AttemptRecord>();
  for (const a of attempts) {
    const key = `${a.testKey}\u0000${groupOf(a.runId)}`;
    const seen = finals.get(key);
    if (!seen || seen.retry <= a.retry) finals.set(key, a);
  }
  const spans: number[] = [];
  for (const list of groupBy([...finals.values()], (a) => a.testKey).values()) {
    let since: number | undefined;
    const timed = list.map((a) => ({ a, t: startOf.get(groupOf(a.runId)) })).filter((x): x is { a: AttemptRecord; t: number } => x.t !== undefined && x.a.outcome !== 'skipped');
    for (const { a, t } of timed.sort((x, y) => x.t - y.t)) {
      if (a.outcome === 'unexpected') since ??= t;
      else if (since !== undefined) {
        spans.push(t - since);
        since = undefined;
      }
    }
  }
  return { name: 'time to resolution', value: median(spans), unit: 'ms', detail: spans.length ? `median of ${plural(spans.length, 'failing streak')} from the first failure to the next pass` : 'no failing test has passed again yet' };
}

/** Per suite: from a failed run (group) to the next passed one. */
function recoveryTime({ runs, groupOf = (id) => id }: MetricInput): ReportMetric {
  const groups = new Map<string, { at: number; failed: boolean }>();
  for (const run of runs) {
    const key = groupOf(run.id);
    const seen = groups.get(key) ?? { at: Date.parse(run.startedAt), failed: false };
    groups.set(key, { at: Math.min(seen.at, Date.parse(run.startedAt)), failed: seen.failed || run.status === 'failed' || run.status === 'timedout' || run.status === 'interrupted' });
  }
  const spans: number[] = [];
  let since: number | undefined;
  for (const group of [...groups.values()].sort((a, b) => a.at - b.at)) {
    if (group.failed) since ??= group.at;
    else if (since !== undefined) {
      spans.push(group.at - since);
      since = undefined;
    }
  }
  return { name: 'recovery time', value: median(spans), unit: 'ms', detail: spans.length ? `median of ${plural(spans.length, 'recovery')} from a failed run to the next green run` : 'no failed run has been followed by a green one yet' };
}

/** Fixes the catalog learned by relocation (not reused ones), per run. */
function learningVelocity({ runs, heals, groupOf = (id) => id }: MetricInput): ReportMetric {
  const groups = new Set(runs.map((r) => groupOf(r.id))).size;
  const learned = new Set(heals.filter((h) => h.outcome === 'healed' && h.strategy !== 'known_fix' && h.to).map((h) => `${h.pageKey}\u0000${h.from.selector}\u0000${h.to!.selector}`));
  return { name: 'learning velocity', value: groups ? learned.size / groups : null, unit: 'per run', detail: `${plural(learned.size, 'fix')} learned by relocation over ${plural(groups, 'run')}` };
}

function predictionAccuracy({ predictions, groupOf = (id) => id }: MetricInput): ReportMetric {
  const aucs = [...groupBy(predictions, (p) => groupOf(p.runId)).values()]
    .map((list) => rocAuc(list.filter((p) => p.outcome !== 'skipped').map((p) => ({ score: p.score, failed: p.outcome === 'failed' || p.outcome === 'flaky' }))))
    .filter((auc): auc is number => auc !== undefined);
  const mean = aucs.length ? aucs.reduce((a, b) => a + b, 0) / aucs.length : null;
  return { name: 'prediction accuracy', value: mean, unit: 'ratio', detail: aucs.length ? `mean ROC AUC of the risk score over ${plural(aucs.length, 'run')} with failures` : 'no run with predictions and failures yet' };
}
