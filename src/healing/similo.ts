// The Similo baseline (Nass et al., TOSEM 2023), re-implemented from the published recipe and
// the replication package's WidgetLocator.java: fixed weights, integer-percent similarities,
// highest total wins, no threshold. Kept only to compare our ranker against it.
import type { Candidate, Fingerprint } from './fingerprint.js';

type Kind = 'equal' | 'levenshtein' | 'integer' | 'location' | 'words';

/** Similo's comparisons in its published order, with their weights. */
export const SIMILO_LOCATORS: readonly { name: string; weight: number; kind: Kind }[] = [
  { name: 'tag', weight: 1.5, kind: 'equal' },
  { name: 'class', weight: 0.5, kind: 'levenshtein' },
  { name: 'name', weight: 1.5, kind: 'equal' },
  { name: 'id', weight: 1.5, kind: 'equal' },
  { name: 'href', weight: 0.5, kind: 'levenshtein' },
  { name: 'alt', weight: 0.5, kind: 'levenshtein' },
  { name: 'xpath', weight: 0.5, kind: 'levenshtein' },
  { name: 'idxpath', weight: 0.5, kind: 'levenshtein' },
  { name: 'is_button', weight: 0.5, kind: 'equal' },
  { name: 'location', weight: 0.5, kind: 'location' },
  { name: 'area', weight: 0.5, kind: 'integer' },
  { name: 'shape', weight: 0.5, kind: 'integer' },
  { name: 'visible_text', weight: 1.5, kind: 'levenshtein' },
  { name: 'neighbor_text', weight: 1.5, kind: 'words' },
];

type SimiloProps = Partial<Record<string, string>> & { box?: { x: number; y: number } };

function lower(value: string | undefined): string | undefined {
  const v = value?.trim().toLowerCase();
  return v ? v : undefined;
}

/** A fingerprint seen through Similo's property names (values lower-cased, as Similo stores them). */
export function similoProperties(fp: Fingerprint): SimiloProps {
  const props: SimiloProps = {
    tag: lower(fp.tag),
    class: lower(fp.classes?.join(' ')),
    name: lower(fp.name),
    id: lower(fp.id),
    href: lower(fp.href),
    alt: lower(fp.alt),
    xpath: lower(fp.xpath),
    idxpath: lower(fp.idXpath),
    // Similo's visible text: the text, else the value, else the placeholder.
    visible_text: lower(fp.visibleText) ?? lower(fp.text) ?? lower(fp.value) ?? lower(fp.placeholder),
    neighbor_text: lower(fp.neighbors?.any),
  };
  if (fp.isButton !== undefined) props.is_button = fp.isButton ? 'yes' : 'no';
  if (fp.box) {
    const width = Math.trunc(fp.box.width);
    const height = Math.trunc(fp.box.height);
    props.box = { x: Math.trunc(fp.box.x), y: Math.trunc(fp.box.y) };
    props.location = 'yes';
    if (width > 0 && height > 0) {
      props.area = String(width * height);
      props.shape = String(Math.trunc((width * 100) / height));
    }
  }
  return props;
}

function strip(value: string): string {
  return value.replace(/[^\p{L}\p{N}]/gu, '');
}

function levenshtein(a: string, b: string): number {
  const costs = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) costs[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let last = i;
    for (let j = 1; j <= b.length; j++) {
      let next = costs[j - 1]!;
      if (a.charCodeAt(i - 1) !== b.charCodeAt(j - 1)) next = Math.min(next, last, costs[j]!) + 1;
      costs[j - 1] = last;
      last = next;
    }
    costs[b.length] = last;
  }
  return costs[b.length]!;
}

/** Similo's string similarity in whole percent: Levenshtein on alphanumerics, over the longer raw length. */
export function similoStringSimilarity(s1: string, s2: string): number {
  if (s1.length === 0 || s2.length === 0) return 0;
  if (s1 === s2) return 100;
  const [long, short] = s1.length >= s2.length ? [s1, s2] : [s2, s1];
  const distance = levenshtein(strip(long), strip(short));
  return Math.trunc(((long.length - distance) * 100) / long.length);
}

/** Similo's integer similarity in whole percent: (max − |a − b|) / max. */
export function similoIntegerSimilarity(a: number, b: number): number {
  const max = Math.max(a, b);
  if (max === 0) return 100;
  return Math.trunc(((max - Math.abs(a - b)) * 100) / max);
}

/** Similo's neighbour-text word match in whole percent. */
export function similoWordSimilarity(text1: string, text2: string): number {
  if (text1.length === 0 || text2.length === 0) return 0;
  const words1 = text1.split(/\s+/);
  const words2 = text2.split(/\s+/);
  const wordCount = Math.max(text1.length - words1.length + 1, text2.length - words2.length + 1);
  let exists = 0;
  for (const word of words1) {
    const found = words2.some(
      (other) =>
        (word.length < other.length && (other.startsWith(word) || other.endsWith(word))) ||
        (other.length < word.length && (word.startsWith(other) || word.endsWith(other))) ||
        word === other,
    );
    if (found) exists += word.length;
  }
  return Math.min(Math.trunc((exists * 100) / wordCount), 100);
}

/** Similo's total score of one candidate against the target. */
export function similoScore(target: SimiloProps, candidate: SimiloProps): number {
  let score = 0;
  for (const { name, weight, kind } of SIMILO_LOCATORS) {
    const t = target[name];
    const c = candidate[name];
    if (t === undefined || c === undefined) continue;
    let similarity: number;
    if (kind === 'equal') similarity = t === c ? 1 : 0;
    else if (kind === 'levenshtein') similarity = similoStringSimilarity(t, c) / 100;
    else if (kind === 'integer') similarity = similoIntegerSimilarity(Number(t), Number(c)) / 100;
    else if (kind === 'words') similarity = similoWordSimilarity(t, c) / 100;
    else {
      const dx = (target.box?.x ?? 0) - (candidate.box?.x ?? 0);
      const dy = (target.box?.y ?? 0) - (candidate.box?.y ?? 0);
      similarity = Math.max(100 - Math.trunc(Math.sqrt(dx * dx + dy * dy)), 0) / 100;
    }
    score += similarity * weight;
  }
  return score;
}

/**
 * Ranks candidates the Similo way: highest total score wins, ties go to the earlier candidate
 * in document order. Returns the winner's `index` (undefined with no candidates) and every score.
 * @example similoRank(fingerprint, candidates).best // 17
 */
export function similoRank(target: Fingerprint, candidates: readonly Candidate[]): { best: number | undefined; scores: number[] } {
  const t = similoProperties(target);
  const scores = candidates.map((c) => similoScore(t, similoProperties(c)));
  let best: number | undefined;
  let bestScore = Number.NEGATIVE_INFINITY;
  scores.forEach((score, i) => {
    if (score > bestScore) {
      bestScore = score;
      best = candidates[i]!.index;
    }
  });
  return { best, scores };
}
