import { z } from 'zod';
import { RISK_FACTORS, type FactorValues, type RiskFactor } from './factors.js';

/**
 * The starting weights of the risk score (a weighted mean of the factors, so the score stays in
 * [0, 1]). What failed lately weighs most: the last runs' outcome is the strongest single sign a
 * test will fail again; then the causes that come before a first failure (changed code,
 * flakiness, stale selectors, failures nearby, dependency bumps); a new test is a small unknown.
 */
export const DEFAULT_WEIGHTS: Readonly<Record<RiskFactor, number>> = {
  recentFailures: 0.2,
  unattended: 0.1,
  failureRate: 0.1,
  flakiness: 0.15,
  churn: 0.15,
  staleSelectors: 0.1,
  similarFailures: 0.1,
  dependencies: 0.05,
  newTest: 0.05,
};

export const weightsSchema = z
  .object(Object.fromEntries(RISK_FACTORS.map((f) => [f, z.number().min(0)])) as Record<RiskFactor, z.ZodNumber>)
  .strict()
  .refine((w) => Object.values(w).some((v) => v > 0), { message: 'at least one weight must be above 0' });

/** One factor's share of a score: its value, its weight, and what it added. */
export type Contribution = { factor: RiskFactor; value: number; weight: number; contribution: number };
export type RiskScore = { score: number; contributions: Contribution[] };

/**
 * A test's risk in [0, 1]: the weighted mean of its factor values, with each factor's
 * contribution, largest first. Pure.
 * @example scoreRisk(factorValues(evidence)).contributions[0].factor // 'recentFailures'
 */
export function scoreRisk(values: FactorValues, weights: Readonly<Record<RiskFactor, number>> = DEFAULT_WEIGHTS): RiskScore {
  const total = RISK_FACTORS.reduce((sum, f) => sum + weights[f], 0);
  const contributions = RISK_FACTORS.map((factor) => ({
    factor,
    value: values[factor],
    weight: weights[factor],
    contribution: total > 0 ? (weights[factor] * values[factor]) / total : 0,
  })).sort((a, b) => b.contribution - a.contribution || RISK_FACTORS.indexOf(a.factor) - RISK_FACTORS.indexOf(b.factor));
  const score = contributions.reduce((sum, c) => sum + c.contribution, 0);
  return { score: Math.min(1, Math.max(0, score)), contributions };
}
