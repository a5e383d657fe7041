import type { Locator, Page } from '@playwright/test';
import type { Fingerprint } from '../healing/fingerprint.js';
import { jsString } from '../healing/locatorProposals.js';
import type { RankResult } from '../healing/rank.js';
import type { SetRelocation, SetRelocationOptions } from '../healing/setRelocation.js';
import type { LocatorRef } from '../learning/catalog.js';
import type { WorkerCatalog } from '../learning/workerCatalog.js';
import { selectorOf, type LocatorStep } from './locatorHooks.js';
import { healSet } from './setHeal.js';

/**
 * Assertions about a list (`toHaveCount`, array `toHaveText` / `toContainText`): they heal as a
 * set, never onto one element (which would make a count pass wrongly).
 */
export function isListStep(step: LocatorStep): boolean {
  return step.kind === 'expect' && (step.expression === 'to.have.count' || step.expression.endsWith('.array'));
}

/**
 * A Playwright selector split into its ` >> ` parts, quotes respected.
 * @example splitSelector('internal:testid=[data-testid="a >> b"s] >> nth=0') // ['internal:testid=[data-testid="a >> b"s]', 'nth=0']
 */
export function splitSelector(selector: string): string[] {
  const parts: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (selector.startsWith(' >> ', i)) {
      parts.push(selector.slice(start, i));
      start = i + 4;
      i += 3;
    }
  }
  parts.push(selector.slice(start));
  return parts;
}

/** Which recorded set a failing locator stands on: itself (a list step) or the first links of its chain. */
export type SetPlan = { base: LocatorRef; rest?: string; members: Fingerprint[] };

/**
 * The set a step can heal from, if the catalog knows one: for a list step its own sampled
 * members (and its single fingerprint, when it once found one); for any step whose locator is
 * a chain (`cards.first()`, `rows.filter(…).locator(…)`), the longest leading part recorded as a set.
 * @example setPlan(catalog, '/products', ref(cards.first()), false)?.rest // 'nth=0'
 */
export function setPlan(catalog: WorkerCatalog, key: string, from: LocatorRef, list: boolean): SetPlan | undefined {
  if (list) {
    const fingerprint = catalog.fingerprint(key, from.selector);
    const members = [...(catalog.set(key, from.selector)?.members ?? []), ...(fingerprint ? [fingerprint] : [])];
    if (members.length) return { base: from, members };
  }
  const parts = splitSelector(from.selector);
  for (let n = parts.length - 1; n >= 1; n--) {
    const selector = parts.slice(0, n).join(' >> ');
    const record = catalog.record(key, selector);
    if (record?.set) return { base: { selector, code: record.code }, rest: parts.slice(n).join(' >> '), members: record.set.members };
  }
  return undefined;
}

/** A set relocation as the heal report reads a rank: the members' joint confidence and their mean explanation. */
function asRank(relocation: SetRelocation | undefined, reason: string): RankResult {
  const explanation = relocation?.explanation ?? [];
  return {
    decision: relocation?.decision ?? 'abstain',
    confidence: relocation?.confidence ?? 0,
    margin: relocation?.margin ?? 0,
    reason,
    ranked: [],
    ...(explanation.length ? { best: { index: -1, score: 0, contributions: explanation } } : {}),
  };
}

export type SetHeal = { ok: true; target: Locator; to: LocatorRef; rank: RankResult } | { ok: false; rank: RankResult };

/**
 * Heals a step from its set plan: relocates the set (`healSet`), then applies the rest of the
 * chain to the healed set (so `nth(i)` means the i-th of the healed set). A single-element step
 * must find exactly one element on it.
 * @example const healed = await healFromSet(page, plan, from, step); if (healed.ok) await step.run(healed.target);
 */
export async function healFromSet(page: Page, plan: SetPlan, from: LocatorRef, step: LocatorStep, options: SetRelocationOptions = {}): Promise<SetHeal> {
  const choice = await healSet(page, plan.members, options);
  if (!choice.ok) return { ok: false, rank: asRank(choice.relocation, choice.reason) };
  const reason = `healed as a set: ${choice.relocation.reason}; ${choice.proposal.basis}`;
  if (!plan.rest) return { ok: true, target: choice.locator, to: { selector: selectorOf(choice.locator), code: choice.code }, rank: asRank(choice.relocation, reason) };
  const selector = `${selectorOf(choice.locator)} >> ${plan.rest}`;
  const target = page.locator(selector);
  const code = from.code.startsWith(plan.base.code) ? `${choice.code}${from.code.slice(plan.base.code.length)}` : `page.locator(${jsString(selector)})`;
  if (!isListStep(step)) {
    const count = await target.count();
    if (count !== 1) return { ok: false, rank: asRank(choice.relocation, `abstained: ${code} finds ${count} elements on the healed set ${choice.code}`) };
  }
  return { ok: true, target, to: { selector, code }, rank: asRank(choice.relocation, reason) };
}
