import { describe, expect, it } from 'vitest';
import { factorDetail, factorValues, RISK_FACTORS, type TestEvidence } from './factors.js';
import { DEFAULT_WEIGHTS, scoreRisk, weightsSchema } from './score.js';

const quiet: TestEvidence = { history: ['pass', 'pass', 'pass', 'pass'], flakiness: 0, selectors: { total: 0, stale: [] }, churn: { files: [], authors: 0 }, dependencies: [], similarFailures: [] };

describe('risk factors', () => {
  it('are all 0 for a test that always passed and whose world did not change', () => {
    const values = factorValues(quiet);
    for (const f of RISK_FACTORS) expect(values[f], f).toBe(0);
    expect(scoreRisk(values).score).toBe(0);
  });

  it('read recent failures over the last 3 runs, the last weighing most, and the failure rate over all of them', () => {
    // Oldest first: … pass, changed, retry. A pass on retry failed an attempt: it counts.
    const values = factorValues({ ...quiet, history: ['fail', 'fail', 'pass', 'pass', 'changed', 'retry'] });
    expect(values.recentFailures).toBeCloseTo((0 + 2 + 4) / 7);
    expect(values.failureRate).toBeCloseTo(4 / 6);
    expect(factorValues({ ...quiet, history: ['pass', 'pass', 'fail'] }).recentFailures).toBeCloseTo(4 / 7);
    expect(factorValues({ ...quiet, history: ['fail', 'fail', 'pass'] }).recentFailures).toBeCloseTo(3 / 7);
    expect(factorDetail('recentFailures', { ...quiet, history: ['pass', 'fail'] })).toBe('1 of 2 runs failed lately');
  });

  it('call a failure unattended when nothing that broke it changed since', () => {
    expect(factorValues({ ...quiet, history: ['pass', 'fail'], sinceFailure: [] }).unattended).toBe(1);
    expect(factorValues({ ...quiet, history: ['pass', 'fail'], sinceFailure: ['pages/cart.ts'] }).unattended).toBe(0);
    expect(factorValues({ ...quiet, history: ['pass', 'fail'] }).unattended).toBe(0); // git cannot tell
    expect(factorDetail('unattended', { ...quiet, history: ['pass', 'fail'], sinceFailure: ['pages/cart.ts'] })).toBe('failed last run; since then pages/cart.ts changed');
    expect(factorDetail('unattended', { ...quiet, history: ['pass', 'fail'], sinceFailure: [] })).toBe('failed last run and nothing linked to it changed since');
  });

  it('turn counts into factors that saturate: churn is ½ at 1 file, other authors add', () => {
    expect(factorValues({ ...quiet, churn: { files: ['a.ts'], authors: 1 } }).churn).toBeCloseTo(0.5);
    expect(factorValues({ ...quiet, churn: { files: ['a.ts', 'b.ts'], authors: 1 } }).churn).toBeCloseTo(0.75);
    expect(factorValues({ ...quiet, churn: { files: ['a.ts'], authors: 3 } }).churn).toBeCloseTo(0.875);
    expect(factorValues({ ...quiet, churn: { files: [], authors: 0 } }).churn).toBe(0);
    expect(factorValues({ ...quiet, similarFailures: ['x'] }).similarFailures).toBeCloseTo(0.5);
    expect(factorValues({ ...quiet, similarFailures: ['x', 'y'] }).similarFailures).toBeCloseTo(0.75);
  });

  it('mark unknown churn as 0 and say so', () => {
    const unknown = { ...quiet };
    delete unknown.churn;
    expect(factorValues(unknown).churn).toBe(0);
    expect(factorDetail('churn', unknown)).toMatch(/unknown/);
  });

  it('name stale selectors, dependency changes and new tests', () => {
    const e: TestEvidence = { ...quiet, history: [], selectors: { total: 4, stale: ["getByRole('button', { name: 'Pay' })"] }, dependencies: ['package-lock.json'] };
    const values = factorValues(e);
    expect(values).toMatchObject({ staleSelectors: 0.25, dependencies: 1, newTest: 1 });
    expect(factorDetail('staleSelectors', e)).toBe("1 of 4 selectors stale (getByRole('button', { name: 'Pay' }))");
    expect(factorDetail('dependencies', e)).toBe('package-lock.json');
    expect(factorDetail('newTest', e)).toMatch(/new test/);
  });
});

describe('risk score', () => {
  it('is the weighted mean of the factors, with each contribution, largest first', () => {
    const values = factorValues({ ...quiet, history: ['pass', 'pass', 'fail'], churn: { files: ['a.ts'], authors: 1 } });
    const { score, contributions } = scoreRisk(values);
    const total = Object.values(DEFAULT_WEIGHTS).reduce((a, b) => a + b, 0);
    const expected = (DEFAULT_WEIGHTS.recentFailures * (4 / 7) + DEFAULT_WEIGHTS.failureRate * (1 / 3) + DEFAULT_WEIGHTS.churn * 0.5) / total;
    expect(score).toBeCloseTo(expected);
    expect(contributions.map((c) => c.factor).slice(0, 3)).toEqual(['recentFailures', 'churn', 'failureRate']);
    expect(contributions.reduce((s, c) => s + c.contribution, 0)).toBeCloseTo(score);
  });

  it('ranks a test that failed lately above one whose spec changed, and both above a quiet one', () => {
    const failing = scoreRisk(factorValues({ ...quiet, history: ['pass', 'pass', 'fail'] })).score;
    const changed = scoreRisk(factorValues({ ...quiet, churn: { files: ['cart.spec.ts'], authors: 1 } })).score;
    expect(failing).toBeGreaterThan(changed);
    expect(changed).toBeGreaterThan(0);
  });

  it('takes other weights, and refuses weights that cannot score', () => {
    const only = { ...Object.fromEntries(RISK_FACTORS.map((f) => [f, 0])), dependencies: 1 } as typeof DEFAULT_WEIGHTS;
    expect(scoreRisk(factorValues({ ...quiet, dependencies: ['yarn.lock'] }), only).score).toBe(1);
    expect(weightsSchema.safeParse(Object.fromEntries(RISK_FACTORS.map((f) => [f, 0]))).success).toBe(false);
    expect(weightsSchema.safeParse({ ...DEFAULT_WEIGHTS, churn: -1 }).success).toBe(false);
  });
});
