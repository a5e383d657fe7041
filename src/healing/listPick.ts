// A locator that picks by position (`.first()`, `.nth(k)`) means "the k-th of a list". When
// the element's list siblings look just like it (the Remove button of every row), the ranker
// abstains on the margin between them, yet the question it cannot answer is not the one the
// locator asks: it asks whether the element is one of that list at all, and which position it holds.
import type { Candidate, Fingerprint } from './fingerprint.js';
import { normalizeText } from './similarity.js';
import { candidateProbabilities, rankThresholds, type RankOptions } from './rank.js';
import { structuralPath } from './setFingerprint.js';

export type ListPick = {
  decision: 'heal' | 'abstain';
  /** The candidates alike to the best one (one tag, one structural path, one name), in document order. */
  members: Candidate[];
  /** The most likely candidate, when there is one. */
  best?: Candidate;
  /** Probability that the element is one of the members, and that minus the likeliest candidate outside them. */
  confidence: number;
  margin: number;
  reason: string;
};

const fmt = (v: number) => v.toFixed(2);

/** Siblings of one list look alike: the same tag at the same structural path, with the same name. */
function likeness(c: Candidate): string {
  const name = c.accessibleName ?? c.text ?? c.visibleText ?? '';
  return `${c.tag ?? ''}\u0000${structuralPath(c.idXpath ?? c.xpath ?? '')}\u0000${normalizeText(name)}`;
}

/**
 * Finds the element a positional locator picked among a changed page's candidates: the
 * likeliest candidate and the siblings alike to it are its list; the pick heals when the
 * element is one of them with the confidence and margin a single heal needs, and the likeliest
 * one is at the locator's position (`nth`, negative from the end). The list is only what the
 * candidates hold; the caller checks the healed locator finds exactly these members. Pure.
 * @example
 * const pick = pickFromList(stored, candidates, 0);
 * if (pick.decision === 'heal') pick.members[0] === pick.best; // true
 */
export function pickFromList(target: Fingerprint, candidates: readonly Candidate[], nth: number, options: RankOptions = {}): ListPick {
  const { threshold, minMargin } = rankThresholds(options);
  const p = candidateProbabilities(target, candidates, options.model);
  let bestRow = -1;
  for (let i = 0; i < candidates.length; i++) if (bestRow < 0 || p[i]! > p[bestRow]!) bestRow = i;
  if (bestRow < 0) return { decision: 'abstain', members: [], confidence: 0, margin: 0, reason: 'abstained: there are no candidates to choose from' };
  const best = candidates[bestRow]!;
  const key = likeness(best);
  let confidence = 0;
  let outside = 0;
  const members: Candidate[] = [];
  candidates.forEach((c, i) => {
    if (likeness(c) === key) {
      members.push(c);
      confidence += p[i]!;
    } else outside = Math.max(outside, p[i]!);
  });
  members.sort((a, b) => a.index - b.index);
  const margin = confidence - outside;
  const base = { members, best, confidence, margin };
  const numbers = `(confidence ${fmt(confidence)}, margin ${fmt(margin)})`;
  if (members.length < 2) return { ...base, decision: 'abstain', reason: `abstained: the best candidate has no siblings like it ${numbers}` };
  if (confidence < threshold || margin < minMargin) {
    return { ...base, decision: 'abstain', reason: `abstained: the element is not safely one of the ${members.length} alike candidates ${numbers}` };
  }
  const at = nth < 0 ? members.length + nth : nth;
  if (members[at] !== best) {
    return { ...base, decision: 'abstain', reason: `abstained: the likeliest of the ${members.length} alike candidates is not at position ${nth} ${numbers}` };
  }
  return { ...base, decision: 'heal', reason: `one of ${members.length} alike candidates, the likeliest at position ${nth} as the locator picks ${numbers}` };
}
