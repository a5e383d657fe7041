// Per-attribute similarity functions. Every function returns a number in [0, 1] (1 = same)
// and is pure and allocation-light: the ranker calls them for every attribute of every
// candidate of a page, so they must stay well under a millisecond per page.

/** Lower-case, trim and collapse whitespace. */
export function normalizeText(value: string): string {
  return value.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** 1 when both strings are equal after trimming (case-insensitive unless told otherwise). */
export function equalSimilarity(a: string, b: string, options: { caseSensitive?: boolean } = {}): number {
  const x = a.trim();
  const y = b.trim();
  if (options.caseSensitive) return x === y ? 1 : 0;
  return x.toLowerCase() === y.toLowerCase() ? 1 : 0;
}

// Reused rows for the dynamic programme; grown on demand.
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/**
 * Levenshtein edit distance with an optional bound: once the distance is certain to exceed
 * `max`, returns `max + 1` without finishing. Common prefix and suffix are skipped first.
 * @example levenshteinDistance('kitten', 'sitting') // 3
 */
export function levenshteinDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  let start = 0;
  let endA = a.length;
  let endB = b.length;
  while (start < endA && start < endB && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  let n = endA - start;
  let m = endB - start;
  if (n === 0 || m === 0) return Math.min(n + m, max + 1);
  if (Math.abs(n - m) > max) return max + 1;
  // Keep the shorter string on the inner loop.
  let s = a;
  let t = b;
  if (m > n) {
    [s, t] = [b, a];
    [n, m] = [m, n];
  }
  if (rowA.length <= m) {
    rowA = new Int32Array(m * 2 + 1);
    rowB = new Int32Array(m * 2 + 1);
  }
  let prev = rowA;
  let curr = rowB;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    curr[0] = i;
    let rowMin = i;
    const cs = s.charCodeAt(start + i - 1);
    for (let j = 1; j <= m; j++) {
      const cost = cs === t.charCodeAt(start + j - 1) ? 0 : 1;
      const del = prev[j]! + 1;
      const ins = curr[j - 1]! + 1;
      const sub = prev[j - 1]! + cost;
      const v = del < ins ? (del < sub ? del : sub) : ins < sub ? ins : sub;
      curr[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev, curr] = [curr, prev];
  }
  return Math.min(prev[m]!, max + 1);
}

/**
 * 1 − distance / longer length, on normalised text. Below `floor` the exact value does not
 * matter to the ranker, so the computation stops early and returns 0.
 * @example levenshteinSimilarity('Sign in', 'Sign-in') // ≈ 0.857
 */
export function levenshteinSimilarity(a: string, b: string, floor = 0): number {
  const x = normalizeText(a);
  const y = normalizeText(b);
  const longest = Math.max(x.length, y.length);
  if (longest === 0) return 1;
  const max = Math.floor((1 - floor) * longest);
  const distance = levenshteinDistance(x, y, max);
  if (distance > max) return 0;
  return 1 - distance / longest;
}

/** Lower-case word tokens (letters and digits), in order. */
export function tokenize(value: string): string[] {
  return value.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Jaccard overlap of two token sets: |A ∩ B| / |A ∪ B|. Two empty sets are equal (1). */
export function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const setA = new Set(a);
  const setB = new Set(b);
  let shared = 0;
  for (const token of setA) if (setB.has(token)) shared++;
  return shared / (setA.size + setB.size - shared);
}

/** Jaccard overlap of the word tokens of two texts. */
export function tokenSimilarity(a: string, b: string): number {
  return jaccard(tokenize(a), tokenize(b));
}

/** Overlap of two class lists (order and duplicates ignored). */
export function setSimilarity(a: readonly string[], b: readonly string[]): number {
  return jaccard(a, b);
}

/**
 * Similo's word match: the share of characters of the words of `a` found in `b` as a whole
 * word, or as a prefix or suffix of one (and the other way round), relative to the longer text.
 */
export function wordMatchSimilarity(a: string, b: string): number {
  const wordsA = a.toLowerCase().split(/\s+/).filter(Boolean);
  const wordsB = b.toLowerCase().split(/\s+/).filter(Boolean);
  if (wordsA.length === 0 || wordsB.length === 0) return 0;
  const charsA = wordsA.reduce((sum, w) => sum + w.length, 0);
  const charsB = wordsB.reduce((sum, w) => sum + w.length, 0);
  let found = 0;
  for (const word of wordsA) if (wordsB.some((other) => wordsTouch(word, other))) found += word.length;
  return Math.min(found / Math.max(charsA, charsB), 1);
}

function wordsTouch(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length < b.length) return b.startsWith(a) || b.endsWith(a);
  return a.startsWith(b) || a.endsWith(b);
}

/** One step of a path: a tag and its 1-based position among same-tag siblings (0 if none). */
export type PathStep = { tag: string; position: number };

/**
 * Parses an absolute or id-relative XPath into steps; an id anchor becomes `#id`.
 * `id("nav")/ul[1]/li[2]` and `//*[@id='nav']/ul[1]/li[2]` give the same steps.
 */
export function parseXPath(xpath: string): PathStep[] {
  let rest = xpath.trim();
  const steps: PathStep[] = [];
  const anchor = /^(?:id\(["']([^"']*)["']\)|\/\/\*\[@id=["']([^"']*)["']\])/.exec(rest);
  if (anchor) {
    steps.push({ tag: `#${anchor[1] ?? anchor[2] ?? ''}`, position: 0 });
    rest = rest.slice(anchor[0].length);
  }
  for (const raw of rest.split('/')) {
    if (!raw) continue;
    const step = /^(.*?)(?:\[(\d+)\])?$/.exec(raw);
    const name = (step?.[1] ?? raw).toLowerCase().replace(/^\*\[local-name\(\) *= *["']([^"']+)["']\]$/, '$1');
    steps.push({ tag: name, position: step?.[2] ? Number(step[2]) : 0 });
  }
  return steps;
}

/**
 * Alignment of two step sequences: edit distance where a step with the same tag but another
 * position costs ½, normalised by the longer path. Steps near the element count as much as
 * steps near the root.
 */
export function stepSimilarity(a: readonly PathStep[], b: readonly PathStep[]): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 && m === 0) return 1;
  if (n === 0 || m === 0) return 0;
  let prev = new Float64Array(m + 1);
  let curr = new Float64Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    curr[0] = i;
    const sa = a[i - 1]!;
    for (let j = 1; j <= m; j++) {
      const sb = b[j - 1]!;
      const cost = sa.tag !== sb.tag ? 1 : sa.position === sb.position ? 0 : 0.5;
      curr[j] = Math.min(prev[j]! + 1, curr[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, curr] = [curr, prev];
  }
  return 1 - prev[m]! / Math.max(n, m);
}

/** Similarity of two XPaths (absolute or id-relative) by step alignment. */
export function xpathSimilarity(a: string, b: string): number {
  return stepSimilarity(parseXPath(a), parseXPath(b));
}

/** An ancestor as the fingerprint stores it (nearest parent first). */
export type AncestorStep = { tag: string; id?: string | undefined; classes?: readonly string[] | undefined };

/**
 * Similarity of two ancestor paths: step alignment where a level matches fully when tag and id
 * agree and partly (by class overlap) when only the tag agrees.
 */
export function ancestorSimilarity(a: readonly AncestorStep[], b: readonly AncestorStep[]): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 && m === 0) return 1;
  if (n === 0 || m === 0) return 0;
  const prev = new Float64Array(m + 1);
  const curr = new Float64Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    curr[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = 1 - levelSimilarity(a[i - 1]!, b[j - 1]!);
      curr[j] = Math.min(prev[j]! + 1, curr[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev.set(curr);
  }
  return 1 - prev[m]! / Math.max(n, m);
}

function levelSimilarity(a: AncestorStep, b: AncestorStep): number {
  if (a.tag.toLowerCase() !== b.tag.toLowerCase()) return 0;
  if (a.id && b.id) return a.id === b.id ? 1 : 0.5;
  if (a.classes?.length || b.classes?.length) return 0.5 + 0.5 * setSimilarity(a.classes ?? [], b.classes ?? []);
  return 1;
}

/** min/max of two non-negative numbers; 1 when both are 0. */
export function ratioSimilarity(a: number, b: number): number {
  const hi = Math.max(Math.abs(a), Math.abs(b));
  if (hi === 0) return 1;
  return Math.min(Math.abs(a), Math.abs(b)) / hi;
}

/** A box in CSS pixels. */
export type Box = { x: number; y: number; width: number; height: number };

/**
 * Closeness of two boxes' top-left corners: 1 at the same place, ½ at `scale` pixels apart,
 * falling off smoothly (scale / (scale + distance)).
 */
export function locationSimilarity(a: Box, b: Box, scale = 50): number {
  const distance = Math.hypot(a.x - b.x, a.y - b.y);
  return scale / (scale + distance);
}

/** Similarity of two boxes' areas (min/max). */
export function areaSimilarity(a: Box, b: Box): number {
  return ratioSimilarity(a.width * a.height, b.width * b.height);
}

/** Similarity of two boxes' aspect ratios (min/max of width/height). */
export function shapeSimilarity(a: Box, b: Box): number {
  if (a.height === 0 || b.height === 0) return a.height === b.height ? 1 : 0;
  return ratioSimilarity(a.width / a.height, b.width / b.height);
}
