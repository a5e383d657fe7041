import type { ElementHandle, Page } from '@playwright/test';
import type { Candidate, Fingerprint } from '../healing/fingerprint.js';
import { topCandidates, type RankResult } from '../healing/rank.js';
import { complexityOf, type Complexity } from '../learning/strategies.js';
import type { RepairOutcome, RepairRequest } from '../llm/llm.js';
import { describeError } from '../errors.js';
import { candidateElement } from './capture.js';
import { chooseLocator } from './chooseLocator.js';
import { selectorOf, unhooked, type WaitingStep } from './locatorHooks.js';
import type { Failure, HealBase, Outcome, StepKit } from './stepKit.js';

/** What the step handler needs of the LLM layer (src/llm): opened on first use, undefined when off. */
export type LlmHealOptions = {
  repairer: () => Promise<{ repair(request: RepairRequest): Promise<RepairOutcome> } | undefined>;
  /** The run the calls count toward (the budget is per run). */
  runId: string;
  /** How many of the ranker's best candidates the model is shown. */
  maxCandidates: number;
  /** Whether its heals wait for a human: not reused as known fixes until accepted in `medic review`. */
  review: boolean;
};

/**
 * Asks the LLM layer which of the page's best candidates the stored element is, after the
 * ranker abstained; the element of its pick (checked by src/llm against the element's hard
 * attributes) comes back for the usual locator choice. Undefined when the layer is off.
 * @example const asked = await askLlm(page, options, { fingerprint, candidates, step: 'click', locator: code, complexity: 'simple' });
 */
export async function askLlm(
  page: Page,
  options: LlmHealOptions,
  input: { fingerprint: Fingerprint; candidates: readonly Candidate[]; step: string; locator: string; complexity: Complexity; remainingMs?: number | undefined },
): Promise<{ outcome: RepairOutcome; element?: ElementHandle<Element>; lost?: string } | undefined> {
  const repairer = await options.repairer();
  if (!repairer || input.candidates.length === 0) return undefined;
  const candidates = topCandidates(input.fingerprint, input.candidates, options.maxCandidates);
  // The model's answer is no use once the test has no time left to re-run the step on it.
  const deadline = input.remainingMs === undefined ? undefined : Date.now() + input.remainingMs - STEP_RESERVE_MS;
  const request = { fingerprint: input.fingerprint, step: input.step, locator: input.locator, candidates, complexity: input.complexity, runId: options.runId };
  const outcome = await repairer.repair(deadline === undefined ? request : { ...request, deadline });
  if (outcome.kind !== 'pick') return { outcome };
  // The calls were made (and paid for) even when the page moved on meanwhile: the outcome stays.
  try {
    return { outcome, element: await candidateElement(page, outcome.candidate.index) };
  } catch (error) {
    return { outcome, lost: `the picked element is gone from the page (${describeError(error)})` };
  }
}

/** What a test keeps for re-running the healed step after the model answers (ms). */
export const STEP_RESERVE_MS = 3_000;

/** What the step handler's relocation found when the ranker abstained. */
export type AbstainedSearch = { rank: RankResult; candidates?: Candidate[] | undefined };

/**
 * The step handler's last resort when the ranker abstained: the LLM layer, when configured, is
 * shown the best candidates and may pick one (checked in src/llm); its heal carries the model's
 * reason and the confidence the tracker learned for that model's repairs. Otherwise (or when it
 * says none) the abstention is reported.
 * @example const askModel = createModelHeal(kit, guarded); return askModel(page, step, failure, base, found, started);
 */
export function createModelHeal(kit: StepKit, guarded: <T>(page: Page, failure: Failure, search: () => Promise<T>) => Promise<T | undefined>) {
  const { options, catalog, report, apply } = kit;
  return async (page: Page, step: WaitingStep, failure: Failure, base: HealBase, found: AbstainedSearch, started: number): Promise<Outcome | undefined> => {
    const { rank, candidates } = found;
    const fingerprint = catalog.fingerprint(base.pageKey, base.from.selector);
    const asked =
      options.llm && base.strategy === 'relocate' && fingerprint && candidates
        ? await guarded(page, failure, () =>
            unhooked(() =>
              askLlm(page, options.llm!, { fingerprint, candidates, step: base.step, locator: base.from.code, complexity: complexityOf(base.from.selector, 'relocate'), remainingMs: options.remainingMs?.() }),
            ),
          ).catch((error: unknown) => ({ outcome: { kind: 'failed' as const, reason: describeError(error), calls: [] }, element: undefined, lost: undefined }))
        : undefined;
    const outcome = asked?.outcome;
    const llm = outcome && (outcome.calls.length || outcome.kind === 'pick' || outcome.kind === 'none')
      ? { ...('model' in outcome ? { model: outcome.model } : {}), cached: 'cached' in outcome && outcome.cached, calls: outcome.calls }
      : undefined;
    const said = outcome
      ? `; the LLM layer: ${outcome.kind === 'pick' ? `${outcome.model} picked a candidate${asked?.lost ? `, but ${asked.lost}` : ''}` : outcome.kind === 'none' ? `${outcome.model} found none (${outcome.reason})` : outcome.reason}`
      : '';
    if (!asked?.element || outcome?.kind !== 'pick') {
      report(base, { outcome: 'abstained', rank, reason: `${rank.reason}${said}`, ...(llm ? { llm } : {}) }, started);
      return undefined;
    }
    const llmBase: HealBase = { ...base, strategy: 'llm' };
    const choice = await unhooked(() => chooseLocator(page, asked.element!, { testIdAttribute: options.testIdAttribute, fingerprint: outcome.candidate }));
    await asked.element.dispose().catch(() => undefined);
    // The explanation is the ranker's of the picked candidate (when it is among its best), not of its own best.
    const picked = rank.ranked.find((r) => r.index === outcome.candidate.index) ?? { index: outcome.candidate.index, score: 0, contributions: [] };
    const llmRank: RankResult = { ...rank, decision: 'heal', best: picked, confidence: outcome.confidence, margin: 0, reason: `${outcome.model}: ${outcome.reason}` };
    if (!choice.ok) {
      report(llmBase, { outcome: 'abstained', rank: llmRank, reason: `abstained: ${choice.reason}`, ...(llm ? { llm } : {}) }, started);
      return undefined;
    }
    const reason = `the ranker abstained (${rank.reason.replace(/^abstained: /, '')}); ${outcome.model} chose this candidate${outcome.cached ? ' (a cached decision)' : ''}: ${outcome.reason}`;
    return apply(step, failure, llmBase, choice.locator, { selector: selectorOf(choice.locator), code: choice.code }, started, llmRank, reason, llm);
  };
}
