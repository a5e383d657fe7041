import { describe, expect, it } from 'vitest';
import { RISK_FACTORS } from './factors.js';
import { fitLogistic, FIT_RULES, refitModel, riskModelSchema, scoreWith, WEIGHTED_MODEL, type RiskModel, type Sample } from './model.js';
import { scoreRisk } from './score.js';

/** Seeded PRNG (mulberry32), so the synthetic histories are the same every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const zero = () => Object.fromEntries(RISK_FACTORS.map((f) => [f, 0])) as Record<(typeof RISK_FACTORS)[number], number>;

/** Samples whose failures follow σ(−2 + 3·churn + 1.5·unattended), the other factors noise. */
function synthetic(n: number, runs: number, seed = 1): Sample[] {
  const rand = random(seed);
  return Array.from({ length: n }, (_, i) => {
    const values = { ...zero(), churn: rand(), unattended: rand() < 0.2 ? 1 : 0, flakiness: rand() };
    const p = 1 / (1 + Math.exp(-(-2 + 3 * values.churn + 1.5 * values.unattended)));
    const run = Math.floor((i * runs) / n);
    return { run: `r${String(run).padStart(3, '0')}`, at: new Date(Date.UTC(2026, 10, 1, run)).toISOString(), values, failed: rand() < p };
  });
}

describe('risk model', () => {
  it('scores the weighted model exactly as the weighted mean', () => {
    const values = { ...zero(), recentFailures: 0.5, churn: 1 };
    expect(scoreWith(WEIGHTED_MODEL, values)).toEqual(scoreRisk(values));
  });

  it('fits a logistic regression that finds the coefficients a history was drawn from', () => {
    const fit = fitLogistic(synthetic(6000, 30));
    expect(fit.intercept).toBeCloseTo(-2, 0);
    expect(fit.coefficients.churn).toBeGreaterThan(2.5);
    expect(fit.coefficients.churn).toBeLessThan(3.5);
    expect(fit.coefficients.unattended).toBeGreaterThan(1.1);
    expect(fit.coefficients.unattended).toBeLessThan(1.9);
    expect(Math.abs(fit.coefficients.flakiness)).toBeLessThan(0.3);
    expect(fit.coefficients.newTest).toBe(0); // a factor that never varies gets no weight (L2)
  });

  it('gives no factor a negative coefficient: one that lowers the risk, or overlaps another, gets 0 and the rest are refitted', () => {
    // Failures follow σ(−1 + 3·churn − 2·flakiness); staleSelectors copies churn half the time.
    const rand = random(5);
    const samples: Sample[] = Array.from({ length: 4000 }, (_, i) => {
      const churn = rand() < 0.4 ? 1 : 0;
      const values = { ...zero(), churn, flakiness: rand(), staleSelectors: rand() < 0.5 ? churn : rand() < 0.4 ? 1 : 0 };
      const p = 1 / (1 + Math.exp(-(-1 + 3 * churn - 2 * values.flakiness)));
      return { run: `r${Math.floor(i / 100)}`, at: new Date(Date.UTC(2026, 10, 1, Math.floor(i / 100))).toISOString(), values, failed: rand() < p };
    });
    const fit = fitLogistic(samples);
    expect(fit.coefficients.flakiness).toBe(0);
    for (const f of RISK_FACTORS) expect(fit.coefficients[f], f).toBeGreaterThanOrEqual(0);
    // Without flakiness its share of the risk goes to the intercept; churn keeps its weight.
    expect(fit.coefficients.churn).toBeGreaterThan(2.3);
    expect(fit.intercept).toBeLessThan(-1.5);
  });

  it('splits the risk above the base rate among the factors that raise it', () => {
    const model: RiskModel = { kind: 'logistic', intercept: -2, coefficients: { churn: 2, flakiness: -1 }, fitted: { at: '2026-12-01T00:00:00.000Z', runs: 10, predictions: 100, failures: 20, heldOutAuc: 0.8, replacedAuc: 0.7 } };
    const { score, contributions } = scoreWith(model, { ...zero(), churn: 1, flakiness: 1 });
    expect(score).toBeCloseTo(1 / (1 + Math.exp(-(-2 + 2 - 1))));
    expect(contributions[0]).toMatchObject({ factor: 'churn' });
    expect(contributions[0]!.contribution).toBeCloseTo(score - 1 / (1 + Math.exp(2)));
    expect(contributions.find((c) => c.factor === 'flakiness')!.contribution).toBe(0);
    expect(riskModelSchema.parse(model)).toEqual(model);
  });

  it('refits only with enough history, and says why not', () => {
    const few = synthetic(50, 3);
    const kept = refitModel(WEIGHTED_MODEL, few, new Date('2026-12-01T00:00:00.000Z'));
    expect(kept.replaced).toBe(false);
    expect(kept.model).toBe(WEIGHTED_MODEL);
    expect(kept.reason).toMatch(new RegExp(`too little history .*needs ${FIT_RULES.minRuns}`));
  });

  it('replaces the weighted model when a fit ranks the held-back runs better (ReportPortal rule)', () => {
    const now = new Date('2026-12-01T00:00:00.000Z');
    const refit = refitModel(WEIGHTED_MODEL, synthetic(3000, 20), now);
    expect(refit.replaced).toBe(true);
    expect(refit.model).toMatchObject({ kind: 'logistic', fitted: { at: now.toISOString(), runs: 20, predictions: 3000 } });
    if (refit.model.kind !== 'logistic') throw new Error('expected a logistic model');
    expect(refit.model.fitted.heldOutAuc).toBeGreaterThan(refit.model.fitted.replacedAuc);
    expect(refit.reason).toMatch(/^refit: AUC 0\.\d{3} on the held-back runs, against 0\.\d{3} for weighted$/);
  });

  it('judges a fitted model only on runs it was not fitted on', () => {
    const samples = synthetic(3000, 20);
    const first = refitModel(WEIGHTED_MODEL, samples, new Date(Date.UTC(2026, 10, 1, 19, 30)));
    expect(first.replaced).toBe(true);
    // One newer run only: too few unseen runs to judge a refit against it.
    const one = [...samples, ...synthetic(150, 1, 9).map((s) => ({ ...s, run: 'r100', at: new Date(Date.UTC(2026, 10, 2)).toISOString() }))];
    const kept = refitModel(first.model, one, new Date(Date.UTC(2026, 10, 2, 1)));
    expect(kept).toMatchObject({ replaced: false, model: first.model });
    expect(kept.reason).toMatch(/1 run since it was fitted, 2 are needed/);
  });

  it('keeps the current model when the refit does no better on the held-back runs', () => {
    // The current model reads the outcome itself (newTest = failed): no fit can rank better.
    const rand = random(3);
    const samples: Sample[] = Array.from({ length: 400 }, (_, i) => {
      const failed = rand() < 0.3;
      const run = Math.floor(i / 40);
      return { run: `r${String(run).padStart(2, '0')}`, at: new Date(Date.UTC(2026, 10, 1, run)).toISOString(), values: { ...zero(), newTest: failed ? 1 : 0, churn: rand() }, failed };
    });
    const perfect: RiskModel = { kind: 'weighted', weights: { ...zero(), newTest: 1 } };
    const refit = refitModel(perfect, samples, new Date());
    expect(refit.replaced).toBe(false);
    expect(refit.model).toBe(perfect);
    expect(refit.reason).toMatch(/^kept weighted: AUC 1\.000/);
  });
});
