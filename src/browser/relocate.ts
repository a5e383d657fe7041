import type { ElementHandle, Locator, Page } from '@playwright/test';
import { CANDIDATES_KEY } from '../healing/capture.js';
import type { Candidate, Fingerprint } from '../healing/fingerprint.js';
import { rankCandidates, type RankOptions } from '../healing/rank.js';
import { candidateElement, captureFingerprint, captureShortlist } from './capture.js';

/**
 * Relocates a fingerprint in a page (or only among the descendants of `inside`): the page's
 * shortlist of candidates is ranked, and the element of the best comes back when the ranker heals.
 * @example const { rank, element } = await relocate(page, stored, {});
 */
export async function relocate(page: Page, fingerprint: Fingerprint, rankOptions: RankOptions, inside?: ElementHandle<Node>) {
  let candidates: Candidate[] = await captureShortlist(page, fingerprint);
  if (inside) {
    const keep = new Set(
      await inside.evaluate(
        (scope, [key, indices]) => {
          const list = (window.top as unknown as Record<string, Element[] | undefined>)[key] ?? [];
          return indices.filter((i) => list[i] !== undefined && list[i] !== scope && scope.contains(list[i]!));
        },
        [CANDIDATES_KEY, candidates.map((c) => c.index)] as [string, number[]],
      ),
    );
    candidates = candidates.filter((c) => keep.has(c.index));
  }
  const rank = rankCandidates(fingerprint, candidates, rankOptions);
  const element = rank.decision === 'heal' ? await candidateElement(page, rank.best!.index) : undefined;
  return { rank, element, candidate: rank.best ? candidates.find((c) => c.index === rank.best!.index) : undefined, candidates };
}

/**
 * Strict mode's heal: ranks only the elements `locator` matches (the first 50) against the
 * fingerprint of the one it used to find, and returns the best one's element when the ranker heals.
 * @example const { rank, element } = await disambiguate(page.getByLabel('Email'), stored, {});
 */
export async function disambiguate(locator: Locator, fingerprint: Fingerprint, rankOptions: RankOptions) {
  const count = Math.min(await locator.count(), 50);
  const candidates: Candidate[] = [];
  for (let i = 0; i < count; i++) candidates.push({ ...(await captureFingerprint(locator.nth(i))), index: i });
  const rank = rankCandidates(fingerprint, candidates, rankOptions);
  const element = rank.decision === 'heal' ? await locator.nth(rank.best!.index).elementHandle() : undefined;
  return { rank, element: element ?? undefined, candidate: rank.best ? candidates[rank.best.index] : undefined };
}
