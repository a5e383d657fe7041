import type { ElementHandle, Locator, Page } from '@playwright/test';
import type { Fingerprint } from '../healing/fingerprint.js';
import type { RankOptions, RankResult } from '../healing/rank.js';
import { chainPrefixes, joinLinks, selectorLinks } from '../healing/selectorChain.js';
import { chooseLocator, type ChooseLocatorOptions } from './chooseLocator.js';
import { selectorOf } from './locatorHooks.js';
import { relocate } from './relocate.js';

/**
 * Healing a chain at its first broken link (DESIGN.md, "Lists and chains"): in
 * `card('Lamp').getByRole('button', { name: 'Add to cart' })` the card is found first — by its
 * own locator when that still works, else relocated by its own fingerprint — and the rest of
 * the chain runs inside it as written, or, when it no longer matches, the element is relocated
 * among the card's descendants only. Far more certain than a search of the whole page, where
 * every card has the same button.
 */

export type ChainHealDeps = {
  /** The fingerprint the catalog holds for a selector on this page. */
  fingerprint: (selector: string) => Fingerprint | undefined;
  rankOptions: RankOptions;
  testIdAttribute: string;
};

export type ChainHeal = {
  locator: Locator;
  code: string;
  /** The decisive ranking: the element's within the parent, else the parent's own. */
  rank?: RankResult;
  reason: string;
};

type Scope = { locator: Locator; code: string; prefix: string; rank?: RankResult; how: string };

/**
 * A locator for the relocated parent that keeps as many of the user's later links as still
 * find it (`getByTestId('product-tile').filter({ hasText: 'Lamp' })` for a broken
 * `getByTestId('product-card').filter({ hasText: 'Lamp' })`), else one of its own.
 */
async function chooseKeepingLinks(page: Page, element: ElementHandle<Node>, links: string[], options: ChooseLocatorOptions) {
  for (let from = 1; from < links.length; from++) {
    const choice = await chooseLocator(page, element, { ...options, rest: joinLinks(links.slice(from)) });
    if (choice.ok) return choice;
  }
  return chooseLocator(page, element, options);
}

/** The longest prefix that still finds one element, or one relocated by its fingerprint. */
async function findScope(page: Page, selector: string, deps: ChainHealDeps): Promise<Scope | undefined> {
  for (const prefix of chainPrefixes(selector)) {
    const own = page.locator(prefix);
    const count = await own.count();
    if (count === 1) return { locator: own, code: `page.${own.toString()}`, prefix, how: `its part ${own.toString()} still finds one element` };
    if (count > 1) continue;
    const fingerprint = deps.fingerprint(prefix);
    if (!fingerprint) continue;
    const { rank, element, candidate } = await relocate(page, fingerprint, deps.rankOptions);
    if (!element) continue;
    const choice = await chooseKeepingLinks(page, element, selectorLinks(prefix), { testIdAttribute: deps.testIdAttribute, ...(candidate ? { fingerprint: candidate } : {}) });
    await element.dispose().catch(() => undefined);
    if (!choice.ok) continue;
    return { locator: choice.locator, code: choice.code, prefix, rank, how: `its part ${own.toString()} was relocated to ${choice.code} (confidence ${rank.confidence.toFixed(2)})` };
  }
  return undefined;
}

/**
 * The chain healed at its first broken link, or undefined (not a chain, no parent found, or
 * nothing safe inside it).
 * @example const healed = await healChain(page, selectorOf(locator), deps);
 */
export async function healChain(page: Page, selector: string, deps: ChainHealDeps): Promise<ChainHeal | undefined> {
  const scope = await findScope(page, selector, deps);
  if (!scope) return undefined;
  const rest = joinLinks(selectorLinks(selector).slice(selectorLinks(scope.prefix).length));
  const kept = scope.locator.locator(rest);
  if (scope.rank && (await kept.count()) === 1) {
    const code = `page.${page.locator(selectorOf(kept)).toString()}`;
    return { locator: kept, code, rank: scope.rank, reason: `healed the chain at its broken link: ${scope.how}, and the rest of the chain finds one element inside it` };
  }
  const fingerprint = deps.fingerprint(selector);
  const parent = await scope.locator.elementHandle({ timeout: 1_000 }).catch(() => null);
  if (!fingerprint || !parent) return undefined;
  try {
    const { rank, element, candidate } = await relocate(page, fingerprint, deps.rankOptions, parent);
    if (!element) return undefined;
    const choice = await chooseLocator(page, element, {
      testIdAttribute: deps.testIdAttribute,
      within: { locator: scope.locator, code: scope.code },
      ...(candidate ? { fingerprint: candidate } : {}),
    });
    await element.dispose().catch(() => undefined);
    if (!choice.ok) return undefined;
    return { locator: choice.locator, code: choice.code, rank, reason: `healed the chain at its broken link: ${scope.how}, and the element was relocated inside it` };
  } finally {
    await parent.dispose().catch(() => undefined);
  }
}
