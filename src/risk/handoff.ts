import type { RiskReport } from './riskReport.js';

// The global setup and the reporter run in Playwright's runner process, possibly from two
// copies of this package (paths resolved differently): a registry symbol reaches both.
const KEY = Symbol.for('playwright-medic.risk-report');

/** Leaves this run's predictions for the reporter (the global setup calls it). */
export function shareRiskReport(report: RiskReport | undefined): void {
  (globalThis as Record<symbol, unknown>)[KEY] = report;
}

/**
 * This run's predictions, from the global setup of this process; undefined when it did not
 * score (risk off, no history, its own error, or no global setup).
 * @example const report = sharedRiskReport(); if (report) await store.recordPredictions(judgePredictions(report, attempts, runId));
 */
export function sharedRiskReport(): RiskReport | undefined {
  return (globalThis as Record<symbol, unknown>)[KEY] as RiskReport | undefined;
}
