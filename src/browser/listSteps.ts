import type { Locator, Page } from '@playwright/test';
import { CANDIDATES_KEY } from '../healing/capture.js';
import type { Candidate, Fingerprint } from '../healing/fingerprint.js';
import { locatorProposals } from '../healing/locatorProposals.js';
import { rankCandidates, type RankResult } from '../healing/rank.js';
import { joinLinks, selectorLinks } from '../healing/selectorChain.js';
import type { SetRelocation, SetRelocationOptions } from '../healing/setRelocation.js';
import type { LocatorRef } from '../learning/catalog.js';
import type { WorkerCatalog } from '../learning/workerCatalog.js';
import { applyProposal } from './chooseLocator.js';
import { selectorOf, type LocatorStep } from './locatorHooks.js';
import { healSet } from './setHeal.js';

/**
 * Assertions about a list (`toHaveCount`, array `toHaveText` / `toContainText`): they heal as a
 * set, never onto one element (which would make a count pass wrongly).
 */
export function isListStep(step: LocatorStep): boolean {
  return step.kind === 'expect' && (step.expression === 'to.have.count' || step.expression.endsWith('.array'));
}

/** Which recorded set a failing locator stands on: itself (a list step) or the first links of its chain; `fingerprint`: the step's own element's. */
export type SetPlan = { base: LocatorRef; rest?: string; members: Fingerprint[]; fingerprint?: Fingerprint };

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
  const parts = selectorLinks(from.selector);
  const fingerprint = parts.length > 1 ? catalog.fingerprint(key, from.selector) : undefined;
  for (let n = parts.length - 1; n >= 1; n--) {
    const selector = joinLinks(parts.slice(0, n));
    const record = catalog.record(key, selector);
    if (record?.set) return { base: { selector, code: record.code }, rest: joinLinks(parts.slice(n)), members: record.set.members, ...(fingerprint ? { fingerprint } : {}) };
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

/** `known`: healed through the fix the catalog knows for the set, without relocating it. */
export type SetHeal = { ok: true; target: Locator; to: LocatorRef; rank: RankResult; known?: boolean } | { ok: false; rank: RankResult };

const fmt = (v: number) => v.toFixed(2);

/** The candidates (of the last capture) inside `container`, the container itself left out. */
async function inside(container: Locator, candidates: readonly Candidate[]): Promise<Candidate[]> {
  const indices = await container.evaluate((root, key) => {
    const list = (window.top as unknown as Record<string, Element[] | undefined>)[key] ?? [];
    const out: number[] = [];
    list.forEach((e, i) => {
      if (e !== root && root.contains(e)) out.push(i);
    });
    return out;
  }, CANDIDATES_KEY);
  const wanted = new Set(indices);
  return candidates.filter((c) => wanted.has(c.index));
}

/**
 * The last links of a chain broke too (`card('Lamp').getByRole('button', { name: 'Add to cart' })`
 * when the button now says "Add to bag"): the longest leading part that finds one element on the
 * healed set is the parent, and the step's own element is relocated among the parent's
 * descendants by its fingerprint, with the single heal's thresholds (DESIGN.md: a child found
 * inside a healed parent is verified like any other heal).
 */
async function healChild(page: Page, setBase: string, rest: string[], fingerprint: Fingerprint, candidates: readonly Candidate[], options: SetRelocationOptions): Promise<{ target: Locator; rank: RankResult } | string> {
  for (let n = rest.length - 1; n >= 0; n--) {
    const parent = page.locator([setBase, ...rest.slice(0, n)].join(' >> '));
    if ((await parent.count()) !== 1) continue;
    const { testIdAttribute, ...rankOptions } = options;
    const rank = rankCandidates(fingerprint, await inside(parent, candidates), rankOptions);
    const parentCode = `page.${parent.toString()}`;
    if (rank.decision !== 'heal') return `${rank.reason} (among the elements inside ${parentCode})`;
    const best = candidates.find((c) => c.index === rank.best!.index)!;
    for (const proposal of locatorProposals(best, testIdAttribute ? { testIdAttribute } : {})) {
      const target = applyProposal(parent, proposal);
      const same = await target
        .evaluateAll((els, [key, i]) => els.length === 1 && els[0] === (window.top as unknown as Record<string, Element[]>)[key]![i], [CANDIDATES_KEY, best.index] as const)
        .catch(() => false);
      if (same) return { target, rank: { ...rank, reason: `${rank.reason}, inside ${parentCode}` } };
    }
    return `abstained: no locator inside ${parentCode} is unique and finds the relocated element`;
  }
  return 'abstained: no leading part of the chain finds one element on the healed set';
}

/**
 * The set broke here before and the catalog knows its fix (`rows` → `page.locator('div.line')`):
 * the rest of the chain (`.first()`, `.filter({ hasText })`) applied to the fixed set, when it
 * finds what the step needs (one element, or some for a list step); undefined otherwise.
 */
async function throughFix(page: Page, base: LocatorRef, rest: string, step: LocatorStep, fix: LocatorRef): Promise<SetHeal | undefined> {
  const target = page.locator(`${fix.selector} >> ${rest}`);
  const count = await target.count();
  if (isListStep(step) ? count === 0 : count !== 1) return undefined;
  const reason = `healed through the fix the catalog knows for ${base.code} on this page, ${fix.code}`;
  return { ok: true, target, to: { selector: selectorOf(target), code: `page.${target.toString()}` }, rank: { decision: 'heal', confidence: 1, margin: 1, reason, ranked: [] }, known: true };
}

/**
 * Heals a step from its set plan: a known fix of the set is used first (`throughFix`); else it
 * relocates the set (`healSet`), then applies the rest of the
 * chain to the healed set (so `nth(i)` means the i-th of the healed set). A single-element step
 * must find exactly one element on it; when the rest of the chain broke too, its element is
 * relocated inside the part of the chain that still finds one (`healChild`).
 * @example const healed = await healFromSet(page, plan, step); if (healed.ok) await step.run(healed.target);
 */
export async function healFromSet(page: Page, plan: SetPlan, step: LocatorStep, options: SetRelocationOptions = {}, fix?: LocatorRef): Promise<SetHeal> {
  const known = fix && plan.rest ? await throughFix(page, plan.base, plan.rest, step, fix) : undefined;
  if (known) return known;
  const choice = await healSet(page, plan.members, options);
  if (!choice.ok) return { ok: false, rank: asRank(choice.relocation, choice.reason) };
  const setReason = `healed as a set: ${choice.relocation.reason}; ${choice.proposal.basis}`;
  const setRank = asRank(choice.relocation, setReason);
  const healed = (target: Locator, rank: RankResult): SetHeal => ({ ok: true, target, to: { selector: selectorOf(target), code: `page.${target.toString()}` }, rank });
  if (!plan.rest) return healed(choice.locator, setRank);
  const base = selectorOf(choice.locator);
  const target = page.locator(`${base} >> ${plan.rest}`);
  if (isListStep(step)) return healed(target, setRank);
  const count = await target.count();
  if (count === 1) return healed(target, setRank);
  const child = count === 0 && plan.fingerprint ? await healChild(page, base, selectorLinks(plan.rest), plan.fingerprint, choice.candidates, options) : undefined;
  if (child && typeof child !== 'string') {
    const confidence = Math.min(setRank.confidence, child.rank.confidence);
    return healed(child.target, { ...child.rank, confidence, reason: `${setReason}; then its element: ${child.rank.reason} (together ${fmt(confidence)})` });
  }
  return { ok: false, rank: asRank(choice.relocation, child ?? `abstained: page.${target.toString()} finds ${count} elements on the healed set ${choice.code}`) };
}
