import { z } from 'zod';
import type { AttemptRecord } from '../store/records.js';
import type { HealEvent } from './heals.js';
import { groupBy } from './groupBy.js';

/** How hard the task was: one locator, a chain of them, or a list (a set, or a position in one). */
export const complexitySchema = z.enum(['simple', 'chain', 'list']);
export type Complexity = z.infer<typeof complexitySchema>;

/** One try of one strategy (a heal strategy, a retry; later an LLM model) at one task. */
export const strategyExecutionSchema = z
  .object({
    project: z.string().min(1),
    runId: z.string().min(1),
    /** `relocate`, `known_fix`, `retry`, `llm:gpt-4o-mini`… */
    strategy: z.string().min(1),
    /** What it was asked to fix: the failure category (`selector_missing`, `strict_mode`, `timeout`…). */
    taskType: z.string().min(1),
    complexity: complexitySchema,
    success: z.boolean(),
    durationMs: z.number().nonnegative(),
    /** USD; null when unknown (a local strategy costs nothing: 0). */
    costUsd: z.number().nonnegative().nullable(),
    at: z.iso.datetime(),
  })
  .strict();
export type StrategyExecution = z.infer<typeof strategyExecutionSchema>;

/** Validates one run's executions before anything is written: each must be of that run. */
export function parseRunExecutions(runId: string, executions: unknown[]): { runId: string; executions: StrategyExecution[] } {
  const run = z.string().min(1).parse(runId);
  return { runId: run, executions: z.array(strategyExecutionSchema.refine((e) => e.runId === run, { message: `every execution must be of run ${run}` })).parse(executions) };
}

/** Which executions `listStrategyExecutions` returns: every field narrows; newest first. */
export const strategyQuerySchema = z
  .object({ project: z.string().optional(), strategy: z.string().optional(), taskType: z.string().optional(), limit: z.number().int().positive().optional() })
  .strict();
export type StrategyQuery = z.input<typeof strategyQuerySchema>;

/** The store keeps the newest this many executions per (project, strategy, task type), like the seed's LTRIM. */
export const EXECUTIONS_KEPT = 500;

/** `list` when it picks by position, else `chain` when its selector has several parts, else `list` for a set heal, else `simple`. */
export function complexityOf(selector: string, strategy: string): Complexity {
  if (/(^| >> )nth=/.test(selector)) return 'list';
  if (selector.includes(' >> ')) return 'chain';
  return strategy === 'relocate_set' ? 'list' : 'simple';
}

/**
 * What one run tried: each heal that was tried (healed: a success; failed or abstained: a
 * failure) and each retry (a success when the retry passed), its task the failure of the attempt
 * before it. A review overrules the run: a rejected heal is a failure, and a suggestion, which
 * nobody ran, counts once reviewed (accepted: a success; rejected: a failure); pending, it does not.
 */
export function executionsOfRun(project: string, runId: string, heals: readonly HealEvent[], attempts: readonly AttemptRecord[]): StrategyExecution[] {
  const out: StrategyExecution[] = [];
  for (const h of heals) {
    if (h.outcome === 'suggested' && h.review === 'pending') continue;
    const complexity = h.complexity ?? complexityOf(h.from.selector, h.strategy);
    const success = h.review === 'rejected' ? false : h.outcome === 'healed' || (h.outcome === 'suggested' && h.review === 'accepted');
    const calls = h.llm?.calls ?? [];
    // The models' cost and time are the llm strategy's; a ranker strategy that then asked a model is timed without it.
    const llmMs = calls.reduce((sum, c) => sum + c.durationMs, 0);
    const costUsd = h.strategy === 'llm' ? calls.reduce((sum, c) => sum + c.costUsd, 0) : 0;
    const durationMs = h.strategy === 'llm' ? h.durationMs : Math.max(0, h.durationMs - llmMs);
    out.push({ project, runId, strategy: h.strategy, taskType: h.category, complexity, success, durationMs, costUsd, at: h.at });
    // Each model asked: a failed call or an unusable answer is its failure, the pick its success
    // when the heal held; "none" is no judgement of the model (nobody knows if it was right).
    for (const call of calls) {
      if (call.answer === 'none') continue;
      const picked = call.answer === 'pick' && h.strategy === 'llm';
      out.push({ project, runId, strategy: `llm:${call.model}`, taskType: call.task, complexity, success: picked && success, durationMs: call.durationMs, costUsd: call.costUsd, at: h.at });
    }
  }
  const byTest = groupBy(attempts, (a) => a.testId);
  for (const tries of byTest.values()) {
    for (const a of tries) {
      const before = tries.find((b) => b.retry === a.retry - 1);
      if (!before?.error || a.status === 'skipped' || a.status === 'interrupted') continue;
      out.push({
        project,
        runId,
        strategy: 'retry',
        taskType: before.error.category,
        complexity: 'simple',
        success: a.status === a.expectedStatus,
        durationMs: a.durationMs,
        costUsd: 0,
        at: a.startedAt,
      });
    }
  }
  return out;
}

export const rankOptionsSchema = z
  .object({
    /** Weights of success rate, speed and cost in the score; they need not add up to 1. */
    weights: z.object({ success: z.number().min(0), speed: z.number().min(0), cost: z.number().min(0) }).default({ success: 0.6, speed: 0.25, cost: 0.15 }),
    /** Executions a strategy needs before it is ranked. */
    minSamples: z.number().int().positive().default(5),
    complexity: complexitySchema.optional(),
  })
  .strict();
export type StrategyRankOptions = z.input<typeof rankOptionsSchema>;

export type StrategyScore = {
  strategy: string;
  taskType: string;
  tries: number;
  successes: number;
  /** Laplace's rule: (successes + 1) / (tries + 2), so two lucky tries do not make a sure thing. */
  successRate: number;
  meanMs: number;
  /** Mean cost of the executions whose cost is known; null when none is. */
  meanCostUsd: number | null;
  /** 0–1 each: the fastest mean scores 1, the others the fastest mean over theirs; likewise the cheapest cost. */
  speed: number;
  cheapness: number;
  /** The weighted mean of success rate, speed and cheapness. */
  score: number;
};

/**
 * The strategies tried at a task, best first by the weighted score of success rate, speed and
 * cost. Speed and cost are relative to the best of the candidates, so a 0 ms or free strategy
 * divides nothing by zero (a 1 ms floor on time); a strategy of unknown cost scores 0.5 on
 * cost. Strategies with fewer than `minSamples` executions are left out.
 * @example rankStrategies(executions, 'selector_missing')[0]?.strategy
 */
export function rankStrategies(executions: readonly StrategyExecution[], taskType: string, input: StrategyRankOptions = {}): StrategyScore[] {
  const options = rankOptionsSchema.parse(input);
  const groups = groupBy(
    executions.filter((e) => e.taskType === taskType && (!options.complexity || e.complexity === options.complexity)),
    (e) => e.strategy,
  );
  const stats = [...groups]
    .filter(([, list]) => list.length >= options.minSamples)
    .map(([strategy, list]) => {
      const successes = list.filter((e) => e.success).length;
      const costs = list.map((e) => e.costUsd).filter((c): c is number => c !== null);
      return {
        strategy,
        taskType,
        tries: list.length,
        successes,
        successRate: (successes + 1) / (list.length + 2),
        meanMs: list.reduce((sum, e) => sum + e.durationMs, 0) / list.length,
        meanCostUsd: costs.length ? costs.reduce((a, b) => a + b, 0) / costs.length : null,
      };
    });
  if (stats.length === 0) return [];
  const fastest = Math.max(1, Math.min(...stats.map((s) => s.meanMs)));
  const known = stats.map((s) => s.meanCostUsd).filter((c): c is number => c !== null);
  const cheapest = known.length ? Math.min(...known) : 0;
  const { success, speed, cost } = options.weights;
  const total = success + speed + cost || 1;
  return stats
    .map((s) => {
      const speedScore = fastest / Math.max(1, s.meanMs);
      const cheapness = s.meanCostUsd === null ? 0.5 : s.meanCostUsd <= cheapest ? 1 : cheapest / s.meanCostUsd;
      return { ...s, speed: speedScore, cheapness, score: (success * s.successRate + speed * speedScore + cost * cheapness) / total };
    })
    .sort((a, b) => b.score - a.score || b.tries - a.tries || (a.strategy < b.strategy ? -1 : 1));
}

/**
 * `preferred` reordered by the ranking where it knows enough: the strategies it ranks come in
 * its order, in the places they held; the ones it does not rank keep theirs. With fewer than
 * two ranked, the default order stands.
 * @example orderStrategies(['relocate', 'relocate_set'], ranking) // ['relocate_set', 'relocate'] when the set heal does better
 */
export function orderStrategies<T extends string>(preferred: readonly T[], ranking: readonly StrategyScore[]): T[] {
  const ranked = ranking.map((r) => r.strategy).filter((s): s is T => (preferred as readonly string[]).includes(s));
  if (ranked.length < 2) return [...preferred];
  const slots = preferred.map((s, i) => (ranked.includes(s) ? i : -1)).filter((i) => i >= 0);
  const out = [...preferred];
  slots.forEach((slot, k) => (out[slot] = ranked[k]!));
  return out;
}
