import type { ElementHandle, Page } from '@playwright/test';
import type { RankResult } from '../healing/rank.js';
import type { Kin } from '../learning/workerCatalog.js';
import { candidateElement } from './capture.js';

/**
 * The least confidence the ranker must still give its best candidate for a related element to
 * confirm it: the best must be more likely than not, and ahead of the runner-up.
 */
export const KIN_FLOOR = 0.5;

/**
 * A relocation that abstained, confirmed by a related element: the catalog knows a fix on this
 * page for the element's direct child or parent (a link and its badge), that fix finds one
 * element, and it is the ranker's best candidate's child or parent in the same way. Two
 * findings that do not depend on each other agree, so the best candidate is healed to.
 * @returns the best candidate's element and the kin that confirmed it (the caller disposes the
 * handle), or undefined
 */
export async function confirmByKin(page: Page, rank: RankResult, kin: readonly Kin[]): Promise<{ element: ElementHandle<Element>; kin: Kin } | undefined> {
  if (!rank.best || rank.confidence < KIN_FLOOR || rank.margin <= 0 || kin.length === 0) return undefined;
  const best = await candidateElement(page, rank.best.index);
  let confirmed: Kin | undefined;
  try {
    for (const k of kin) {
      const fixed = page.locator(k.fix.selector);
      if ((await fixed.count()) !== 1) continue;
      const related = await fixed.evaluate(
        (el, [other, relation]) => (relation === 'child' ? el.parentElement === other : other.parentElement === el),
        [best, k.relation] as const,
      );
      if (related) {
        confirmed = k;
        return { element: best, kin: k };
      }
    }
    return undefined;
  } finally {
    if (!confirmed) await best.dispose().catch(() => undefined);
  }
}
