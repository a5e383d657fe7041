import type { Locator, Page } from '@playwright/test';
import type { Candidate, Fingerprint } from '../healing/fingerprint.js';
import {
  checkSetMatch,
  relocateSet,
  setProposalCode,
  type SetProposal,
  type SetRelocation,
  type SetRelocationOptions,
} from '../healing/setRelocation.js';
import { captureCandidates, matchedCandidates, SHORTLIST_SIZE } from './capture.js';

/** One set proposal that was tried and why it was not kept. */
export type TriedSetProposal = { code: string; count: number; problem: string };

export type SetChoice =
  | {
      ok: true;
      locator: Locator;
      code: string;
      proposal: SetProposal;
      relocation: Extract<SetRelocation, { decision: 'heal' }>;
      /** The page's candidates it was found among (their elements stay in the page for `candidateElement`). */
      candidates: Candidate[];
      tried: TriedSetProposal[];
    }
  | { ok: false; reason: string; relocation?: SetRelocation; tried: TriedSetProposal[] };

const toLocator = (page: Page, p: SetProposal) => (p.method === 'getByTestId' ? page.getByTestId(p.value) : page.locator(p.value));

/**
 * Heals a set: finds its sampled members again on the page (`relocateSet`), then keeps the
 * first set locator that matches every healed member and nothing unlike them (`checkSetMatch`).
 * How many elements the step expects plays no part, so a list that really lost an element
 * still fails its count.
 * @example
 * const choice = await healSet(page, record.set.members);
 * if (choice.ok) await expect(choice.locator).toHaveCount(12);
 */
export async function healSet(page: Page, members: readonly Fingerprint[], options: SetRelocationOptions = {}): Promise<SetChoice> {
  const captureOptions = options.testIdAttribute ? { testIdAttribute: options.testIdAttribute } : {};
  const candidates = await captureCandidates(page, captureOptions);
  const relocation = relocateSet(members, candidates, { keep: SHORTLIST_SIZE, ...options });
  const tried: TriedSetProposal[] = [];
  if (relocation.decision !== 'heal') return { ok: false, reason: relocation.reason, relocation, tried };
  const byIndex = new Map(candidates.map((c) => [c.index, c]));
  for (const proposal of relocation.proposals) {
    const locator = toLocator(page, proposal);
    const code = setProposalCode(proposal);
    let matched: (Candidate | undefined)[];
    try {
      matched = await matchedCandidates(locator, byIndex);
    } catch (error) {
      tried.push({ code, count: -1, problem: String((error as Error)?.message ?? error).split('\n')[0]! });
      continue;
    }
    const problem = checkSetMatch(relocation.shape, relocation.healed, matched);
    if (!problem) return { ok: true, locator, code, proposal, relocation, candidates, tried };
    tried.push({ code, count: matched.length, problem });
  }
  const last = tried.at(-1);
  return {
    ok: false,
    reason: `abstained: no locator finds exactly the set of the healed members (${tried.length} tried${last ? `; ${last.code} ${last.problem}` : ''})`,
    relocation,
    tried,
  };
}
