// Features of one (target, candidate) pair for the ranker. Each pairwise feature is an
// attribute similarity computed only when the attribute is present on both sides (else 0),
// with an explicit "missing on the candidate" flag; a few cross-candidate features say whether
// a candidate is the best (or the only exact) match of an attribute among all candidates.
import type { Candidate, Fingerprint } from './fingerprint.js';
import {
  ancestorSimilarity,
  areaSimilarity,
  equalSimilarity,
  levenshteinSimilarity,
  locationSimilarity,
  normalizeText,
  parseXPath,
  shapeSimilarity,
  setSimilarity,
  stepSimilarity,
  tokenize,
  jaccard,
  type PathStep,
} from './similarity.js';

const MAX_TEXT = 200;

/** A fingerprint with its comparable forms computed once. */
type Prepared = {
  fp: Fingerprint;
  text?: string | undefined;
  visibleText?: string | undefined;
  textTokens?: string[] | undefined;
  visibleTokens?: string[] | undefined;
  href?: string | undefined;
  src?: string | undefined;
  xpath?: PathStep[] | undefined;
  idXpath?: PathStep[] | undefined;
  neighborTokens: Partial<Record<NeighborKey, string[]>>;
  /** Words of the element's own identifiers (id, name, classes, test ids), camelCase split. */
  idWords: string[];
  /** Text with everything but letters and digits removed (`U.S.` → `us`). */
  alnumText?: string | undefined;
  /** Words of what the element is called or says, from every attribute (ids, anchor id, name, classes, texts, labels). */
  meaningWords: string[];
};

type NeighborKey = 'any' | 'above' | 'below' | 'left' | 'right';
const NEIGHBOR_KEYS: readonly NeighborKey[] = ['any', 'above', 'below', 'left', 'right'];

function clip(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = normalizeText(value);
  return v === '' ? undefined : v.slice(0, MAX_TEXT);
}

function url(value: string | undefined): string | undefined {
  const v = clip(value);
  return v?.replace(/^[a-z]+:\/\/(www\.)?/, '').replace(/\/$/, '');
}

/** `loginSubmit-btn2` → login, submit, btn. */
export function identifierWords(values: readonly string[]): string[] {
  const words: string[] = [];
  for (const value of values) {
    for (const part of value.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z]+/)) {
      if (part.length >= 2) words.push(part);
    }
  }
  return words;
}

function prepare(fp: Fingerprint): Prepared {
  const text = clip(fp.text);
  const visibleText = clip(fp.visibleText);
  const idXpath = fp.idXpath ? parseXPath(fp.idXpath) : undefined;
  const anchor = idXpath?.[0]?.tag.startsWith('#') ? idXpath[0].tag.slice(1) : undefined;
  const alnum = (text ?? visibleText)?.replace(/[^\p{L}\p{N}]+/gu, '');
  const neighborTokens: Prepared['neighborTokens'] = {};
  for (const key of NEIGHBOR_KEYS) {
    const value = fp.neighbors?.[key];
    const tokens = value ? tokenize(value) : [];
    if (tokens.length) neighborTokens[key] = tokens;
  }
  return {
    fp,
    text,
    visibleText,
    textTokens: text === undefined ? undefined : tokenize(text),
    visibleTokens: visibleText === undefined ? undefined : tokenize(visibleText),
    href: url(fp.href),
    src: url(fp.src),
    xpath: fp.xpath ? parseXPath(fp.xpath) : undefined,
    idXpath,
    neighborTokens,
    idWords: identifierWords([fp.id ?? '', fp.name ?? '', ...(fp.classes ?? []), ...Object.values(fp.testIds ?? {})]),
    alnumText: alnum ? alnum : undefined,
    meaningWords: [
      ...new Set([
        ...identifierWords([fp.id ?? '', fp.name ?? '', anchor ?? '', ...Object.values(fp.testIds ?? {})]),
        ...identifierWords(fp.classes ?? []),
        ...[text ?? visibleText, fp.accessibleName, fp.label, fp.placeholder, fp.title, fp.alt].flatMap((v) => (v ? tokenize(v) : [])),
      ]),
    ].filter((w) => w.length >= 3),
  };
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/** A pairwise comparison: computed only when the attribute is present on both sides. */
type Comparison = {
  name: string;
  /** The fingerprint attribute it explains. */
  attribute: string;
  has: (p: Prepared) => boolean;
  /** Whether a candidate has it for this target, when not as `has` says. */
  candidateHas?: (c: Prepared, t: Prepared) => boolean;
  /** Similarity in [0, 1]. */
  compare: (t: Prepared, c: Prepared) => number;
  /** `exact`: adds `exact:<name>` (1/k for each of k exact matches); `best` adds `best:<name>` too (1/k for each of k best). */
  cross?: 'exact' | 'best';
  /** Adds `missing:<attribute>`: the target has it, the candidate does not. */
  missing?: boolean;
  /** Where its weight comes from when the training data (almost) never exercises it, and the share taken. */
  analog?: [string, number];
};

function str(
  get: (fp: Fingerprint) => string | undefined,
  sim: (a: string, b: string) => number,
  name: string,
  extra: Partial<Comparison> = {},
): Comparison {
  return { name, attribute: name, has: (p) => nonEmpty(get(p.fp)), compare: (t, c) => sim(get(t.fp)!, get(c.fp)!), ...extra };
}

/**
 * Roles whose accessible name is the element's content (WAI-ARIA "name from content"; inputs
 * left out, their name is their label). Such a target's name stands for its content.
 */
const NAMED_BY_CONTENT = new Set('button cell columnheader gridcell heading link menuitem option row rowheader tab tooltip treeitem'.split(' '));

/**
 * A candidate with no accessible name only because its role takes none from content (a table
 * row rebuilt as a `listitem`): the name it would carry is its visible text.
 */
function contentName(c: Prepared, t: Prepared): string | undefined {
  if (nonEmpty(c.fp.accessibleName)) return c.fp.accessibleName;
  const byContent = t.fp.role !== undefined && NAMED_BY_CONTENT.has(t.fp.role);
  return byContent && c.fp.role && !NAMED_BY_CONTENT.has(c.fp.role) ? c.visibleText : undefined;
}

const contains = (a: string, b: string) => (a.includes(b) || b.includes(a) ? 1 : 0);
const lev = (a: string, b: string) => levenshteinSimilarity(a.slice(0, MAX_TEXT), b.slice(0, MAX_TEXT));
const eq = (a: string, b: string) => equalSimilarity(a, b);

function testIdSimilarity(a: Record<string, string>, b: Record<string, string>): number {
  let shared = 0;
  let equal = 0;
  for (const [key, value] of Object.entries(a)) {
    const other = b[key];
    if (other === undefined) continue;
    shared++;
    if (other === value) equal++;
  }
  if (shared > 0) return equal / shared;
  // Different attribute names (data-test → data-testid): compare the values.
  const valuesB = new Set(Object.values(b));
  return Object.values(a).some((v) => valuesB.has(v)) ? 1 : 0;
}

/**
 * Whether `short` is written like an abbreviation of `long` (qty/quantity, btn/button,
 * pwd/password): 3–5 letters, the same first letter, then consonants only, found in order in
 * a word at least two letters longer. Vowels rule out plain words inside others (cat/contact).
 */
export function abbreviates(short: string, long: string): boolean {
  if (short.length < 3 || short.length > 5 || long.length < short.length + 2 || short[0] !== long[0]) return false;
  if (!/^[a-z][b-df-hj-np-tv-z]+$/.test(short)) return false;
  let found = 1;
  for (let i = 1; i < long.length && found < short.length; i++) if (long[i] === short[found]) found++;
  return found === short.length;
}

/** Two words match when equal, one starts with the other (4+ letters: notification/notifications), or one abbreviates the other. */
function wordsMatch(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return (short.length >= 4 && long.startsWith(short)) || abbreviates(short, long);
}

/**
 * Soft Dice overlap of two word sets: the mean of the share of each set's words found in the
 * other (a one-word candidate does not fully match a many-word target).
 */
function softOverlap(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const share = (x: readonly string[], y: readonly string[]) => {
    let found = 0;
    for (const w of x) if (y.some((v) => wordsMatch(w, v))) found++;
    return found / x.length;
  };
  return (share(a, b) + share(b, a)) / 2;
}

/** Every pairwise comparison, in feature order. */
const COMPARISONS: readonly Comparison[] = [
  str((f) => f.tag, eq, 'tag', { missing: true }),
  str((f) => f.role, eq, 'role', { analog: ['tag', 0.5] }),
  str((f) => f.type, eq, 'type'),
  str((f) => f.id, eq, 'id', { cross: 'exact', missing: true }),
  str((f) => f.id, lev, 'id (similar)', { attribute: 'id' }),
  str((f) => f.name, eq, 'name', { cross: 'exact', missing: true }),
  {
    name: 'test id',
    attribute: 'testIds',
    has: (p) => Object.keys(p.fp.testIds ?? {}).length > 0,
    compare: (t, c) => testIdSimilarity(t.fp.testIds!, c.fp.testIds!),
    cross: 'exact',
    missing: true,
    analog: ['name', 1],
  },
  {
    name: 'classes',
    attribute: 'classes',
    has: (p) => (p.fp.classes?.length ?? 0) > 0,
    compare: (t, c) => setSimilarity(t.fp.classes!, c.fp.classes!),
    cross: 'best',
    missing: true,
  },
  {
    name: 'identifier words',
    attribute: 'identifiers',
    has: (p) => p.idWords.length > 0,
    compare: (t, c) => jaccard(t.idWords, c.idWords),
    cross: 'best',
  },
  { name: 'text', attribute: 'text', has: (p) => p.text !== undefined, compare: (t, c) => lev(t.text!, c.text!), cross: 'best', missing: true },
  { name: 'text words', attribute: 'text', has: (p) => (p.textTokens?.length ?? 0) > 0, compare: (t, c) => jaccard(t.textTokens!, c.textTokens!) },
  { name: 'text contains', attribute: 'text', has: (p) => p.text !== undefined, compare: (t, c) => contains(t.text!, c.text!) },
  {
    name: 'visibleText',
    attribute: 'visibleText',
    has: (p) => p.visibleText !== undefined,
    compare: (t, c) => lev(t.visibleText!, c.visibleText!),
    cross: 'best',
    missing: true,
  },
  {
    name: 'visibleText words',
    attribute: 'visibleText',
    has: (p) => (p.visibleTokens?.length ?? 0) > 0,
    compare: (t, c) => jaccard(t.visibleTokens!, c.visibleTokens!),
  },
  {
    name: 'accessibleName',
    attribute: 'accessibleName',
    has: (p) => nonEmpty(p.fp.accessibleName),
    // A target named by its content compares its name with a role-less-named candidate's text.
    candidateHas: (c, t) => contentName(c, t) !== undefined,
    compare: (t, c) =>
      nonEmpty(c.fp.accessibleName) ? lev(t.fp.accessibleName!, c.fp.accessibleName) : lev(clip(t.fp.accessibleName)!, contentName(c, t)!),
    cross: 'best',
    missing: true,
    analog: ['text', 0.5],
  },
  str((f) => f.label, lev, 'label', { cross: 'best', missing: true, analog: ['text', 1] }),
  str((f) => f.placeholder, lev, 'placeholder', { missing: true, analog: ['text', 1] }),
  str((f) => f.title, lev, 'title', { analog: ['text', 0.5] }),
  str((f) => f.alt, lev, 'alt', { analog: ['text', 1] }),
  str((f) => f.value, lev, 'value'),
  { name: 'href', attribute: 'href', has: (p) => p.href !== undefined, compare: (t, c) => lev(t.href!, c.href!), cross: 'best', missing: true },
  { name: 'src', attribute: 'src', has: (p) => p.src !== undefined, compare: (t, c) => lev(t.src!, c.src!), analog: ['href', 1] },
  { name: 'xpath', attribute: 'xpath', has: (p) => p.xpath !== undefined, compare: (t, c) => stepSimilarity(t.xpath!, c.xpath!), cross: 'best' },
  {
    name: 'idXpath',
    attribute: 'idXpath',
    has: (p) => p.idXpath !== undefined,
    compare: (t, c) => stepSimilarity(t.idXpath!, c.idXpath!),
    cross: 'best',
  },
  {
    name: 'ancestors',
    attribute: 'ancestors',
    has: (p) => (p.fp.ancestors?.length ?? 0) > 0,
    compare: (t, c) => ancestorSimilarity(t.fp.ancestors!, c.fp.ancestors!),
    cross: 'best',
    analog: ['xpath', 0.5],
  },
  {
    name: 'location',
    attribute: 'box',
    has: (p) => p.fp.box !== undefined,
    compare: (t, c) => locationSimilarity(t.fp.box!, c.fp.box!, 20),
    cross: 'best',
  },
  { name: 'location (wide)', attribute: 'box', has: (p) => p.fp.box !== undefined, compare: (t, c) => locationSimilarity(t.fp.box!, c.fp.box!, 200) },
  { name: 'area', attribute: 'box', has: (p) => p.fp.box !== undefined, compare: (t, c) => areaSimilarity(t.fp.box!, c.fp.box!) },
  { name: 'shape', attribute: 'box', has: (p) => p.fp.box !== undefined, compare: (t, c) => shapeSimilarity(t.fp.box!, c.fp.box!) },
  {
    name: 'isButton',
    attribute: 'isButton',
    has: (p) => p.fp.isButton !== undefined,
    compare: (t, c) => (t.fp.isButton === c.fp.isButton ? 1 : 0),
  },
  {
    name: 'text (letters)',
    attribute: 'text',
    has: (p) => p.alnumText !== undefined,
    compare: (t, c) => lev(t.alnumText!, c.alnumText!),
  },
  {
    name: 'meaning words',
    attribute: 'identifiers',
    has: (p) => p.meaningWords.length > 0,
    compare: (t, c) => softOverlap(t.meaningWords, c.meaningWords),
    cross: 'best',
  },
  ...NEIGHBOR_KEYS.map(
    (key): Comparison => ({
      name: key === 'any' ? 'neighbors' : `neighbor ${key}`,
      attribute: 'neighbors',
      has: (p) => p.neighborTokens[key] !== undefined,
      compare: (t, c) => jaccard(t.neighborTokens[key]!, c.neighborTokens[key]!),
      ...(key === 'any' ? { cross: 'best' as const } : {}),
    }),
  ),
];

/**
 * What a feature is. `similarity` features hold 2·s − 1 for a similarity s in [0, 1] (an
 * attribute that differs counts against, one that matches counts for, a missing one is 0);
 * `best`/`exact` hold 1/k when the candidate is one of k best (or exact) matches among all
 * candidates; `missing` is 1 when the target has the attribute and the candidate does not.
 */
export type FeatureInfo = {
  name: string;
  kind: 'similarity' | 'best' | 'exact' | 'missing';
  attribute: string;
  label: string;
  /** Sign the weight is held to: +1 never negative, −1 never positive. */
  sign: 1 | -1;
  /** Weight source (feature name, share) when the training data does not exercise this feature. */
  analog?: [string, number];
};

function derivedAnalog(c: Comparison, prefix: string): [string, number] | undefined {
  if (!c.analog) return undefined;
  const target = COMPARISONS.find((x) => x.name === c.analog![0]);
  if (!target) return undefined;
  if (prefix === 'missing:') return target.missing ? [`missing:${target.attribute}`, c.analog[1]] : undefined;
  if (prefix === 'best:' && target.cross !== 'best') return undefined;
  if (prefix === 'exact:' && !target.cross) return undefined;
  return [`${prefix}${target.name}`, c.analog[1]];
}

/** Every feature, in the order of the vectors `extractFeatures` returns. */
export const FEATURES: readonly FeatureInfo[] = [
  ...COMPARISONS.map(
    (c): FeatureInfo => ({ name: c.name, kind: 'similarity', attribute: c.attribute, label: c.name, sign: 1, ...(c.analog ? { analog: c.analog } : {}) }),
  ),
  ...COMPARISONS.filter((c) => c.missing).map((c): FeatureInfo => {
    const analog = derivedAnalog(c, 'missing:');
    return { name: `missing:${c.attribute}`, kind: 'missing', attribute: c.attribute, label: `${c.attribute} (missing on candidate)`, sign: -1, ...(analog ? { analog } : {}) };
  }),
  ...COMPARISONS.filter((c) => c.cross === 'best').map((c): FeatureInfo => {
    const analog = derivedAnalog(c, 'best:');
    return { name: `best:${c.name}`, kind: 'best', attribute: c.attribute, label: `${c.name} (best among candidates)`, sign: 1, ...(analog ? { analog } : {}) };
  }),
  ...COMPARISONS.filter((c) => c.cross).map((c): FeatureInfo => {
    const analog = derivedAnalog(c, 'exact:');
    return { name: `exact:${c.name}`, kind: 'exact', attribute: c.attribute, label: `${c.name} (only exact match)`, sign: 1, ...(analog ? { analog } : {}) };
  }),
];

/** Feature names, in matrix column order. */
export const FEATURE_NAMES: readonly string[] = FEATURES.map((f) => f.name);

const BEST_COLUMN = COMPARISONS.map((c) => FEATURE_NAMES.indexOf(`best:${c.name}`));
const EXACT_COLUMN = COMPARISONS.map((c) => FEATURE_NAMES.indexOf(`exact:${c.name}`));

/**
 * The feature matrix of one ranking problem: row i (FEATURES.length wide) describes
 * candidates[i] against the target.
 * @example const { matrix, width } = extractFeatures(target, candidates); matrix[i * width + f]
 */
export function extractFeatures(target: Fingerprint, candidates: readonly Candidate[]): { matrix: Float64Array; width: number } {
  const width = FEATURES.length;
  const n = candidates.length;
  const matrix = new Float64Array(n * width);
  const t = prepare(target);
  const prepared = candidates.map(prepare);
  const sims = COMPARISONS.map(() => new Float64Array(n).fill(-1));

  let missingCol = COMPARISONS.length;
  COMPARISONS.forEach((comparison, k) => {
    const col = comparison.missing ? missingCol++ : -1;
    if (!comparison.has(t)) return;
    for (let i = 0; i < n; i++) {
      const c = prepared[i]!;
      if (!(comparison.candidateHas ? comparison.candidateHas(c, t) : comparison.has(c))) {
        if (col >= 0) matrix[i * width + col] = 1;
        continue;
      }
      const s = comparison.compare(t, c);
      sims[k]![i] = s;
      matrix[i * width + k] = 2 * s - 1;
    }
  });

  COMPARISONS.forEach((comparison, k) => {
    if (!comparison.cross) return;
    const s = sims[k]!;
    let max = 0;
    for (let i = 0; i < n; i++) if (s[i]! > max) max = s[i]!;
    if (max <= 0) return;
    let atMax = 0;
    let exact = 0;
    for (let i = 0; i < n; i++) {
      if (s[i] === max) atMax++;
      if (s[i] === 1) exact++;
    }
    const bestCol = BEST_COLUMN[k]!;
    const exactCol = EXACT_COLUMN[k]!;
    for (let i = 0; i < n; i++) {
      if (bestCol >= 0 && s[i] === max) matrix[i * width + bestCol] = 1 / atMax;
      if (s[i] === 1) matrix[i * width + exactCol] = 1 / exact;
    }
  });
  return { matrix, width };
}
