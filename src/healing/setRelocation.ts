import type { Candidate, Fingerprint } from './fingerprint.js';
import { cssIdent, cssString, jsString } from './locatorProposals.js';
import { directlyRelated } from './family.js';
import { DEFAULT_MODEL } from './model.js';
import { prefilter } from './prefilter.js';
import { rankCandidates, type AttributeContribution, type RankOptions, type RankResult } from './rank.js';
import { shapeOf, structuralPath, type SetShape } from './setFingerprint.js';

/** One sampled member found again on the changed page. */
export type MemberHeal = { member: number; candidate: Candidate; rank: RankResult };

/** A locator for a whole set: `page.getByTestId(value)` or `page.locator(value)`. */
export type SetProposal = { method: 'getByTestId' | 'locator'; value: string; basis: string };

export type SetRelocation =
  | {
      decision: 'heal';
      healed: MemberHeal[];
      /** What the healed members share: every element of the healed set must have it. */
      shape: SetShape;
      proposals: SetProposal[];
      /** The weakest member heal's confidence and margin. */
      confidence: number;
      margin: number;
      /** Per attribute, the mean over the healed members. */
      explanation: AttributeContribution[];
      reason: string;
    }
  | { decision: 'abstain'; healed: MemberHeal[]; confidence: number; margin: number; explanation: AttributeContribution[]; reason: string };

export type SetRelocationOptions = RankOptions & {
  testIdAttribute?: string;
  /**
   * Rank each member among the `keep` candidates the prefilter finds most like it, as a single
   * heal does (the ranker's confidences are calibrated on shortlists of that size); all when absent.
   */
  keep?: number;
};

/** Mean contribution of each attribute over the member heals, strongest first. */
function meanExplanation(healed: readonly MemberHeal[]): AttributeContribution[] {
  const sums = new Map<string, AttributeContribution>();
  for (const { rank } of healed) {
    for (const c of rank.best?.contributions ?? []) {
      const s = sums.get(c.attribute) ?? { attribute: c.attribute, similarity: 0, weight: 0, contribution: 0 };
      sums.set(c.attribute, { attribute: c.attribute, similarity: s.similarity + c.similarity, weight: s.weight + c.weight, contribution: s.contribution + c.contribution });
    }
  }
  const n = Math.max(1, healed.length);
  return [...sums.values()]
    .map((s) => ({ attribute: s.attribute, similarity: s.similarity / n, weight: s.weight / n, contribution: s.contribution / n }))
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
}

/** `//*[@id='list']/li` → `list`, the id a set's locator can be scoped by. */
function scopeId(path: string | undefined): string | undefined {
  return path ? /^\/\/\*\[@id='([^']+)'\]/.exec(path)?.[1] : undefined;
}

/**
 * Locators for the set a shape describes, in Playwright's order of preference: a shared test
 * id, other shared test attributes, the shared tag and classes, the same scoped by the nearest
 * id, and last the structural XPath itself. None is checked here (`checkSetMatch` does).
 * @example setProposals({ tag: 'article', classes: ['tile'], testIds: { 'data-testid': 'tile' } })[0] // { method: 'getByTestId', value: 'tile', … }
 */
export function setProposals(shape: SetShape, testIdAttribute = 'data-testid'): SetProposal[] {
  const out: SetProposal[] = [];
  const push = (p: SetProposal) => {
    if (!out.some((o) => o.method === p.method && o.value === p.value)) out.push(p);
  };
  const own = shape.testIds[testIdAttribute];
  const attributes = Object.entries(shape.testIds)
    .filter(([a]) => a !== testIdAttribute)
    .map(([a, v]) => `[${a}=${cssString(v)}]`);
  const classes = shape.classes.slice(0, 3).map((c) => `.${cssIdent(c)}`).join('');
  const tagged = classes ? `${shape.tag ?? ''}${classes}` : undefined;
  const id = scopeId(shape.path);
  const scope = id ? `#${cssIdent(id)} ` : undefined;

  if (own) push({ method: 'getByTestId', value: own, basis: `shared ${testIdAttribute}` });
  for (const a of attributes) push({ method: 'locator', value: a, basis: 'shared test attribute' });
  if (tagged) push({ method: 'locator', value: tagged, basis: 'shared tag and classes' });
  if (scope) {
    if (own) push({ method: 'locator', value: `${scope}[${testIdAttribute}=${cssString(own)}]`, basis: `shared ${testIdAttribute} under #${id}` });
    for (const a of attributes) push({ method: 'locator', value: `${scope}${a}`, basis: `shared test attribute under #${id}` });
    if (tagged) push({ method: 'locator', value: `${scope}${tagged}`, basis: `shared tag and classes under #${id}` });
  }
  if (shape.path) push({ method: 'locator', value: `xpath=${shape.path}`, basis: 'shared structural path' });
  return out;
}

/** The code a user writes for a set proposal. */
export function setProposalCode(proposal: SetProposal, receiver = 'page'): string {
  return `${receiver}.${proposal.method}(${jsString(proposal.value)})`;
}

/**
 * Why a candidate is not alike to the set's shape, or undefined when it is: same tag, the
 * shared classes and test ids, the same structural path.
 */
export function unlike(shape: SetShape, element: Fingerprint): string | undefined {
  if (shape.tag && element.tag !== shape.tag) return `a <${element.tag ?? '?'}> where the set is <${shape.tag}>`;
  const missing = shape.classes.find((c) => !element.classes?.includes(c));
  if (missing) return `an element without the shared class "${missing}"`;
  const testId = Object.entries(shape.testIds).find(([a, v]) => element.testIds?.[a] !== v);
  if (testId) return `an element without ${testId[0]}="${testId[1]}"`;
  const xpath = element.idXpath ?? element.xpath;
  if (shape.path && (!xpath || structuralPath(xpath) !== shape.path)) return `an element elsewhere in the page (${xpath ?? 'no path'}, the set is at ${shape.path})`;
  return undefined;
}

/**
 * Checks what a proposed set locator matched (each element's candidate, or undefined for an
 * element that is not one): it must hold every healed member, and nothing unlike them. The
 * expected count of the step plays no part: a set is defined by its structure.
 * @returns undefined when the proposal is the healed set, else why not
 */
export function checkSetMatch(shape: SetShape, healed: readonly MemberHeal[], matched: readonly (Candidate | undefined)[]): string | undefined {
  const indices = new Set(matched.map((m) => m?.index));
  const left = healed.find((h) => !indices.has(h.candidate.index));
  if (left) return `it misses the healed member ${left.member + 1}`;
  for (const element of matched) {
    if (!element) return 'it matches an element that is hidden or was not captured';
    const why = unlike(shape, element);
    if (why) return `it matches ${why}`;
  }
  return undefined;
}

const fmt = (v: number) => v.toFixed(2);

/**
 * How sure a group of member heals is, taken together: each member found on a distinct
 * element alike to the others' is independent evidence that the group is the set, so the
 * chance that all of them are wrong is the product of theirs (noisy-or). Independence is an
 * approximation (one markup change affects all members alike); the threshold stays the
 * single heal's.
 */
export function groupConfidence(group: readonly MemberHeal[]): number {
  return 1 - group.reduce((wrong, h) => wrong * (1 - h.rank.confidence), 1);
}

/**
 * Finds a set's sampled members again among a changed page's candidates: each member is
 * ranked on its own; the largest group of members whose best candidates are distinct and
 * alike (one tag, one structural path) is the set's evidence, and heals when its joint
 * confidence (`groupConfidence`) passes the threshold. Members not on the page (a filtered
 * list shows others) simply drop out; a member that heals on its own to an element unlike
 * the group makes it abstain. Pure.
 * @example
 * const found = relocateSet(sample.members, await captureCandidates(page));
 * if (found.decision === 'heal') tryProposals(found.proposals); // then checkSetMatch each
 */
export function relocateSet(members: readonly Fingerprint[], candidates: readonly Candidate[], options: SetRelocationOptions = {}): SetRelocation {
  const { testIdAttribute, keep, ...rankOptions } = options;
  const threshold = options.threshold ?? (options.model ?? DEFAULT_MODEL).threshold;
  const filter = prefilter();
  const shortlist = (m: Fingerprint) => (keep === undefined ? candidates : filter.shortlist(m, candidates, keep).map((i) => candidates[i]!));
  const ranks = members.map((m) => rankCandidates(m, shortlist(m), rankOptions));
  const byIndex = new Map(candidates.map((c) => [c.index, c]));
  // Each member's best candidate; where two share one, the likelier member keeps it (the other is not on the page).
  const bestOf = new Map<number, MemberHeal>();
  ranks.forEach((rank, member) => {
    const candidate = rank.best ? byIndex.get(rank.best.index) : undefined;
    if (!candidate || rank.best!.score === rank.runnerUp?.score) return;
    const taken = bestOf.get(candidate.index);
    if (!taken || taken.rank.confidence < rank.confidence) bestOf.set(candidate.index, { member, candidate, rank });
  });
  // The largest group of alike best candidates (one tag, one structural path) is the set's evidence.
  const keyOf = (c: Candidate) => `${c.tag}\u0000${structuralPath(c.idXpath ?? c.xpath ?? '')}`;
  const groups = new Map<string, MemberHeal[]>();
  for (const h of bestOf.values()) groups.set(keyOf(h.candidate), [...(groups.get(keyOf(h.candidate)) ?? []), h]);
  const group = [...groups.values()].sort((a, b) => groupConfidence(b) - groupConfidence(a))[0] ?? [];
  // A member whose pick is the direct parent or child of an element alike to the group's picks
  // names the same widget (family.ts: a heading and its link); it counts for the group there.
  const taken = new Set([...bestOf.keys()]);
  for (const h of bestOf.values()) {
    if (group.includes(h) || !group[0]) continue;
    const kin = h.rank.ranked
      .map((r) => byIndex.get(r.index))
      .find((c) => c && !taken.has(c.index) && keyOf(c) === keyOf(group[0]!.candidate) && directlyRelated(c, h.candidate));
    if (kin) {
      group.push({ ...h, candidate: kin });
      taken.add(kin.index);
    }
  }
  const outside = [...bestOf.values()].filter((h) => !group.some((g) => g.member === h.member) && h.rank.decision === 'heal');
  const healed = group.sort((a, b) => a.member - b.member);
  const explanation = meanExplanation(healed);
  const confidence = groupConfidence(healed);
  const margin = healed.length ? Math.min(...healed.map((h) => h.rank.margin)) : 0;
  const abstain = (reason: string): SetRelocation => ({ decision: 'abstain', healed, confidence, margin, explanation, reason: `abstained: ${reason}` });

  if (healed.length === 0 || confidence < threshold) {
    const why = ranks[0]?.reason.replace(/^abstained: /, '') ?? 'no members were sampled';
    return abstain(
      `none of the ${members.length} sampled members is safely found on the page (together ${fmt(confidence)} below the threshold ${fmt(threshold)}; first member: ${why})`,
    );
  }
  if (outside.length) return abstain(`sampled member ${outside[0]!.member + 1} heals to an element unlike the others`);
  if (healed.some((h) => h.candidate.frames?.length)) return abstain('the members are in an iframe (set heals stay in the top page)');
  const shape = shapeOf(healed.map((h) => h.candidate));
  if (!shape.tag || !shape.path) return abstain('the healed members are not alike (different tags or places in the page)');
  const proposals = setProposals(shape, testIdAttribute);
  return {
    decision: 'heal',
    healed,
    shape,
    proposals,
    confidence,
    margin,
    explanation,
    reason: `${healed.length} of ${members.length} sampled members found again as <${shape.tag}> at ${shape.path} (together ${fmt(confidence)}, lowest margin ${fmt(margin)})`,
  };
}
