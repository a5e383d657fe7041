import { z } from 'zod';
import { rocAuc } from './accuracy.js';
import { RISK_FACTORS, type FactorValues, type RiskFactor } from './factors.js';
import { DEFAULT_WEIGHTS, scoreRisk, type Contribution } from './score.js';

/**
 * A risk model: the transparent weighted mean of the factors (the start), or a logistic
 * regression fitted on the project's own predictions and outcomes: risk = σ(b + Σ wᵢ·xᵢ).
 */
export const riskModelSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('weighted'), weights: z.record(z.string(), z.number().min(0)) }).strict(),
  z
    .object({
      kind: z.literal('logistic'),
      intercept: z.number(),
      coefficients: z.record(z.string(), z.number()),
      /** What it was fitted on, and how it did on the runs held back. */
      fitted: z.object({ at: z.iso.datetime(), runs: z.number().int().positive(), predictions: z.number().int().positive(), failures: z.number().int().positive(), heldOutAuc: z.number().min(0).max(1), replacedAuc: z.number().min(0).max(1) }),
    })
    .strict(),
]);
export type RiskModel = z.infer<typeof riskModelSchema>;

export const WEIGHTED_MODEL: RiskModel = { kind: 'weighted', weights: { ...DEFAULT_WEIGHTS } };

/** The model's name in risk.json and the stored predictions. */
export const modelName = (m: RiskModel) => (m.kind === 'weighted' ? 'weighted' : `logistic@${m.fitted.at}`);

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const valueOf = (values: Partial<Record<string, number>>, f: RiskFactor) => values[f] ?? 0;

/**
 * A test's risk under a model, with each factor's contribution, largest first. For the logistic
 * model a contribution is the factor's share of the risk above the model's base rate σ(b),
 * split in proportion to the positive terms wᵢ·xᵢ (factors that lower the risk add nothing).
 * @example scoreWith(model, factorValues(evidence)).score
 */
export function scoreWith(model: RiskModel, values: FactorValues | Partial<Record<string, number>>): { score: number; contributions: Contribution[] } {
  if (model.kind === 'weighted') {
    const weights = Object.fromEntries(RISK_FACTORS.map((f) => [f, model.weights[f] ?? 0])) as Record<RiskFactor, number>;
    return scoreRisk(Object.fromEntries(RISK_FACTORS.map((f) => [f, valueOf(values, f)])) as FactorValues, weights);
  }
  const terms = RISK_FACTORS.map((f) => ({ factor: f, value: valueOf(values, f), weight: model.coefficients[f] ?? 0 }));
  const score = sigmoid(model.intercept + terms.reduce((z, t) => z + t.weight * t.value, 0));
  const above = Math.max(0, score - sigmoid(model.intercept));
  const positive = terms.reduce((sum, t) => sum + Math.max(0, t.weight * t.value), 0);
  const contributions = terms
    .map((t) => ({ ...t, contribution: positive > 0 ? (above * Math.max(0, t.weight * t.value)) / positive : 0 }))
    .sort((a, b) => b.contribution - a.contribution || RISK_FACTORS.indexOf(a.factor) - RISK_FACTORS.indexOf(b.factor));
  return { score, contributions };
}

/** One past prediction as training data: its run and when it was made, its factor values, and whether the test failed. */
export type Sample = { run: string; at: string; values: Partial<Record<string, number>>; failed: boolean };

/**
 * L2-regularised logistic regression by Newton's method (at most a 10×10 system; converges in a
 * few steps): the intercept and one coefficient per factor, none below 0. Every factor is
 * defined so that more of it means more risk; on a project's few hundred predictions, factors
 * that overlap (stale selectors and recent failures both follow a failure) would otherwise take
 * opposite signs by chance, rank later runs worse than the weighted start, and leave a factor
 * that lowers a risk it is meant to raise. So a fit whose coefficients include negative ones
 * drops the most negative factor (its coefficient 0) and is fitted again on the rest. Pure and
 * deterministic.
 */
export function fitLogistic(samples: readonly Sample[], l2 = 1): { intercept: number; coefficients: Record<RiskFactor, number> } {
  const y = samples.map((s) => (s.failed ? 1 : 0));
  let active: RiskFactor[] = [...RISK_FACTORS];
  for (;;) {
    const w = newton(samples.map((s) => [1, ...active.map((f) => valueOf(s.values, f))]), y, l2, active.length + 1);
    let lowest = -1; // the factor with the most negative coefficient, if any
    for (let k = 0; k < active.length; k++) if (w[k + 1]! < (lowest < 0 ? 0 : w[lowest + 1]!)) lowest = k;
    if (lowest < 0) return { intercept: w[0]!, coefficients: Object.fromEntries(RISK_FACTORS.map((f) => [f, active.includes(f) ? w[active.indexOf(f) + 1]! : 0])) as Record<RiskFactor, number> };
    active = active.filter((_, k) => k !== lowest);
  }
}

/** Newton's method for σ(x·w) against y, with d columns, the intercept (column 0) not shrunk. */
function newton(x: readonly number[][], y: readonly number[], l2: number, d: number): number[] {
  const w = new Array<number>(d).fill(0);
  for (let iter = 0; iter < 50; iter++) {
    const grad = new Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let i = 0; i < x.length; i++) {
      const xi = x[i]!;
      const p = sigmoid(xi.reduce((z, v, k) => z + v * w[k]!, 0));
      const r = p * (1 - p);
      for (let a = 0; a < d; a++) {
        grad[a]! += (p - y[i]!) * xi[a]!;
        if (!xi[a]) continue;
        for (let b = 0; b < d; b++) hess[a]![b]! += r * xi[a]! * xi[b]!;
      }
    }
    for (let a = 1; a < d; a++) {
      grad[a]! += l2 * w[a]!; // the intercept is not shrunk
      hess[a]![a]! += l2;
    }
    hess[0]![0]! += 1e-9;
    const step = solve(hess, grad);
    let change = 0;
    for (let a = 0; a < d; a++) {
      w[a]! -= step[a]!;
      change = Math.max(change, Math.abs(step[a]!));
    }
    if (change < 1e-8) break;
  }
  return w;
}

/** Solves A·x = b (A symmetric positive definite) by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]! || 1e-12;
    for (let r = col + 1; r < n; r++) {
      const f = m[r]![col]! / p;
      if (f) for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  const out = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let c = r + 1; c < n; c++) s -= m[r]![c]! * out[c]!;
    out[r] = s / (m[r]![r]! || 1e-12);
  }
  return out;
}

/** How much history a fit needs, and the share of the newest runs held back to judge it. */
export const FIT_RULES = { minRuns: 6, minPredictions: 100, minFailures: 15, heldOutShare: 0.3 } as const;

export type Refit = { model: RiskModel; replaced: boolean; reason: string };

/**
 * ReportPortal's rule for a model that learns: fit a logistic model on the older runs' predictions,
 * judge it and the current model on the newest runs held back (ROC AUC; runs made after the
 * current model was fitted, at least 2), and keep the new one (refitted on all runs) only if it
 * beats the current one there. Samples in run order, oldest first.
 * @example const { model, reason } = refitModel(current, samples, new Date());
 */
export function refitModel(current: RiskModel, samples: readonly Sample[], now: Date): Refit {
  const runs = [...new Set(samples.map((s) => s.run))];
  const failures = samples.filter((s) => s.failed).length;
  if (runs.length < FIT_RULES.minRuns || samples.length < FIT_RULES.minPredictions || failures < FIT_RULES.minFailures) {
    return { model: current, replaced: false, reason: `too little history to fit (${runs.length} runs, ${samples.length} predictions, ${failures} failures; needs ${FIT_RULES.minRuns}, ${FIT_RULES.minPredictions}, ${FIT_RULES.minFailures})` };
  }
  // Held back: the newest runs, and only runs the current model was not fitted on (a model
  // judged on its own training runs would look better than it is).
  const fittedAt = current.kind === 'logistic' ? current.fitted.at : '';
  const runAt = new Map(samples.map((s) => [s.run, s.at]));
  const unseen = runs.filter((r) => (runAt.get(r) ?? '') > fittedAt);
  const heldRuns = new Set(unseen.slice(-Math.max(2, Math.round(runs.length * FIT_RULES.heldOutShare))));
  if (heldRuns.size < 2) return { model: current, replaced: false, reason: `kept ${modelName(current)}: ${heldRuns.size} run since it was fitted, 2 are needed to judge a refit` };
  const train = samples.filter((s) => !heldRuns.has(s.run));
  const held = samples.filter((s) => heldRuns.has(s.run));
  const judge = (m: RiskModel) => rocAuc(held.map((s) => ({ score: scoreWith(m, s.values).score, failed: s.failed })));
  const candidate = fitLogistic(train);
  const candidateAuc = judge({ kind: 'logistic', ...candidate, fitted: { at: now.toISOString(), runs: 1, predictions: 1, failures: 1, heldOutAuc: 0, replacedAuc: 0 } });
  const currentAuc = judge(current);
  if (candidateAuc === undefined || currentAuc === undefined) return { model: current, replaced: false, reason: 'the held-back runs have no failure (or no pass) to judge by' };
  if (candidateAuc <= currentAuc) {
    return { model: current, replaced: false, reason: `kept ${modelName(current)}: AUC ${currentAuc.toFixed(3)} on the held-back runs, the refit ${candidateAuc.toFixed(3)}` };
  }
  const all = fitLogistic(samples);
  const model: RiskModel = { kind: 'logistic', ...all, fitted: { at: now.toISOString(), runs: runs.length, predictions: samples.length, failures, heldOutAuc: candidateAuc, replacedAuc: currentAuc } };
  return { model, replaced: true, reason: `refit: AUC ${candidateAuc.toFixed(3)} on the held-back runs, against ${currentAuc.toFixed(3)} for ${modelName(current)}` };
}
