// The LLM layer (src/llm) on benchmark cases the ranker abstains on, through the real plumbing:
// `createLlm` with the `openai` SDK client against a local Chat Completions server in this
// process (test/helpers/openaiServer.ts), whose answers are scripted from the case's ground truth.
import { defineMedicConfig } from '../src/config/index.js';
import type { Fingerprint } from '../src/healing/fingerprint.js';
import { DEFAULT_MODEL, type RankerModel } from '../src/healing/model.js';
import { topCandidates } from '../src/healing/rank.js';
import { createLlm, type RepairOutcome } from '../src/llm/llm.js';
import { memoryMemo } from '../src/llm/memo.js';
import { openaiClient } from '../src/llm/openaiClient.js';
import { compactElement } from '../src/llm/repairPrompt.js';
import { seededRandom } from '../src/llm/select.js';
import { memoryLedger } from '../src/llm/spend.js';
import { shownCandidates, startLlmServer, type ChatCompletionsRequest, type Scripted } from '../test/helpers/openaiServer.js';
import type { CaseResult } from './evaluate.js';
import type { BenchCase } from './load.js';

/**
 * How the scripted server answers: `oracle` names the shown candidate that is the right element
 * (null when it is not shown); `wrong` names a shown candidate that is neither the right element
 * nor its accepted parent/child, the most like the old element by tag and type first (a plausible
 * wrong pick), null only when there is no other; `random-wrong` names any such candidate, drawn
 * at random (seeded by the case, so every run draws alike).
 */
export const LLM_MODES = ['oracle', 'wrong', 'random-wrong'] as const;
export type LlmMode = (typeof LLM_MODES)[number];

/** The one model the bench configures (no price: free, so the budget never stops the run). */
export const BENCH_MODEL = 'bench-model';

/** What the LLM layer did on one case the ranker abstained on. */
export type LlmCaseResult = {
  id: string;
  app: string;
  /** Candidates the server was shown (0 when no call was made). */
  shown: number;
  /** Whether the right element was among them (top-K recall). */
  recalled: boolean;
  /** Whether another shown candidate looks exactly like it (the server cannot tell them apart). */
  ambiguous: boolean;
  outcome: RepairOutcome['kind'];
  cached: boolean;
  /** The candidate the layer healed to (outcome `pick`). */
  pick: number | undefined;
  strict: boolean;
  lenient: boolean;
  /** Why the validation threw the server's answer out, if it did. */
  rejected: 'contradicted' | 'unsupported' | 'malformed' | undefined;
  /** The old element and the server's pick as the server saw them (compact JSON), for the analysis of wrong heals. */
  old: Record<string, unknown>;
  answered: Record<string, unknown> | undefined;
  /** Its position among the shown (0: the ranker's best). */
  answeredAt: number | undefined;
};

const key = (compact: Record<string, unknown>) => JSON.stringify(compact);

/** Of the shown candidates (compact JSON) not in `exclude`, the one most like `old` by tag, then input type; earlier first. */
export function plausibleWrong(old: Record<string, unknown>, shown: readonly Record<string, unknown>[], exclude: ReadonlySet<string>): number | undefined {
  const likeness = (c: Record<string, unknown>) => (c.tag === old.tag ? 2 + (c.type === old.type ? 1 : 0) : 0);
  let best: number | undefined;
  shown.forEach((c, i) => {
    if (exclude.has(key(c))) return;
    if (best === undefined || likeness(c) > likeness(shown[best]!)) best = i;
  });
  return best;
}

/** A shown candidate that is neither the right element nor its accepted parent/child, drawn by a hash of the case. */
function randomWrong(now: Current, shown: readonly Record<string, unknown>[]): number | undefined {
  const others = shown.map((c, i) => (now.accepted.has(key(c)) || key(c) === now.right ? -1 : i)).filter((i) => i >= 0);
  if (others.length === 0) return undefined;
  const seed = seededRandom([...now.right].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7));
  return others[Math.floor(seed() * others.length)];
}

type Current = { old: Record<string, unknown>; right: string; accepted: Set<string>; seen?: { shown: number; recalled: boolean; ambiguous: boolean; answered?: Record<string, unknown>; answeredAt?: number } };

/** The scripted model: reads the shown candidates off the request and answers from the current case's ground truth. */
function script(mode: LlmMode, current: () => Current): (request: ChatCompletionsRequest) => Scripted {
  return (request) => {
    const now = current();
    const shown = shownCandidates(request);
    const at = shown.findIndex((c) => key(c) === now.right);
    const ambiguous = shown.filter((c) => key(c) === now.right).length > 1;
    const index = mode === 'oracle' ? (at >= 0 ? at : undefined) : mode === 'wrong' ? plausibleWrong(now.old, shown, now.accepted) : randomWrong(now, shown);
    now.seen = { shown: shown.length, recalled: at >= 0, ambiguous, ...(index !== undefined ? { answered: shown[index]!, answeredAt: index } : {}) };
    return { json: { index: index ?? null, reason: index === undefined ? 'none of these is the element' : `candidate ${index} is the same widget` } };
  };
}

const locatorOf = (fp: Fingerprint) => (fp.xpath ? `page.locator('xpath=${fp.xpath}')` : 'page.locator(…)');

/**
 * Asks the LLM layer, as the fixture does (src/browser/llmHeal.ts: the ranker's top
 * `llm.maxCandidates` candidates, then `repair`), on every case `ranked` says the ranker
 * abstained on. One server and one layer (one decision cache) per call.
 * @example const llm = await askOnAbstained(cases, runMedic(cases, DEFAULT_MODEL), 'oracle');
 */
export async function askOnAbstained(
  cases: readonly BenchCase[],
  ranked: readonly CaseResult[],
  mode: LlmMode,
  options: { modelOf?: (c: BenchCase) => RankerModel; minSupport?: number } = {},
): Promise<LlmCaseResult[]> {
  let current: Current | undefined;
  const server = await startLlmServer(script(mode, () => current!));
  const warnings: string[] = [];
  try {
    const config = { ...defineMedicConfig({ llm: { baseURL: server.baseURL, models: [BENCH_MODEL] } }, {}).llm!, budgetUsd: 1e9, dailyBudgetUsd: 1e9, ...(options.minSupport === undefined ? {} : { minSupport: options.minSupport }) };
    const llm = createLlm(config, {
      client: openaiClient({ baseURL: server.baseURL, apiKey: '', timeoutMs: config.timeoutMs, structured: config.structured }),
      ledger: memoryLedger(),
      decisions: memoryMemo(),
      summaries: memoryMemo(),
      executions: () => [],
      warn: (m) => warnings.push(m),
    });
    const abstained = new Set(ranked.filter((r) => !r.heal).map((r) => r.id));
    const out: LlmCaseResult[] = [];
    for (const c of cases) {
      if (!abstained.has(c.id)) continue;
      const old = compactElement(c.target);
      current = { old, right: key(compactElement(c.candidates[c.expected]!)), accepted: new Set(c.accept.map((i) => key(compactElement(c.candidates[i]!)))) };
      const model = options.modelOf?.(c) ?? DEFAULT_MODEL;
      const candidates = topCandidates(c.target, c.candidates, config.maxCandidates, model);
      const outcome = await llm.repair({ fingerprint: c.target, model, step: 'click', locator: locatorOf(c.target), candidates, complexity: 'simple', runId: 'bench' });
      const pick = outcome.kind === 'pick' ? outcome.candidate.index : undefined;
      const last = outcome.calls.at(-1)?.answer;
      const seen = current.seen;
      out.push({
        id: c.id,
        app: c.app,
        shown: seen?.shown ?? 0,
        recalled: seen?.recalled ?? false,
        ambiguous: seen?.ambiguous ?? false,
        outcome: outcome.kind,
        cached: 'cached' in outcome && outcome.cached,
        pick,
        strict: pick === c.expected,
        lenient: pick !== undefined && c.accept.includes(pick),
        rejected: last === 'contradicted' || last === 'unsupported' || last === 'malformed' ? last : undefined,
        old,
        answered: seen?.answered,
        answeredAt: seen?.answeredAt,
      });
    }
    if (warnings.length) throw new Error(`the LLM layer warned during the bench: ${warnings.join('; ')}`);
    return out;
  } finally {
    await server.close();
  }
}

/** The ranker's results with the LLM layer's heals on the cases it abstained on (for `summarize`). */
export function withLlm(ranked: readonly CaseResult[], llm: readonly LlmCaseResult[]): CaseResult[] {
  const byId = new Map(llm.map((r) => [r.id, r]));
  return ranked.map((r) => {
    const asked = byId.get(r.id);
    if (r.heal || asked?.pick === undefined) return r;
    return { ...r, pick: asked.pick, heal: true, strict: asked.strict, lenient: asked.lenient };
  });
}

/** Counts of the LLM layer's work on the abstained cases. */
export function summarizeLlm(results: readonly LlmCaseResult[]) {
  const heals = results.filter((r) => r.outcome === 'pick');
  const count = (p: (r: LlmCaseResult) => boolean) => results.filter(p).length;
  return {
    abstained: results.length,
    recalled: count((r) => r.recalled),
    ambiguous: count((r) => r.ambiguous),
    cached: count((r) => r.cached),
    heals: heals.length,
    correct: heals.filter((r) => r.strict).length,
    wrong: heals.filter((r) => !r.strict).length,
    wrongLenient: heals.filter((r) => !r.lenient).length,
    none: count((r) => r.outcome === 'none'),
    contradicted: count((r) => r.rejected === 'contradicted'),
    unsupported: count((r) => r.rejected === 'unsupported'),
    malformed: count((r) => r.rejected === 'malformed'),
    /** Failed or skipped for another reason (server error, budget, breaker): expected 0. */
    otherFailures: count((r) => (r.outcome === 'failed' || r.outcome === 'skipped') && r.rejected === undefined),
    /** Right heals over the abstained cases. */
    accuracy: results.length ? heals.filter((r) => r.strict).length / results.length : 0,
  };
}
export type LlmSummary = ReturnType<typeof summarizeLlm>;
