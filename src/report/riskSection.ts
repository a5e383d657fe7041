import type { RiskPrediction } from '../risk/predictions.js';
import { atTopK, calibration, rocAuc, type Judged } from '../risk/accuracy.js';
import { FACTOR_LABELS } from '../risk/riskReport.js';
import { groupBy } from '../learning/groupBy.js';
import { compareText, runTimes } from '../store/learning.js';
import type { ReportRisk } from './schema.js';
import { round3 } from './round.js';

/** The table lists the riskiest this many and every test that failed; the figures count them all. */
const PREDICTIONS_SHOWN = 1000;

const failed = (p: RiskPrediction) => p.outcome === 'failed' || p.outcome === 'flaky';
const judge = (list: readonly RiskPrediction[]): Judged[] => list.filter((p) => p.outcome !== 'skipped').map((p) => ({ score: p.score, failed: failed(p) }));

/**
 * The predictions made before the report's run (the newest run with predictions when it has
 * none; the shards of a run group together) against what happened: precision and recall at the top K, ROC AUC, calibration bands,
 * each test's score and top factors, and the AUC of every earlier run. Null without predictions. Pure.
 * @example riskSection(await store.listPredictions({ project }), (id) => id, runId, 10)?.auc
 */
export function riskSection(predictions: readonly RiskPrediction[], groupOf: (runId: string) => string, focus: string | undefined, k: number): ReportRisk | null {
  if (predictions.length === 0) return null;
  // The shards of one run group are one run: their predictions are judged together.
  const byRun = groupBy(predictions, (p) => groupOf(p.runId));
  const times = [...runTimes(predictions.map((p) => ({ runId: groupOf(p.runId), at: p.at })))].sort(([ra, a], [rb, b]) => compareText(a, b) || compareText(ra, rb));
  const runId = focus !== undefined && byRun.has(focus) ? focus : times.at(-1)![0];
  const own = [...byRun.get(runId)!].sort((a, b) => b.score - a.score || compareText(a.testKey, b.testKey));
  const judged = judge(own);
  const top = atTopK(judged, k);
  return {
    runId,
    model: own[0]!.model,
    tests: judged.length,
    failures: judged.filter((j) => j.failed).length,
    k,
    precisionAtK: top.precision,
    recallAtK: top.recall,
    auc: rocAuc(judged) ?? null,
    calibration: calibration(judged).map((b) => ({ ...b, predicted: round3(b.predicted), observed: round3(b.observed) })),
    predictions: own.filter((p, i) => i < PREDICTIONS_SHOWN || failed(p)).map((p) => ({
      testKey: p.testKey,
      score: round3(p.score),
      outcome: p.outcome,
      factors: Object.entries(p.factors)
        .filter(([, value]) => value > 0)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([name, value]) => ({ name: (FACTOR_LABELS as Record<string, string>)[name] ?? name, value: round3(value) })),
    })),
    history: times.map(([id, at]) => {
      const list = judge(byRun.get(id)!);
      return { runId: id, at, auc: rocAuc(list) ?? null, precisionAtK: atTopK(list, k).precision };
    }),
  };
}
