import type { HealEvent } from '../learning/heals.js';
import type { LlmCall } from '../llm/call.js';
import type { FailureSummary } from '../llm/llm.js';
import { withCall, type ModelTally, type SpendRecord } from '../llm/spend.js';
import type { RunRecord } from '../store/records.js';
import { groupBy } from '../learning/groupBy.js';
import { compareText } from '../store/learning.js';
import type { ReportLlm, ReportLlmTally } from './schema.js';
import { round3, roundUsd as usd } from './round.js';

/**
 * The newest summary of each failure pattern (by when it was made), whichever model made it.
 * @example newestSummaries(summaries).get(pattern.id)?.hypothesis
 */
export function newestSummaries(summaries: readonly FailureSummary[]): Map<string, FailureSummary> {
  const out = new Map<string, FailureSummary>();
  for (const s of summaries) {
    const seen = out.get(s.patternId);
    if (!seen || compareText(s.at, seen.at) > 0) out.set(s.patternId, s);
  }
  return out;
}

/** The calls of one run by model, as the spend record tallies them. */
export function tallyCalls(calls: readonly LlmCall[]): Record<string, ModelTally> {
  const out: Record<string, ModelTally> = {};
  for (const c of calls) out[c.model] = withCall(out[c.model], c);
  return out;
}

type Sum = ModelTally & { heals: number; held: number };
const zero = (): Sum => ({ calls: 0, answered: 0, usd: 0, ms: 0, promptTokens: 0, completionTokens: 0, heals: 0, held: 0 });
const add = (sum: Sum, t: ModelTally) => {
  sum.calls += t.calls;
  sum.answered += t.answered;
  sum.usd += t.usd;
  sum.ms += t.ms;
  sum.promptTokens += t.promptTokens;
  sum.completionTokens += t.completionTokens;
};
const row = (s: Sum): ReportLlmTally => ({
  calls: s.calls,
  answered: s.answered,
  answerRate: s.calls ? round3(s.answered / s.calls) : null,
  heals: s.heals,
  held: s.held,
  costUsd: usd(s.usd),
  meanMs: s.calls ? Math.round(s.ms / s.calls) : null,
  promptTokens: s.promptTokens,
  completionTokens: s.completionTokens,
});

export type LlmSectionInput = {
  /** The report's runs, every shard. */
  runs: readonly RunRecord[];
  /** Their heals. */
  heals: readonly HealEvent[];
  /** The project's spend record (src/llm/spend.ts); absent: none kept. */
  spend?: SpendRecord;
  groupOf: (runId: string) => string;
  /** The report's run (group). */
  focus: string | undefined;
  now: Date;
  reviewState?: (heal: HealEvent) => HealEvent['review'];
};

/**
 * Each model's calls (valid answers, cost, latency, tokens) and heals (made, held) in the
 * report's run, its shards summed, and over all the report's runs; the run's and today's cost.
 * Calls come from the spend record (repairs and summaries alike); a run it no longer keeps falls
 * back on the calls its heals carry. Null when no call or LLM heal is on record. Pure.
 * @example llmSection({ runs, heals, spend, groupOf: (id) => id, focus: runId, now: new Date() })?.models[0]?.run.calls
 */
export function llmSection(input: LlmSectionInput): ReportLlm | null {
  const healsOf = groupBy(input.heals, (h) => h.runId);
  const sums = new Map<string, { run: Sum; window: Sum }>();
  const of = (model: string) => {
    let s = sums.get(model);
    if (!s) sums.set(model, (s = { run: zero(), window: zero() }));
    return s;
  };
  const inFocus = (runId: string) => input.focus !== undefined && input.groupOf(runId) === input.focus;
  let runCost = 0;
  let windowCost = 0;
  // The ledger keeps a sharded run under its group (every shard's workers count toward one
  // budget), a run on its own under its id; a run it no longer keeps falls back on its heals' calls.
  for (const [group, runs] of groupBy(input.runs, (run) => input.groupOf(run.id))) {
    const kept = input.spend?.runs[group]?.models;
    const tallies = kept ? [kept] : runs.map((run) => input.spend?.runs[run.id]?.models ?? tallyCalls((healsOf.get(run.id) ?? []).flatMap((h) => h.llm?.calls ?? [])));
    for (const [model, tally] of tallies.flatMap((t) => Object.entries(t))) {
      const s = of(model);
      add(s.window, tally);
      windowCost += tally.usd;
      if (inFocus(runs[0]!.id)) {
        add(s.run, tally);
        runCost += tally.usd;
      }
    }
  }
  // A heal the model made: it tried the model's choice (an abstention tried nothing).
  for (const h of input.heals) {
    const model = h.llm?.model;
    if (h.strategy !== 'llm' || !model || h.outcome === 'abstained') continue;
    const held = h.outcome === 'healed' && (input.reviewState?.(h) ?? h.review) !== 'rejected' ? 1 : 0;
    const s = of(model);
    s.window.heals++;
    s.window.held += held;
    if (inFocus(h.runId)) {
      s.run.heals++;
      s.run.held += held;
    }
  }
  if (sums.size === 0) return null;
  const day = input.now.toISOString().slice(0, 10);
  return {
    runCostUsd: usd(runCost),
    windowCostUsd: usd(windowCost),
    todayCostUsd: usd(input.spend?.days[day] ?? 0),
    day,
    models: [...sums]
      .map(([model, s]) => ({ model, run: row(s.run), window: row(s.window) }))
      .sort((a, b) => b.window.calls - a.window.calls || b.window.heals - a.window.heals || compareText(a.model, b.model)),
  };
}
