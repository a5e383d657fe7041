import { describe, expect, it } from 'vitest';
import type { StrategyExecution } from '../learning/strategies.js';
import { betaSample, orderModels, seededRandom } from './select.js';

const exec = (model: string, success: boolean, over: Partial<StrategyExecution> = {}): StrategyExecution => ({
  project: 'shop', runId: 'run-1', strategy: `llm:${model}`, taskType: 'llm_repair', complexity: 'simple', success, durationMs: 800, costUsd: 0.0004, at: '2026-12-01T10:00:00.000Z', ...over,
});
const times = (n: number, make: (i: number) => StrategyExecution) => Array.from({ length: n }, (_, i) => make(i));
const samePrice = { a: { inputPerMTok: 1, outputPerMTok: 2 }, b: { inputPerMTok: 1, outputPerMTok: 2 } };
const firstCounts = (draws: number, run: (random: () => number) => string) => {
  const counts: Record<string, number> = {};
  for (let seed = 1; seed <= draws; seed++) {
    const first = run(seededRandom(seed));
    counts[first] = (counts[first] ?? 0) + 1;
  }
  return counts;
};

describe('seededRandom', () => {
  it('repeats its draws for a seed and stays in [0, 1)', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const draws = Array.from({ length: 1000 }, a);
    expect(draws.slice(0, 5)).toEqual([b(), b(), b(), b(), b()]);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(seededRandom(8)()).not.toBe(seededRandom(7)());
  });
});

describe('betaSample', () => {
  it.each([
    [2, 5],
    [1, 1],
    [20, 3],
    [0.5, 0.5],
    [0.3, 2],
  ])('Beta(%d, %d) draws average near alpha / (alpha + beta)', (alpha, beta) => {
    const random = seededRandom(alpha * 100 + beta);
    const draws = Array.from({ length: 20_000 }, () => betaSample(alpha, beta, random));
    expect(draws.every((d) => d >= 0 && d <= 1)).toBe(true);
    expect(draws.reduce((s, d) => s + d, 0) / draws.length).toBeCloseTo(alpha / (alpha + beta), 2);
  });

  it('refuses shapes that are not above 0, and ends even with a broken generator', () => {
    expect(() => betaSample(0, 1, Math.random)).toThrow(RangeError);
    expect(() => betaSample(1, Number.NaN, Math.random)).toThrow(/alpha and beta/);
    expect(Number.isFinite(betaSample(2, 3, () => 0.999999999999))).toBe(true);
    expect(Number.isFinite(betaSample(2, 3, () => 0))).toBe(true);
  });
});

describe('orderModels', () => {
  const prices = { big: { inputPerMTok: 2.5, outputPerMTok: 10 }, mini: { inputPerMTok: 0.15, outputPerMTok: 0.6 }, mid: { inputPerMTok: 0.4, outputPerMTok: 1.6 } };

  it('starts cheap: with no record, the cheapest first, ties and free models in the configured order', () => {
    const order = (models: string[], p: typeof prices | Record<string, never> = prices) =>
      orderModels(models, [exec('big', true, { taskType: 'llm_summary' })], 'llm_repair', 'simple', { prices: p, random: seededRandom(3) }).map((c) => c.model);
    expect(order(['big', 'mid', 'mini'])).toEqual(['mini', 'mid', 'big']);
    expect(order(['big', 'local', 'mini'])).toEqual(['local', 'mini', 'big']);
    expect(order(['b', 'a'], {})).toEqual(['b', 'a']);
    expect(orderModels([], [], 'llm_repair', undefined, { prices, random: Math.random })).toEqual([]);
  });

  it('puts the model that succeeds first once it has a record', () => {
    const executions = [...times(20, (i) => exec('a', i < 4)), ...times(20, (i) => exec('b', i < 17))];
    const counts = firstCounts(200, (random) => orderModels(['a', 'b'], executions, 'llm_repair', 'simple', { prices: samePrice, random })[0]!.model);
    expect(counts.b).toBeGreaterThanOrEqual(198);
  });

  it('still explores a model with few tries now and then', () => {
    const executions = [...times(20, (i) => exec('a', i < 15)), exec('b', true), exec('b', false)];
    const counts = firstCounts(200, (random) => orderModels(['a', 'b'], executions, 'llm_repair', 'simple', { prices: samePrice, random })[0]!.model);
    expect(counts.b).toBeGreaterThan(5);
    expect(counts.a).toBeGreaterThan(counts.b!);
    const unseen = firstCounts(200, (random) => orderModels(['a', 'c'], executions, 'llm_repair', 'simple', { prices: { ...samePrice, c: samePrice.a }, random })[0]!.model);
    expect(unseen.c).toBeGreaterThan(0);
  });

  it('reads the complexity when it has three or more executions there, else every complexity', () => {
    const executions = [...times(3, () => exec('a', false, { complexity: 'list' })), ...times(10, () => exec('a', true)), ...times(2, () => exec('b', true, { complexity: 'list' }))];
    const list = orderModels(['a', 'b'], executions, 'llm_repair', 'list', { prices: samePrice, random: seededRandom(1) });
    expect(Object.fromEntries(list.map((c) => [c.model, c.tries]))).toEqual({ a: 3, b: 2 });
    const any = orderModels(['a', 'b'], executions, 'llm_repair', undefined, { prices: samePrice, random: seededRandom(1) });
    expect(Object.fromEntries(any.map((c) => [c.model, c.tries]))).toEqual({ a: 13, b: 2 });
  });

  it('gives finite scores with 0 ms, free models and zero weights, and repeats itself for a seed', () => {
    const executions = [...times(5, () => exec('a', true, { durationMs: 0, costUsd: 0 })), ...times(5, () => exec('b', false, { durationMs: 0 }))];
    for (const weights of [undefined, { success: 0, speed: 0, cost: 0 }, { success: 0, speed: 1, cost: 1 }]) {
      const order = orderModels(['a', 'b', 'c'], executions, 'llm_repair', 'simple', { prices: {}, random: seededRandom(5), ...(weights && { weights }) });
      for (const c of order) expect(Number.isFinite(c.score)).toBe(true);
    }
    const run = () => orderModels(['a', 'b', 'c'], executions, 'llm_repair', 'simple', { prices: {}, random: seededRandom(9) });
    expect(run()).toEqual(run());
  });
});
