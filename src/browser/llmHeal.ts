import type { ElementHandle, Page } from '@playwright/test';
import type { Candidate, Fingerprint } from '../healing/fingerprint.js';
import { topCandidates } from '../healing/rank.js';
import type { Complexity } from '../learning/strategies.js';
import type { RepairOutcome, RepairRequest } from '../llm/llm.js';
import { describeError } from '../errors.js';
import { candidateElement } from './capture.js';

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
