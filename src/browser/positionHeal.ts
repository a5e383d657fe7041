import type { Locator, Page } from '@playwright/test';
import type { Candidate, Fingerprint } from '../healing/fingerprint.js';
import { pickFromList, type ListPick } from '../healing/listPick.js';
import type { RankOptions } from '../healing/rank.js';
import { candidateElement, matchedCandidates } from './capture.js';
import { chooseLocator } from './chooseLocator.js';
import type { Position } from './positionDrift.js';

export type PositionHeal =
  | { ok: true; locator: Locator; code: string; pick: ListPick }
  | { ok: false; reason: string; pick: ListPick };

/**
 * Heals a locator that picks by position (`.first()`, `.nth(k)`) whose list is gone, when the
 * ranker abstained only between the element's alike siblings: `pickFromList` says whether the
 * element is one of them at its position, and the healed locator is a list locator with the
 * same position (`getByRole('button', { name: 'Remove' }).first()`), the first in Playwright's
 * order of preference that finds exactly those siblings, in the top frame.
 * @example const healed = await healByPosition(page, stored, candidates, { list: '#cart button.remove', nth: 0 }, {});
 */
export async function healByPosition(
  page: Page,
  fingerprint: Fingerprint,
  candidates: readonly Candidate[],
  position: Position,
  options: RankOptions & { testIdAttribute?: string },
): Promise<PositionHeal> {
  const { testIdAttribute, ...rankOptions } = options;
  const pick = pickFromList(fingerprint, candidates, position.nth, rankOptions);
  if (pick.decision !== 'heal' || !pick.best) return { ok: false, reason: pick.reason, pick };
  const element = await candidateElement(page, pick.best.index);
  const members = new Set(pick.members.map((m) => m.index));
  const byIndex = new Map(candidates.map((c) => [c.index, c]));
  // The list locator must find exactly the alike siblings, nothing more, nothing less.
  const accept = async (list: Locator) => {
    const found = await matchedCandidates(list, byIndex);
    return found.length === members.size && found.every((c) => c !== undefined && members.has(c.index));
  };
  try {
    const choice = await chooseLocator(page, element, {
      fingerprint: pick.best,
      rest: `nth=${position.nth}`,
      accept,
      ...(testIdAttribute ? { testIdAttribute } : {}),
    });
    if (!choice.ok) return { ok: false, reason: `abstained: no locator finds exactly the ${members.size} alike candidates with this one at position ${position.nth}`, pick };
    if (choice.frames.length > 0) return { ok: false, reason: 'abstained: a list in an iframe is not healed by position', pick };
    return { ok: true, locator: choice.locator, code: choice.code, pick };
  } finally {
    await element.dispose().catch(() => undefined);
  }
}
