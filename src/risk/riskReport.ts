import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { MedicError } from '../errors.js';
import { RISK_FACTORS, type RiskFactor } from './factors.js';
import type { RiskPrediction } from './predictions.js';

const factorSchema = z.enum(RISK_FACTORS);

/** One test's prediction: its risk, every factor's value, and the factors that made it, in words. */
export const testRiskSchema = z.object({
  testKey: z.string().min(1),
  title: z.string(),
  titlePath: z.array(z.string()),
  file: z.string(),
  projectName: z.string(),
  score: z.number().min(0).max(1),
  factors: z.record(factorSchema, z.number().min(0).max(1)),
  /** The factors that added to the score, largest first, with what they mean for this test. */
  top: z.array(z.object({ factor: factorSchema, contribution: z.number().min(0), detail: z.string() })),
});
export type TestRisk = z.infer<typeof testRiskSchema>;

/** `.medic/risk.json`: the predictions made before a run, riskiest first. */
export const riskReportSchema = z.object({
  version: z.literal(1),
  project: z.string().min(1),
  at: z.iso.datetime(),
  gitSha: z.string().nullable(),
  /** Which model scored: the weighted mean of the factors, or a model fitted on this project's runs. */
  model: z.string().min(1),
  /** Runs of history the prediction read. */
  runs: z.number().int().nonnegative(),
  tests: z.array(testRiskSchema),
  /**
   * What a test with no recorded run scores (the new-test factor alone): one added since is not
   * in `tests`, and the reporter judges it with this when it runs, so the model learns how new tests do.
   */
  unrecorded: z.object({ score: z.number().min(0).max(1), factors: z.record(factorSchema, z.number().min(0).max(1)) }).optional(),
});
export type RiskReport = z.infer<typeof riskReportSchema>;

/** Writes risk.json atomically (a reader never sees half a file). */
export function writeRiskReport(path: string, report: RiskReport): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(riskReportSchema.parse(report), null, 2)}\n`);
  renameSync(tmp, path);
}

/** Reads and validates a risk.json; a clear error naming the file and the fix otherwise. */
export function readRiskReport(path: string): RiskReport {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new MedicError('MEDIC_RISK', `Cannot read the risk predictions in ${path}: ${(error as Error).message}`, {
      fix: 'Run the suite once with `globalSetup: "playwright-medic/global-setup"`, or `npx medic plan`, to write them.',
      cause: error,
    });
  }
  const parsed = riskReportSchema.safeParse(raw);
  if (!parsed.success) {
    throw new MedicError('MEDIC_RISK', `${path} is not a risk report of this version:\n${z.prettifyError(parsed.error)}`, {
      fix: 'Delete it; the next run of the global setup or `npx medic plan` writes it again.',
    });
  }
  return parsed.data;
}

/** Each factor in words, for tables and the report. */
export const FACTOR_LABELS: Readonly<Record<RiskFactor, string>> = {
  recentFailures: 'failed lately',
  unattended: 'unattended failure',
  failureRate: 'failure rate',
  flakiness: 'flaky',
  churn: 'code changed',
  staleSelectors: 'stale selectors',
  similarFailures: 'failures nearby',
  dependencies: 'dependencies changed',
  newTest: 'new test',
};

/**
 * The riskiest `limit` tests as a short terminal table: score, test, top factors.
 * @example console.log(formatRiskTable(report, 10));
 */
export function formatRiskTable(report: RiskReport, limit: number): string {
  const shown = report.tests.slice(0, limit);
  if (!shown.length) return `medic risk: no known tests yet for project "${report.project}": predictions start after the first recorded run.`;
  const risky = report.tests.filter((t) => t.score >= 0.3).length;
  const lines = [`medic risk: the ${shown.length} riskiest of ${report.tests.length} tests (${risky} at 0.30 or above; model: ${report.model})`];
  for (const t of shown) {
    const why = t.top
      .filter((c) => c.contribution > 0)
      .slice(0, 2)
      .map((c) => `${FACTOR_LABELS[c.factor]}: ${c.detail}`)
      .join('; ');
    lines.push(`  ${t.score.toFixed(2)}  ${t.testKey}${why ? `\n        ${why}` : ''}`);
  }
  return lines.join('\n');
}

/**
 * After a run, how the predictions did, in one line: how many of the tests that failed the top
 * K held, and what became of the model.
 * @example console.log(formatRiskOutcome(predictions, 10, refit.reason));
 */
export function formatRiskOutcome(predictions: readonly RiskPrediction[], topK: number, model: string): string {
  const judged = predictions.filter((p) => p.outcome !== 'skipped');
  const failed = judged.filter((p) => p.outcome === 'failed' || p.outcome === 'flaky');
  const top = new Set([...judged].sort((a, b) => b.score - a.score).slice(0, topK).map((p) => p.testKey));
  const caught = failed.filter((p) => top.has(p.testKey)).length;
  const head = failed.length
    ? `the ${Math.min(topK, judged.length)} riskiest held ${caught} of the ${failed.length} test${failed.length === 1 ? '' : 's'} that failed`
    : `no test failed (${judged.length} predicted)`;
  return `medic risk: ${head}; ${model}`;
}
