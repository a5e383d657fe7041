import { BrokenCircuitError, circuitBreaker, ConsecutiveBreaker, handleWhen } from 'cockatiel';
import type { MedicConfig } from '../config/schema.js';
import { describeError } from '../errors.js';
import type { Candidate, Fingerprint } from '../healing/fingerprint.js';
import { DEFAULT_MODEL, type RankerModel } from '../healing/model.js';
import { candidateProbabilities } from '../healing/rank.js';
import type { FailurePattern } from '../learning/failurePatterns.js';
import type { Complexity, StrategyExecution } from '../learning/strategies.js';
import { sharedBreaker, type BreakerBoard } from '../resilience/breakerBoard.js';
import { isTransientFailure, LlmCallError, type ChatReply, type ChatRequest, type LlmClient } from './client.js';
import { costOf } from './cost.js';
import { memoKey, type Memo } from './memo.js';
import type { Decision, FailureSummary } from './records.js';
import { compactElement, contradiction, parseRepairAnswer, REPAIR_SCHEMA, repairMessages } from './repairPrompt.js';
import { orderModels } from './select.js';
import type { LlmCall } from './call.js';
import type { SpendLedger } from './spend.js';
import { parseSummaryAnswer, SUMMARY_SCHEMA, summaryMessages } from './summaryPrompt.js';

export type LlmConfig = NonNullable<MedicConfig['llm']>;
export type { Decision, FailureSummary } from './records.js';

export type LlmDeps = {
  client: LlmClient;
  /** Spending of the run and the day, shared by every process of the run. */
  ledger: SpendLedger;
  decisions: Memo<Decision>;
  summaries: Memo<FailureSummary>;
  /** Earlier calls' outcomes (strategy `llm:<model>`): what model selection and the heal's confidence learn from. */
  executions: () => readonly StrategyExecution[];
  /** Where the breaker is shared with the other processes (the store). */
  board?: BreakerBoard;
  /** Said once per reason (budget spent, breaker open). */
  warn: (message: string) => void;
  random?: () => number;
};

export type RepairRequest = {
  fingerprint: Fingerprint;
  /** The ranker's model (default: the built-in one), whose probabilities a pick must be supported by. */
  model?: RankerModel;
  /** The step that failed (`click`) and the locator as the test wrote it. */
  step: string;
  locator: string;
  /** The ranker's candidates, best first. */
  candidates: Candidate[];
  complexity: Complexity;
  runId: string;
  /** When the answer is no use any more (Date.now() ms: the test's time, less what the healed step needs). */
  deadline?: number;
};

/** The least time worth starting a call in (ms): below it, the layer says there is no time left. */
export const MIN_CALL_MS = 1_000;

export type RepairOutcome =
  | { kind: 'pick'; candidate: Candidate; model: string; reason: string; confidence: number; calls: LlmCall[]; cached: boolean }
  | { kind: 'none'; model: string; reason: string; calls: LlmCall[]; cached: boolean }
  /** Every model tried failed (errors, malformed or contradicted answers), or no call was made (budget, breaker). */
  | { kind: 'failed' | 'skipped'; reason: string; calls: LlmCall[] };

export type SummaryOutcome = { kind: 'summary'; summary: FailureSummary; calls: LlmCall[]; cached: boolean } | { kind: 'failed' | 'skipped'; reason: string; calls: LlmCall[] };

/**
 * What the strategy tracker has learned of a model's repairs: Laplace's rule over its earlier
 * repair executions, so a model with no history starts at 0.5. It is the heal's confidence, shown
 * and reviewed; it does not gate the heal (the checks in `repair` do).
 * @example repairConfidence('gpt-4o-mini', executions) // 0.5 with none
 */
export function repairConfidence(model: string, executions: readonly StrategyExecution[]): number {
  const mine = executions.filter((e) => e.strategy === `llm:${model}` && e.taskType === 'llm_repair');
  return (mine.filter((e) => e.success).length + 1) / (mine.length + 2);
}

const usageOf = (reply: ChatReply | undefined) => ({ promptTokens: reply?.usage?.promptTokens ?? 0, completionTokens: reply?.usage?.completionTokens ?? 0 });

/**
 * The optional LLM layer: locator repair when the ranker abstains, failure summaries, model
 * selection by learned success/speed/cost (cheapest first without history, escalating to the
 * next model on a failed call or an unusable answer), a per-run and per-day budget, a circuit
 * breaker shared through the store, and a decision cache (same element and candidates → same
 * answer, no call).
 * @example const llm = createLlm(config.llm, deps); const out = await llm.repair(request);
 */
export function createLlm(config: LlmConfig, deps: LlmDeps) {
  const random = deps.random ?? Math.random;
  const breaker = sharedBreaker(
    circuitBreaker(
      handleWhen((e) => e instanceof LlmCallError && isTransientFailure(e.failure)),
      { halfOpenAfter: config.halfOpenAfterMs, breaker: new ConsecutiveBreaker(config.breakAfter) },
    ),
    { board: deps.board, name: 'llm', target: deps.client.target, halfOpenAfterMs: config.halfOpenAfterMs, warn: deps.warn },
  );
  const said = new Set<string>();
  const closing = new AbortController();
  const pending = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };
  const once = (key: string, message: string) => {
    if (said.has(key)) return;
    said.add(key);
    deps.warn(message);
  };

  /** Why no call may be made now (budget spent), or undefined. */
  const overBudget = async (runId: string): Promise<string | undefined> => {
    let spent;
    try {
      spent = await deps.ledger.spent(runId);
    } catch (error) {
      return `the LLM spending could not be read, so no call is made (${describeError(error)})`;
    }
    if (spent.run >= config.budgetUsd) return `the LLM budget of this run is spent ($${spent.run.toFixed(4)} of llm.budgetUsd $${config.budgetUsd}): no more calls in this run`;
    if (spent.day >= config.dailyBudgetUsd) return `the LLM budget of today is spent ($${spent.day.toFixed(4)} of llm.dailyBudgetUsd $${config.dailyBudgetUsd}): no more calls today`;
    return undefined;
  };

  /** One call through the breaker; a call that was made is always added to the ledger. */
  const call = async (request: ChatRequest): Promise<{ reply?: ChatReply; error?: unknown; ms: number; cost: number; broken?: string }> => {
    const started = performance.now();
    try {
      const reply = await breaker.execute(() => deps.client.chat(request));
      return { reply, ms: performance.now() - started, cost: costOf(reply.usage, config.prices[request.model]) };
    } catch (error) {
      if (error instanceof BrokenCircuitError) return { error, ms: 0, cost: 0, broken: describeError(error) };
      return { error, ms: performance.now() - started, cost: 0 };
    }
  };

  const record = async (runId: string, entry: LlmCall, calls: LlmCall[]) => {
    calls.push(entry);
    await deps.ledger.add(runId, entry).catch((error: unknown) => once('ledger', `medic: an LLM call could not be counted toward the budget: ${describeError(error)}`));
  };

  /** Runs `ask` with each model in the selected order until one answers usably. */
  const escalate = async <T>(
    runId: string,
    deadline: number | undefined,
    task: LlmCall['task'],
    complexity: Complexity | undefined,
    ask: (model: string) => { request: ChatRequest; judge: (text: string) => { ok: true; value: T; answer: LlmCall['answer'] } | { ok: false; answer: LlmCall['answer']; error: string } },
  ): Promise<{ ok: true; value: T; model: string; calls: LlmCall[] } | { ok: false; reason: string; skipped: boolean; calls: LlmCall[] }> => {
    const calls: LlmCall[] = [];
    const order = orderModels(config.models, deps.executions(), task, complexity, { prices: config.prices, random });
    const failures: string[] = [];
    for (const { model } of order) {
      const budget = await overBudget(runId);
      if (budget) {
        once('budget', `medic: ${budget}.`);
        return { ok: false, reason: budget, skipped: calls.length === 0, calls };
      }
      const left = deadline === undefined ? config.timeoutMs : deadline - Date.now();
      if (deadline !== undefined && left < MIN_CALL_MS) {
        return { ok: false, reason: `no time left in the test for ${calls.length ? 'another' : 'an'} LLM call`, skipped: calls.length === 0, calls };
      }
      const { request, judge } = ask(model);
      const made = await call({ ...request, timeoutMs: Math.min(config.timeoutMs, left), signal: closing.signal });
      if (made.broken) {
        once('breaker', `medic: the LLM endpoint is not called: ${made.broken}.`);
        return { ok: false, reason: `the LLM endpoint's breaker is open: ${made.broken}`, skipped: calls.length === 0, calls };
      }
      const usage = usageOf(made.reply);
      const base = { model, task, durationMs: made.ms, costUsd: made.cost, ...usage };
      if (!made.reply) {
        const error = describeError(made.error);
        await record(runId, { ...base, answer: 'error', error: error.slice(0, 500) }, calls);
        failures.push(`${model}: ${error}`);
        if (made.error instanceof LlmCallError && made.error.failure === 'auth') break; // the key is wrong for every model
        continue;
      }
      const judged = judge(made.reply.text);
      if (!judged.ok) {
        await record(runId, { ...base, answer: judged.answer, error: judged.error.slice(0, 500) }, calls);
        failures.push(`${model}: ${judged.error}`);
        continue;
      }
      await record(runId, { ...base, answer: judged.answer }, calls);
      return { ok: true, value: judged.value, model, calls };
    }
    return { ok: false, reason: `no model answered usably (${failures.join('; ') || 'none configured'})`, skipped: false, calls };
  };

  /** A repair the worker waits for before it closes the store under it. */
  const tracked = <T>(work: Promise<T>): Promise<T> => {
    track(work.catch(() => undefined));
    return work;
  };

  const repair = async (input: RepairRequest): Promise<RepairOutcome> => {
    const { messages, shown } = repairMessages({ fingerprint: input.fingerprint, step: input.step, locator: input.locator, candidates: input.candidates }, { maxCandidates: config.maxCandidates });
    if (shown.length === 0) return { kind: 'failed', reason: 'no candidate to show the model', calls: [] };
    const key = memoKey({ old: compactElement(input.fingerprint), shown: shown.map(compactElement) });
    // The checks a pick must pass: the element's hard attributes, and the ranker's support.
    const support = candidateProbabilities(input.fingerprint, shown, input.model ?? DEFAULT_MODEL);
    const refuse = (index: number): { answer: 'contradicted' | 'unsupported'; error: string } | undefined => {
      const against = contradiction(input.fingerprint, shown[index]!);
      if (against) return { answer: 'contradicted', error: against };
      if (support[index]! < config.minSupport) {
        return { answer: 'unsupported', error: `the ranker gives candidate ${index} a probability of ${support[index]!.toFixed(2)}, below llm.minSupport ${config.minSupport}` };
      }
      return undefined;
    };
    const toOutcome = (decision: Decision, calls: LlmCall[], cached: boolean): RepairOutcome =>
      decision.index === null
        ? { kind: 'none', model: decision.model, reason: decision.reason, calls, cached }
        : { kind: 'pick', candidate: shown[decision.index]!, model: decision.model, reason: decision.reason, confidence: repairConfidence(decision.model, deps.executions()), calls, cached };
    const known = await deps.decisions.get(key).catch(() => undefined);
    if (known && (known.index === null || (known.index < shown.length && !refuse(known.index)))) return toOutcome(known, [], true);
    const asked = await escalate(input.runId, input.deadline, 'llm_repair', input.complexity, (model) => ({
      request: { model, messages, schema: REPAIR_SCHEMA, maxTokens: 300 },
      judge: (text) => {
        const parsed = parseRepairAnswer(text, shown.length);
        if (!parsed.ok) return { ok: false, answer: 'malformed', error: parsed.error };
        const refused = parsed.index === null ? undefined : refuse(parsed.index);
        if (refused) return { ok: false, ...refused };
        return { ok: true, value: { index: parsed.index, reason: parsed.reason, model }, answer: parsed.index === null ? 'none' : 'pick' };
      },
    }));
    if (!asked.ok) return { kind: asked.skipped ? 'skipped' : 'failed', reason: asked.reason, calls: asked.calls };
    // Not awaited by the step (the store's lock may wait); the worker flushes it before it closes.
    track(deps.decisions.put(key, asked.value).catch((error: unknown) => once('cache', `medic: an LLM decision was not cached: ${describeError(error)}`)));
    return toOutcome(asked.value, asked.calls, false);
  };

  const summarize = async (pattern: FailurePattern, runId: string, knownFixes: string[] = []): Promise<SummaryOutcome> => {
    for (const model of config.models) {
      const kept = await deps.summaries.get(`${pattern.id}\u0000${model}`).catch(() => undefined);
      if (kept) return { kind: 'summary', summary: kept, calls: [], cached: true };
    }
    const messages = summaryMessages({ ...pattern, knownFixes });
    const asked = await escalate(runId, undefined, 'llm_summary', undefined, (model) => ({
      request: { model, messages, schema: SUMMARY_SCHEMA, maxTokens: 400 },
      judge: (text) => {
        const parsed = parseSummaryAnswer(text);
        if (!parsed.ok) return { ok: false, answer: 'malformed', error: parsed.error };
        const summary: FailureSummary = { patternId: pattern.id, model, hypothesis: parsed.hypothesis, suggestedFix: parsed.suggestedFix, at: new Date().toISOString() };
        return { ok: true, value: summary, answer: 'summary' };
      },
    }));
    if (!asked.ok) return { kind: asked.skipped ? 'skipped' : 'failed', reason: asked.reason, calls: asked.calls };
    await deps.summaries.put(`${pattern.id}\u0000${asked.model}`, asked.value).catch((error: unknown) => once('cache', `medic: an LLM summary was not kept: ${describeError(error)}`));
    return { kind: 'summary', summary: asked.value, calls: asked.calls, cached: false };
  };

  /** Waits for the cache writes still under way and the breaker's last publication. */
  const flush = async () => {
    while (pending.size) await Promise.all([...pending]);
    await breaker.flush();
  };
  /** Cancels the calls still under way (the worker is closing), then flushes. */
  const close = async () => {
    closing.abort();
    await flush();
  };
  return { repair: (input: RepairRequest) => tracked(repair(input)), summarize, flush, close };
}

export type Llm = ReturnType<typeof createLlm>;
