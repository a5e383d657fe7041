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

  const cut = (value: string, max: number) => (value.length > max ? value.slice(0, max) : value);
  /** Whole values, each as `<prefix><value> ` (upper case kept): a term matches only the full value. */
  const wholes = (s: Sketch): string => {
    // Written out field by field (no helper per value): this runs for every element of a page.
    let out = '';
    if (s.tag) out += `<${cut(s.tag, 80)} `;
    if (s.role) out += `@${cut(s.role, 80)} `;
    if (s.type) out += `:${cut(s.type, 80)} `;
    if (s.id) out += `#${cut(s.id, 80)} `;
    if (s.name) out += `=${cut(s.name, 80)} `;
    const classes = s.classes;
    if (classes) for (let i = 0; i < classes.length; i++) if (classes[i]) out += `.${cut(classes[i]!, 80)} `;
    const testIds = s.testIds;
    if (testIds) for (const key in testIds) if (testIds[key]) out += `~${cut(testIds[key]!, 80)} `;
    const shown = s.text || s.visibleText;
    if (shown) out += `"${cut(shown, 80)} `;
    if (s.href) out += `^${cut(s.href, 80)} `;
    const anchor = anchorOf(s.idXpath);
    if (anchor && anchor !== s.id) out += `&${cut(anchor, 80)} `;
    const ancestors = s.ancestors;
    for (let i = 0; ancestors && i < ancestors.length && i < 2; i++) {
      const a = ancestors[i]!;
      if (a.id) out += `&${cut(a.id, 80)} `;
      const ac = a.classes;
      if (ac) for (let j = 0; j < ac.length; j++) if (ac[j]) out += `&.${cut(ac[j]!, 80)} `;
    }
    return out;
  };
  const CAMEL = /[a-z][A-Z]/;
  /** The words of the identifiers and texts, camelCase split. */
  const words = (s: Sketch): string => {
    let out = '';
    if (s.id) out += ` ${cut(s.id, 200)}`;
    if (s.name) out += ` ${cut(s.name, 200)}`;
    const classes = s.classes;
    if (classes) for (let i = 0; i < classes.length; i++) if (classes[i]) out += ` ${cut(classes[i]!, 200)}`;
    const testIds = s.testIds;
    if (testIds) for (const key in testIds) if (testIds[key]) out += ` ${cut(testIds[key]!, 200)}`;
    if (s.text) out += ` ${cut(s.text, 200)}`;
    if (s.visibleText && s.visibleText !== s.text) out += ` ${cut(s.visibleText, 200)}`;
    if (s.accessibleName && s.accessibleName !== s.visibleText) out += ` ${cut(s.accessibleName, 200)}`;
    if (s.label) out += ` ${cut(s.label, 200)}`;
    if (s.placeholder) out += ` ${cut(s.placeholder, 200)}`;
    if (s.title) out += ` ${cut(s.title, 200)}`;
    if (s.alt) out += ` ${cut(s.alt, 200)}`;
    if (s.value) out += ` ${cut(s.value, 200)}`;
    if (s.href) out += ` ${cut(s.href, 200)}`;
    if (s.src) out += ` ${cut(s.src, 200)}`;
    return CAMEL.test(out) ? out.replace(/([a-z])([A-Z])/g, '$1 $2') : out;
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
    const hays: string[] = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const hay = haystackOf(candidates[i]!);
      hays[i] = hay;
      lengths[i] = hay.length;
      totalLength += hay.length;
    }
    // Each term is looked for once in all the strings joined (NUL apart: no term spans two),
    // not once per string: a few native scans instead of n × m calls.
    if (terms.some((t) => t.includes('\u0000'))) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          if (hays[i]!.includes(terms[j]!)) {
            found[i * m + j] = 1;
            df[j]!++;
          }
        }
      }
    } else {
      const all = hays.join('\u0000');
      const ends = new Float64Array(n); // where each string ends in `all`
      for (let i = 0, end = 0; i < n; i++) ends[i] = end += lengths[i]! + (i ? 1 : 0);
      for (let j = 0; j < m; j++) {
        const term = terms[j]!;
        for (let i = 0, at = all.indexOf(term); at >= 0; at = i < n ? all.indexOf(term, ends[i - 1]! + 1) : -1) {
          while (ends[i]! <= at) i++;
          found[i * m + j] = 1;
          df[j]!++;
          i++;
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
   * Candidates from the highest score down (ties: the earlier) offered to `take` until it has
   * accepted `k` or none is left; the accepted ones, in that order. Only the part of the order
   * it reaches is sorted: a large page's best few hundred, not its thousands.
   * @example prefilter().best(scores, 200, (i) => isVisible(elements[i])) // [17, 3, 0, …]
   */
  const best = (s: Float64Array, k: number, take: (i: number) => boolean = () => true): number[] => {
    const n = s.length;
    const sorted = Float64Array.from(s).sort(); // ascending, natively
    const out: number[] = [];
    // Rounds of the next `want` best (all of a tie included): scores in [floor, above).
    let above = Infinity;
    for (let want = 2 * k; out.length < k && above > -Infinity; want *= 4) {
      const floor = want >= n ? -Infinity : sorted[n - want]!;
      const round: number[] = [];
      for (let i = 0; i < n; i++) if (s[i]! >= floor && s[i]! < above) round.push(i);
      round.sort((a, b) => s[b]! - s[a]! || a - b);
      for (let r = 0; r < round.length && out.length < k; r++) if (take(round[r]!)) out.push(round[r]!);
      above = floor;
    }
    return out;
  };

  /**
   * Positions of the `k` candidates that score highest, in document order (ties: the earlier).
   * @example prefilter().shortlist(target, candidates, 200) // [0, 3, 17, …]
   */
  const shortlist = (target: Sketch, candidates: readonly Sketch[], k: number): number[] => {
    if (candidates.length <= k) return candidates.map((_, i) => i);
    return best(scores(target, candidates), k).sort((a, b) => a - b);
  };

  return { termsOf, haystackOf, scores, best, shortlist };
}
