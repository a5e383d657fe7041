import type { Fingerprint } from './fingerprint.js';

/**
 * The fields of a fingerprint the prefilter reads: everything but the neighbour texts, the
 * expensive part of a capture.
 */
export type Sketch = Omit<Fingerprint, 'neighbors' | 'frames' | 'shadowPath'>;

/**
 * A cheap first pass of relocation (sent to the page as source text like the capture
 * factories: self-contained, no imports at runtime). The target becomes a list of terms — the
 * words of its identifiers and texts (cut to six letters, so `notification` meets
 * `notifications`) and its whole values (`#id`, `.class`, `<tag`, `@role`, the full text) —
 * and each candidate one lower-case string of the same fields. A candidate scores BM25 over the
 * target's terms it contains (rare terms count most: a class shared by 1,000 cards says
 * little), plus a little for sharing the start of the target's XPath and for being near its
 * old position. Only the best `k` go on to the full capture and the ranker, so it is built for
 * recall: any shared word brings a candidate up.
 */
export function prefilter() {
  /** Weight of the share of XPath steps in common with the target's (terms weigh 0..1). */
  const TREE = 0.15;
  /** Weight of being near the target's old position. */
  const NEAR = 0.15;
  /** Distance (px) at which position counts half. */
  const HALF_DISTANCE = 300;
  /** BM25's length normalisation (tf is always 1 here). */
  const K1 = 1.2;
  const B = 0.75;
  const WORD = /[\p{L}\p{N}]+/gu;

  /** `//*[@id='nav']/li[1]` → `nav`. */
  const anchorOf = (idXpath: string | undefined) => {
    if (!idXpath?.startsWith('//*[@id=')) return undefined;
    const quote = idXpath.charAt(8);
    const end = idXpath.indexOf(`${quote}]`, 9);
    return end > 9 ? idXpath.slice(9, end) : undefined;
  };

  /** Whole values, each as `<prefix><value> ` (upper case kept): a term matches only the full value. */
  const wholes = (s: Sketch): string => {
    let out = '';
    const add = (prefix: string, value: string | undefined) => {
      if (value) out += `${prefix}${value.length > 80 ? value.slice(0, 80) : value} `;
    };
    add('<', s.tag);
    add('@', s.role);
    add(':', s.type);
    add('#', s.id);
    add('=', s.name);
    for (const c of s.classes ?? []) add('.', c);
    if (s.testIds) for (const key in s.testIds) add('~', s.testIds[key]);
    add('"', s.text || s.visibleText);
    add('^', s.href);
    const anchor = anchorOf(s.idXpath);
    if (anchor && anchor !== s.id) add('&', anchor);
    const ancestors = s.ancestors;
    for (let i = 0; ancestors && i < ancestors.length && i < 2; i++) {
      add('&', ancestors[i]!.id);
      for (const c of ancestors[i]!.classes ?? []) add('&.', c);
    }
    return out;
  };
  /** The words of the identifiers and texts, camelCase split. */
  const words = (s: Sketch): string => {
    let out = '';
    const add = (value: string | undefined) => {
      if (value) out += ` ${value.length > 200 ? value.slice(0, 200) : value}`;
    };
    add(s.id);
    add(s.name);
    for (const c of s.classes ?? []) add(c);
    if (s.testIds) for (const key in s.testIds) add(s.testIds[key]);
    add(s.text);
    if (s.visibleText !== s.text) add(s.visibleText);
    if (s.accessibleName !== s.visibleText) add(s.accessibleName);
    add(s.label);
    add(s.placeholder);
    add(s.title);
    add(s.alt);
    add(s.value);
    add(s.href);
    add(s.src);
    return out.replace(/([a-z])([A-Z])/g, '$1 $2');
  };
  /** The string a candidate is searched in: ` <whole values> <words>`, lower case. */
  const haystackOf = (s: Sketch) => ` ${wholes(s)}${words(s)}`.toLowerCase().replace(/\s+/g, ' ');
  /** The target's terms, each once: its whole values (` #id `) and its words (cut to six letters). */
  const termsOf = (s: Sketch): string[] => {
    const out = new Set<string>();
    for (const w of ` ${wholes(s)}`.toLowerCase().replace(/\s+/g, ' ').split(/(?= [<@:#="^~&.])/)) if (w.length > 2) out.add(w.endsWith(' ') ? w : `${w} `);
    for (const w of words(s).toLowerCase().match(WORD) ?? []) if (w.length >= 2) out.add(w.length > 6 ? w.slice(0, 6) : w);
    return [...out];
  };

  /** Share of the steps of the longer path that both paths start with (`/html[1]/body[1]/…`). */
  const commonSteps = (a: string, b: string): number => {
    const n = Math.min(a.length, b.length);
    let steps = 0;
    let i = 0;
    for (; i < n && a.charCodeAt(i) === b.charCodeAt(i); i++) if (a.charCodeAt(i) === 47) steps++;
    const longer = a.length > b.length ? a : b;
    if (i === n && (a.length === b.length || longer.charCodeAt(n) === 47)) steps++;
    let total = 0;
    for (let j = 0; j < longer.length; j++) if (longer.charCodeAt(j) === 47) total++;
    return total ? Math.max(0, steps - 1) / total : 0;
  };

  /**
   * How much each candidate looks like the target, in candidate order (higher is closer).
   * @example prefilter().scores(target, candidates)[i]
   */
  const scores = (target: Sketch, candidates: readonly Sketch[]): Float64Array => {
    const n = candidates.length;
    const terms = termsOf(target);
    const m = terms.length;
    const found = new Uint8Array(n * m);
    const df = new Float64Array(m);
    const lengths = new Float64Array(n);
    let totalLength = 0;
    for (let i = 0; i < n; i++) {
      const hay = haystackOf(candidates[i]!);
      lengths[i] = hay.length;
      totalLength += hay.length;
      for (let j = 0; j < m; j++) {
        if (hay.includes(terms[j]!)) {
          found[i * m + j] = 1;
          df[j]!++;
        }
      }
    }
    const idf = Array.from(df, (d) => Math.log(1 + (n - d + 0.5) / (d + 0.5)));
    let best = 0;
    for (let j = 0; j < m; j++) best += idf[j]!;
    const average = totalLength / Math.max(1, n);
    const out = new Float64Array(n);
    const tb = target.box;
    for (let i = 0; i < n; i++) {
      let s = 0;
      const norm = (K1 + 1) / (1 + K1 * (1 - B + (B * lengths[i]!) / average));
      for (let j = 0; j < m; j++) if (found[i * m + j]) s += idf[j]! * norm;
      const c = candidates[i]!;
      const near = tb && c.box ? NEAR / (1 + Math.hypot(c.box.x - tb.x, c.box.y - tb.y) / HALF_DISTANCE) : 0;
      const tree = target.xpath && c.xpath ? TREE * commonSteps(target.xpath, c.xpath) : 0;
      out[i] = (best > 0 ? s / best : 0) + near + tree;
    }
    return out;
  };

  /**
   * Positions of the `k` candidates that score highest, in document order (ties: the earlier).
   * @example prefilter().shortlist(target, candidates, 200) // [0, 3, 17, …]
   */
  const shortlist = (target: Sketch, candidates: readonly Sketch[], k: number): number[] => {
    if (candidates.length <= k) return candidates.map((_, i) => i);
    const s = scores(target, candidates);
    return Array.from(s.keys())
      .sort((a, b) => s[b]! - s[a]! || a - b)
      .slice(0, k)
      .sort((a, b) => a - b);
  };

  return { termsOf, haystackOf, scores, shortlist };
}
