import { lastAttempts } from '../run/outcomes.js';
import type { AttemptRecord } from '../store/records.js';
import type { PredictionOutcome, RiskPrediction } from './predictions.js';
import type { RiskReport } from './riskReport.js';

/** How a test ended, from its last attempt: `flaky` failed first, then passed on a retry. */
export function outcomeOf(last: Pick<AttemptRecord, 'outcome'>): PredictionOutcome {
  switch (last.outcome) {
    case 'expected':
      return 'passed';
    case 'flaky':
      return 'flaky';
    case 'unexpected':
      return 'failed';
    case 'skipped':
      return 'skipped';
  }
}

/** Whether a prediction's test failed in the run (any failed attempt): what the risk score predicts. */
export const failedIn = (p: Pick<RiskPrediction, 'outcome'>) => p.outcome === 'failed' || p.outcome === 'flaky';

/**
 * The predictions made before a run, each with how its test ended in that run: only the tests
 * this run (or shard) ran. A test the prediction did not know (added since) is judged with the
 * score of a test with no recorded run, when the report has one. Pure.
 * @example await store.recordPredictions(judgePredictions(report, attempts, runId));
 */
export function judgePredictions(report: RiskReport, attempts: readonly AttemptRecord[], runId: string): RiskPrediction[] {
  const predicted = new Map<string, Pick<RiskReport['tests'][number], 'score' | 'factors'>>(report.tests.map((t) => [t.testKey, t]));
  const out: RiskPrediction[] = [];
  for (const last of lastAttempts(attempts.filter((a) => a.runId === runId))) {
    const t = predicted.get(last.testKey) ?? report.unrecorded;
    if (!t) continue;
    out.push({ project: report.project, runId, testKey: last.testKey, at: report.at, model: report.model, score: t.score, factors: t.factors, outcome: outcomeOf(last) });
  }
  return out;
}
