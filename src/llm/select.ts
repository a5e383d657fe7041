import type { Complexity, StrategyExecution } from '../learning/strategies.js';
import type { ModelPrice } from './cost.js';

// Which configured model to call first: Thompson sampling on each model's record at the task,
// mixed with speed and price like rankStrategies, so a model that keeps failing sinks, a new
// one still gets tried now and then, and with no record at all the cheapest goes first.

/**
 * A seeded generator of numbers in [0, 1) (mulberry32): the same seed, the same draws.
 * @example orderModels(models, executions, 'llm_repair', 'simple', { prices, random: seededRandom(42) })
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Box–Muller; `1 - random()` keeps the logarithm away from 0. */
const normal = (random: () => number) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** Marsaglia–Tsang; shape < 1 draws at shape + 1 and scales by U^(1/shape). */
function gammaSample(shape: number, random: () => number): number {
  if (shape < 1) return gammaSample(shape + 1, random) * Math.pow(random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  // A sane generator accepts within a few rounds; the cap only stops a broken one (always 1) from looping forever.
  for (let round = 0; round < 1000; round++) {
    const x = normal(random);
    const v = (1 + c * x) ** 3;
    if (!(v > 0)) continue;
    const u = random();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
  return shape;
}

/**
 * One draw from Beta(alpha, beta), as the ratio of two gamma draws.
 * @example betaSample(successes + 1, failures + 1, seededRandom(1)) // a plausible success rate
 */
export function betaSample(alpha: number, beta: number, random: () => number): number {
  if (!(alpha > 0 && beta > 0 && Number.isFinite(alpha) && Number.isFinite(beta))) {
    throw new RangeError(`betaSample needs finite alpha and beta above 0, got ${alpha} and ${beta}`);
  }
  const x = gammaSample(alpha, random);
  const y = gammaSample(beta, random);
  // Both can underflow to 0 for tiny shapes; the mean is then the honest answer.
  return x + y > 0 ? x / (x + y) : alpha / (alpha + beta);
}

export type ModelChoice = {
  model: string;
  /** The weighted mean of the sampled success, speed and cheapness. */
  score: number;
  /** This order's draw from Beta(successes + 1, failures + 1). */
  sampledSuccess: number;
  /** The executions the draw was based on. */
  tries: number;
};

export type OrderModelsOptions = {
  /** USD per million tokens by model; a model without a price is free (a local server). */
  prices: Record<string, ModelPrice>;
  random: () => number;
  /** As in rankStrategies; they need not add up to 1. */
  weights?: { success: number; speed: number; cost: number };
};

const pricePerMTok = (price: ModelPrice | undefined) => (price ? (price.inputPerMTok + price.outputPerMTok) / 2 : 0);
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * The order to try the configured models in at a task: the first is the one to call, the rest
 * the escalation when it fails. Each model's success is a Thompson draw from its executions
 * (`llm:<model>` at this task; at this complexity when it has three or more there), speed and
 * cheapness are relative to the best (1 ms floor, unknown speed 0.5) as in rankStrategies.
 * With no executions for any model, the cheapest goes first (ties: the configured order).
 * Deterministic given `random`.
 * @example orderModels(['gpt-4o-mini', 'gpt-4o'], executions, 'llm_repair', 'simple', { prices, random: Math.random })[0]!.model
 */
export function orderModels(
  models: readonly string[],
  executions: readonly StrategyExecution[],
  task: 'llm_repair' | 'llm_summary',
  complexity: Complexity | undefined,
  options: OrderModelsOptions,
): ModelChoice[] {
  const { prices, random, weights = { success: 0.6, speed: 0.25, cost: 0.15 } } = options;
  const stats = [...new Set(models)].map((model, order) => {
    const all = executions.filter((e) => e.strategy === `llm:${model}` && e.taskType === task);
    const same = complexity ? all.filter((e) => e.complexity === complexity) : [];
    const list = same.length >= 3 ? same : all;
    const successes = list.filter((e) => e.success).length;
    return {
      model,
      order,
      tries: list.length,
      sampledSuccess: betaSample(successes + 1, list.length - successes + 1, random),
      meanMs: list.length ? mean(list.map((e) => e.durationMs)) : undefined,
      price: pricePerMTok(prices[model]),
    };
  });
  if (stats.length === 0) return [];
  const timed = stats.map((s) => s.meanMs).filter((ms): ms is number => ms !== undefined);
  const fastest = Math.max(1, ...(timed.length ? [Math.min(...timed)] : []));
  const cheapest = Math.min(...stats.map((s) => s.price));
  const total = weights.success + weights.speed + weights.cost || 1;
  const scored = stats.map((s) => {
    const speed = s.meanMs === undefined ? 0.5 : fastest / Math.max(1, s.meanMs);
    const cheapness = s.price <= cheapest ? 1 : cheapest / s.price;
    return { ...s, score: (weights.success * s.sampledSuccess + weights.speed * speed + weights.cost * cheapness) / total };
  });
  // `tries` counts every complexity when one has too few, so 0 everywhere means no record at all.
  const startCheap = scored.every((s) => s.tries === 0);
  scored.sort(startCheap ? (a, b) => a.price - b.price || a.order - b.order : (a, b) => b.score - a.score || a.order - b.order);
  return scored.map(({ model, score, sampledSuccess, tries }) => ({ model, score, sampledSuccess, tries }));
}
