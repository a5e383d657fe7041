import { describe, expect, it } from 'vitest';
import { chooseThresholds, fitLogit, fitTemperature, logitLoss, minimize, operatingPoint, softmax, type Decision, type TrainingProblem } from './fit.js';

function rng(seed: number) {
  return () => (seed = (seed * 16807) % 2147483647) / 2147483647;
}

/** Problems of 4 rows × 3 features: f0 marks the right row, f1 is noise, f2 marks a wrong row. */
function synthetic(count: number): TrainingProblem[] {
  const rand = rng(11);
  return Array.from({ length: count }, () => {
    const matrix = new Float64Array(4 * 3);
    const positive = Math.floor(rand() * 4);
    for (let i = 0; i < 4; i++) {
      matrix[i * 3] = i === positive ? (rand() < 0.8 ? 1 : 0) : rand() < 0.2 ? 1 : 0;
      matrix[i * 3 + 1] = rand();
      matrix[i * 3 + 2] = i === (positive + 1) % 4 ? 1 : 0;
    }
    return { matrix, rows: 4, positive };
  });
}

describe('minimize', () => {
  it('finds the minimum, and the bound when the sign forbids it', () => {
    const f = (x: Float64Array, g: Float64Array) => {
      g[0] = 2 * (x[0]! - 3);
      g[1] = 2 * (x[1]! + 2);
      return (x[0]! - 3) ** 2 + (x[1]! + 2) ** 2;
    };
    const free = minimize(f, new Float64Array(2));
    expect(free[0]).toBeCloseTo(3, 5);
    expect(free[1]).toBeCloseTo(-2, 5);
    const bounded = minimize(f, new Float64Array(2), { signs: [1, 1] });
    expect(bounded[0]).toBeCloseTo(3, 5);
    expect(bounded[1]).toBe(0);
  });
});

describe('logitLoss', () => {
  it('has the gradient its finite differences say', () => {
    const problems = synthetic(20);
    const w = Float64Array.from([0.3, -0.2, 0.5]);
    const grad = new Float64Array(3);
    logitLoss(problems, 3, w, 0.1, grad);
    for (let f = 0; f < 3; f++) {
      const h = 1e-6;
      const up = Float64Array.from(w);
      const down = Float64Array.from(w);
      up[f] = up[f]! + h;
      down[f] = down[f]! - h;
      const numeric = (logitLoss(problems, 3, up, 0.1) - logitLoss(problems, 3, down, 0.1)) / (2 * h);
      expect(grad[f]).toBeCloseTo(numeric, 5);
    }
  });
});

describe('fitLogit', () => {
  it('weights the informative feature, and holds a sign-constrained one at 0', () => {
    const problems = synthetic(300);
    const free = fitLogit(problems, 3, { l2: 0.001 });
    expect(free[0]).toBeGreaterThan(1);
    expect(Math.abs(free[1]!)).toBeLessThan(free[0]! / 3);
    expect(free[2]).toBeLessThan(-1);
    const constrained = fitLogit(problems, 3, { l2: 0.001, signs: [1, 1, 1] });
    expect(constrained[2]).toBe(0);
    expect(constrained[0]).toBeGreaterThan(1);
  });
});

describe('fitTemperature', () => {
  it('recovers how overconfident the scores are', () => {
    const rand = rng(5);
    const heldOut = Array.from({ length: 4000 }, () => {
      const d = rand() * 12;
      // Truth follows softmax(d / 3); the scores claim softmax(d).
      const positive = rand() < 1 / (1 + Math.exp(-d / 3)) ? 0 : 1;
      return { scores: [d, 0], positive };
    });
    expect(fitTemperature(heldOut)).toBeGreaterThan(2.5);
    expect(fitTemperature(heldOut)).toBeLessThan(3.5);
  });

  it('is the identity for scores that are already calibrated', () => {
    const rand = rng(9);
    const heldOut = Array.from({ length: 4000 }, () => {
      const d = rand() * 6;
      return { scores: [d, 0], positive: rand() < 1 / (1 + Math.exp(-d)) ? 0 : 1 };
    });
    expect(fitTemperature(heldOut)).toBeCloseTo(1, 0);
  });
});

describe('thresholds', () => {
  const decisions: Decision[] = [
    ...Array.from({ length: 90 }, () => ({ confidence: 0.999, margin: 0.99, correct: true })),
    { confidence: 0.97, margin: 0.95, correct: false },
    ...Array.from({ length: 9 }, () => ({ confidence: 0.6, margin: 0.3, correct: true })),
  ];

  it('counts heals, wrong heals, coverage and precision', () => {
    expect(operatingPoint(decisions, 0.5, 0)).toMatchObject({ heals: 100, wrong: 1, coverage: 1, precision: 0.99 });
    expect(operatingPoint(decisions, 0.98, 0)).toMatchObject({ heals: 90, wrong: 0, precision: 1 });
  });

  it('picks the most coverage meeting the precision target, observed and expected', () => {
    const op = chooseThresholds(decisions, { precision: 0.99 });
    expect(op.heals).toBe(90);
    expect(op.threshold).toBeGreaterThan(0.97);
    // At 97 % the 0.6-confidence heals would drag the expected precision under the target,
    // even though they were right here.
    expect(chooseThresholds(decisions, { precision: 0.97 }).heals).toBe(91);
    expect(chooseThresholds(decisions, { precision: 0.95 }).heals).toBe(100);
  });

  it('heals nothing when the target is out of reach', () => {
    expect(chooseThresholds([{ confidence: 0.995, margin: 0.99, correct: false }], { precision: 0.99 })).toMatchObject({ heals: 0, threshold: 1 });
  });
});

it('softmax sums to 1 and sharpens as the temperature falls', () => {
  const p = softmax([2, 1, 0]);
  expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1);
  expect(softmax([2, 1, 0], 0.5)[0]).toBeGreaterThan(p[0]!);
});
