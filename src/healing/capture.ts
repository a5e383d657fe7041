import { captureDom } from './captureDom.js';
import { captureNeighbors } from './captureNeighbors.js';
import { capturePaths } from './capturePaths.js';
import { captureSketch } from './captureSketch.js';
import { captureText } from './captureText.js';
import type { Candidate, Fingerprint } from './fingerprint.js';
import { prefilter } from './prefilter.js';

/** Options of the in-page capture (plain JSON: it crosses into the page). */
export interface CaptureOptions {
  /** Also capture elements that are not visible (display:none, zero size, visibility:hidden). Default false. */
  includeHidden?: boolean;
  /** Compute neighbour texts (one extra pass over the page's texts for a single element). Default true. */
  neighbors?: boolean;
  /** The project's test-id attribute (Playwright's `testIdAttribute`), captured besides data-test*, data-qa*, data-cy. */
  testIdAttribute?: string;
  /** Stop collecting candidates after this many elements. Default 50 000. */
  maxCandidates?: number;
}

/** What `captureShortlistWire` takes: the capture's options, the stored fingerprint and how many candidates to keep. */
export interface ShortlistRequest extends CaptureOptions {
  target: Fingerprint;
  /** How many of the best candidates of the prefilter to capture in full. */
  keep: number;
}

/** Where `captureCandidates` keeps the candidate elements in the page: `window[CANDIDATES_KEY][index]`. */
export const CANDIDATES_KEY = '__playwrightMedicCandidates';
/** Where `captureShortlistWire` leaves the time (ms) of its phases in the page, for benchmarks: `window[TIMINGS_KEY]`. */
export const TIMINGS_KEY = '__playwrightMedicTimings';

/** The in-page helper factories, passed to `medicCapture` as values (in the page: as their source). */
const LIBRARY = { dom: captureDom, text: captureText, paths: capturePaths, neighbors: captureNeighbors, sketch: captureSketch, prefilter };
type Library = typeof LIBRARY;

/**
 * The in-page capture. Playwright sends it to the page as source text (see `pageFunction`),
 * so it and the factories in `lib` must stay self-contained: no imports at runtime, nothing
 * from module scope. One body serves both entry points below, so a stored fingerprint and a
 * candidate's are computed by exactly the same code (the ranker compares them field by field).
 */
function medicCapture(target: unknown, elementOptions: CaptureOptions | undefined, lib: Library): Fingerprint | Fingerprint[] | Candidate[] {
  const many = Array.isArray(target);
  const single = many || (!!target && typeof target === 'object' && (target as Node).nodeType === 1);
  const options: CaptureOptions = (single ? elementOptions : (target as CaptureOptions | undefined)) ?? {};
  const request = single ? undefined : (options as Partial<ShortlistRequest>);
  const includeHidden = options.includeHidden === true;
  const testIdAttribute = options.testIdAttribute ?? 'data-testid';
  const maxCandidates = options.maxCandidates ?? 50_000;
  const TEST_ID = /^data-(test|qa|cy|pw|e2e)|^data-automation-id$/;
  const BUTTON_INPUTS = new Set(['button', 'submit', 'reset', 'image']);
  const SECRET_AUTOCOMPLETE = /password|one-time-code|cc-number|cc-csc|cc-exp/;
  // A revealed password ("show password" turns it into type=text) still has a telling name.
  const SECRET_NAME = /pass|pwd|secret|token|otp|cvv|cvc|(^|[-_\s])(pw|pin)($|[-_\s])/i;

  const dom = lib.dom();
  const { TEXT_CAP, SKIP, styleOf, boxOf, isVisible, walk, isSvgChild } = dom;
  const text = lib.text(dom);
  const { ownText, visibleTextOf, roleOf, accessibleNameOf, labelsText, labelledByText } = text;
  const { xpathOf, idXpathOf, framesOf, shadowPathOf, ancestorsOf } = lib.paths(dom);
  const { addTextItems, onlyNear, index, nearby, neighborsOf } = lib.neighbors(dom);

  const attrOf = (el: Element, name: string) => {
    const v = el.getAttribute(name);
    return v === null || v === '' ? undefined : v;
  };
  // Everything but the neighbours. Empty values are left out.
  const fingerprintOf = (el: Element): Fingerprint => {
    const tag = el.localName;
    const fp: Fingerprint = { version: 1, tag };
    if (el.id) fp.id = el.id;
    const name = attrOf(el, 'name');
    if (name) fp.name = name;
    if (el.classList.length) fp.classes = Array.from(el.classList);
    const text = ownText(el);
    if (text) fp.text = text;
    const visibleText = visibleTextOf(el);
    if (visibleText) fp.visibleText = visibleText;
    const role = roleOf(el);
    if (role) fp.role = role;
    const accessibleName = accessibleNameOf(el, role);
    if (accessibleName) fp.accessibleName = accessibleName;
    const label = labelsText(el) || labelledByText(el);
    if (label) fp.label = label;
    const placeholder = attrOf(el, 'placeholder');
    if (placeholder) fp.placeholder = placeholder;
    const title = attrOf(el, 'title');
    if (title) fp.title = title;
    const alt = attrOf(el, 'alt');
    if (alt) fp.alt = alt;
    const type = (tag === 'input' || tag === 'button' ? (el as HTMLInputElement).type : attrOf(el, 'type'))?.toLowerCase();
    if (type) fp.type = type;
    // Never a password (shown or not), a hidden input (tokens), a one-time code or a card number.
    const secret =
      type === 'password' ||
      type === 'hidden' ||
      SECRET_AUTOCOMPLETE.test((attrOf(el, 'autocomplete') ?? '').toLowerCase()) ||
      SECRET_NAME.test(`${name ?? ''} ${el.id}`);
    if (!secret) {
      const value = tag === 'input' || tag === 'select' || tag === 'textarea' ? (el as HTMLInputElement).value : attrOf(el, 'value');
      if (value) fp.value = value.slice(0, TEXT_CAP);
    }
    const href = attrOf(el, 'href');
    if (href) fp.href = href;
    const src = attrOf(el, 'src');
    if (src) fp.src = src;
    const attributes = el.attributes;
    for (let i = 0; i < attributes.length; i++) {
      const a = attributes[i]!;
      if ((TEST_ID.test(a.name) || a.name === testIdAttribute) && a.value) (fp.testIds ??= {})[a.name] = a.value.slice(0, TEXT_CAP);
    }
    fp.xpath = xpathOf(el);
    const idXpath = idXpathOf(el);
    if (idXpath) fp.idXpath = idXpath;
    const ancestors = ancestorsOf(el);
    if (ancestors.length) fp.ancestors = ancestors;
    const b = boxOf(el);
    fp.box = { x: Math.round(b.l), y: Math.round(b.t), width: Math.round(b.r - b.l), height: Math.round(b.b - b.t) };
    fp.isButton = tag === 'button' || role === 'button' || (tag === 'input' && BUTTON_INPUTS.has(type ?? ''));
    const frames = framesOf(el.ownerDocument);
    if (frames.length) fp.frames = frames;
    const shadowPath = shadowPathOf(el);
    if (shadowPath.length) fp.shadowPath = shadowPath;
    fp.visible = isVisible(el);
    return fp;
  };

  if (single) {
    // One element, or several (a list's sampled members) sharing one pass over their document's
    // texts: each gets exactly the fingerprint it would get alone.
    const els = many ? (target as Element[]) : [target as Element];
    const fps = els.map((el) => fingerprintOf(el));
    if (options.neighbors !== false) {
      const docs = new Set<Document>();
      for (let i = 0; i < els.length; i++) if (fps[i]!.visible) docs.add(els[i]!.ownerDocument);
      for (const doc of docs) {
        walk(doc.documentElement, false, (e) => {
          if (SKIP.has(e.localName) || isSvgChild(e) || styleOf(e).display === 'none') return false;
          if (isVisible(e)) addTextItems(e);
          return true;
        });
      }
      for (let i = 0; i < els.length; i++) {
        if (!fps[i]!.visible) continue;
        const neighbors = neighborsOf(els[i]!);
        if (neighbors) fps[i]!.neighbors = neighbors;
      }
    }
    return many ? fps : fps[0]!;
  }

  const keep = request?.target && typeof request.keep === 'number' ? request.keep : undefined;
  if (keep !== undefined) {
    // Relocation: a light pass over every element (no style, layout or accessible name) feeds
    // the prefilter; only the `keep` best that are candidates (visible, unless includeHidden)
    // get a full fingerprint, and neighbour texts are read from the text-bearing elements only.
    // Phase times (ms) for benchmarks: window[TIMINGS_KEY] after the call.
    const timings: Record<string, number> = { elements: 0 };
    let clock = performance.now();
    const lap = (phase: string) => {
      const now = performance.now();
      timings[phase] = now - clock;
      clock = now;
    };
    const { elements, sketches, textOwners } = lib.sketch(dom, text).sketchAll(document.documentElement, testIdAttribute, maxCandidates);
    timings.elements = elements.length;
    lap('sketch');
    const filter = lib.prefilter();
    const s = filter.scores(request!.target!, sketches);
    const picked = filter.best(s, keep, (i) => includeHidden || isVisible(elements[i]!)).sort((a, b) => a - b);
    lap('prefilter');
    const shortlist = picked.map((i) => {
      const fp = fingerprintOf(elements[i]!) as Candidate;
      fp.index = i;
      return fp;
    });
    lap('fingerprints');
    const near = shortlist.filter((fp) => fp.visible).map((fp) => boxOf(elements[fp.index]!));
    if (near.length) {
      onlyNear(near);
      for (const el of textOwners) addTextItems(el, true);
      index();
      for (const fp of shortlist) {
        if (!fp.visible) continue;
        const el = elements[fp.index]!;
        const neighbors = neighborsOf(el, nearby(boxOf(el)));
        if (neighbors) fp.neighbors = neighbors;
      }
    }
    lap('neighbors');
    (window as unknown as Record<string, unknown>)['__playwrightMedicCandidates'] = elements;
    (window as unknown as Record<string, unknown>)['__playwrightMedicTimings'] = timings;
    return shortlist;
  }

  // One pass reads every style and box (layout happens once, nothing is written), then the rest.
  const elements: Element[] = [];
  walk(document.documentElement, true, (el) => {
    const tag = el.localName;
    if (elements.length >= maxCandidates || SKIP.has(tag) || isSvgChild(el)) return false;
    if (styleOf(el).display === 'none' && !includeHidden) return false;
    const visible = isVisible(el);
    if (visible) addTextItems(el);
    if (tag !== 'html' && tag !== 'slot' && (visible || includeHidden)) elements.push(el);
    return true;
  });
  index();
  const candidates = elements.map((el, i) => {
    const fp = fingerprintOf(el) as Candidate;
    fp.index = i;
    return fp;
  });
  for (const fp of candidates) {
    if (!fp.visible) continue;
    const el = elements[fp.index]!;
    const neighbors = neighborsOf(el, nearby(boxOf(el)));
    if (neighbors) fp.neighbors = neighbors;
  }
  (window as unknown as Record<string, unknown>)['__playwrightMedicCandidates'] = elements;
  return candidates;
}

/**
 * A page function for `evaluate`: its source (what Playwright sends, `String(fn)`) is
 * `medicCapture` with the factories of LIBRARY inlined, plus a `__name` helper so it runs
 * even when a transpiler wrapped nested functions in it (esbuild/tsx keepNames). With
 * `json`, the page returns one JSON string: for thousands of candidates that is several
 * times faster than Playwright's structured serialisation; with `wire`, the compact string of
 * `encodeCandidates` (half the bytes again).
 */
function pageFunction<F>(json: false | 'json' | 'wire' = false): F {
  const lib = Object.entries(LIBRARY)
    .map(([key, factory]) => `${key}: (${factory.toString()})`)
    .join(', ');
  const call = `(${medicCapture.toString()})(a, b, { ${lib} })`;
  const wrapped = json === 'json' ? `JSON.stringify(${call})` : json === 'wire' ? `(${encodeCandidates.toString()})(${call})` : call;
  const source = `function (a, b) { var __name = function (f) { return f; }; return ${wrapped}; }`;
  const run = (a: unknown, b?: CaptureOptions) => {
    const result = medicCapture(a, b, LIBRARY);
    return json === 'json' ? JSON.stringify(result) : json === 'wire' ? encodeCandidates(result as Candidate[]) : result;
  };
  Object.defineProperty(run, 'toString', { value: () => source });
  return run as unknown as F;
}

/**
 * The fingerprint of one element, computed in the page.
 * @example const fp = await page.getByRole('button', { name: 'Save' }).evaluate(captureElement);
 * @example const fp = await locator.evaluate(captureElement, { neighbors: false });
 */
export const captureElement = pageFunction<(element: Element, options?: CaptureOptions) => Fingerprint>();

/**
 * The fingerprints of several elements of a page (a list's members), computed in the page in
 * one pass over their document's texts; each is what `captureElement` gives for it alone.
 * @example const members = await page.locator('li').evaluateAll(captureElements);
 */
export const captureElements = pageFunction<(elements: Element[], options?: CaptureOptions) => Fingerprint[]>();

/**
 * The fingerprints of every candidate element of the page in one pass from the top document
 * (same-origin frames and open shadow roots included), in document order. The elements stay
 * in the page as `window[CANDIDATES_KEY][index]`.
 * @example const candidates = await page.evaluate(captureCandidates, { includeHidden: false });
 */
export const captureCandidates = pageFunction<(options?: CaptureOptions) => Candidate[]>();

/**
 * `captureCandidates` returning `JSON.stringify(candidates)`: the fast way to bring thousands
 * of fingerprints to Node.
 * @example const candidates = JSON.parse(await page.evaluate(captureCandidatesJson, {}));
 */
export const captureCandidatesJson = pageFunction<(options?: CaptureOptions) => string>('json');

type Ancestor = NonNullable<Fingerprint['ancestors']>[number];
/** The compact, column-wise form of a candidate list that `captureCandidatesWire` sends (see `encodeCandidates`). */
interface Wire {
  /** How many candidates. */
  n: number;
  /** Each candidate's `index`, when they are not simply 0, 1, 2, … (a shortlist). */
  x?: number[];
  /** Every distinct ancestor entry. */
  a: Ancestor[];
  /** Every distinct ancestor chain, as indexes into `a`. */
  c: number[][];
  /** Fields every candidate has: field → the values of all candidates. */
  d: Record<string, unknown[]>;
  /**
   * Fields only some have: field → `[candidate, value, candidate, value, …]`. In both,
   * `version` and `index` are not sent (1, and the position); `isButton` and `visible` are a
   * `0`/`1` column; `ancestors` is an index into `c`; `box` is `[x, y, width, height]`; `xpath`
   * is `[candidate, step]` when the parent's XPath is that earlier candidate's.
   */
  s: Record<string, unknown[]>;
}

/**
 * A candidate list as a compact JSON string: field by field instead of object by object (no
 * key repeated 5,000 times), shared ancestor chains once, parents' XPaths by reference. Under
 * half the bytes of `JSON.stringify`, and bytes are what the trip from the page to Node costs.
 * Runs in the page (self-contained); `decodeCandidates` gives back exactly the candidates.
 * Falls back to the plain list for anything it does not expect.
 */
function encodeCandidates(list: Candidate[]): string {
  const FIELDS = [
    'tag', 'id', 'name', 'classes', 'text', 'visibleText', 'role', 'accessibleName', 'label', 'placeholder', 'title',
    'alt', 'type', 'value', 'href', 'src', 'testIds', 'xpath', 'idXpath', 'ancestors', 'box', 'isButton', 'neighbors',
    'frames', 'shadowPath', 'visible',
  ];
  const known = new Set([...FIELDS, 'version', 'index']);
  const n = list.length;
  let sequential = true;
  for (let i = 0; i < n; i++) {
    const c = list[i]!;
    if (!Number.isInteger(c.index) || c.index < 0 || c.version !== 1) return JSON.stringify(list);
    if (c.index !== i) sequential = false;
    for (const key in c) if (!known.has(key)) return JSON.stringify(list);
  }
  const entryIds = new Map<object, number>();
  // Chains by their nearest entry (siblings share theirs), compared entry by entry to be sure.
  const chainsByFirst = new Map<object, number[]>();
  const wire: Wire = { n, a: [], c: [], d: {}, s: {} };
  if (!sequential) wire.x = list.map((c) => c.index);
  const sameIds = (a: number[], b: number[]) => a.length === b.length && a.every((id, i) => id === b[i]);
  const chainOf = (ancestors: Ancestor[]) => {
    const ids = ancestors.map((entry) => {
      let id = entryIds.get(entry);
      if (id === undefined) {
        entryIds.set(entry, (id = wire.a.length));
        wire.a.push(entry);
      }
      return id;
    });
    let same = chainsByFirst.get(ancestors[0]!);
    if (!same) chainsByFirst.set(ancestors[0]!, (same = []));
    let chain = same.find((c) => sameIds(wire.c[c]!, ids));
    if (chain === undefined) {
      same.push((chain = wire.c.length));
      wire.c.push(ids);
    }
    return chain;
  };
  const byXpath = new Map<string, number>();
  const xpathOf = (xpath: string, i: number): unknown => {
    const cut = xpath.lastIndexOf('/');
    const parent = cut > 0 ? byXpath.get(xpath.slice(0, cut)) : undefined;
    if (!byXpath.has(xpath)) byXpath.set(xpath, i);
    return parent === undefined ? xpath : [parent, xpath.slice(cut + 1)];
  };
  for (const field of FIELDS) {
    const values: unknown[] = [];
    const pairs: unknown[] = [];
    for (let i = 0; i < n; i++) {
      let v = (list[i] as Record<string, unknown>)[field];
      if (v === undefined) continue;
      if (field === 'isButton' || field === 'visible') v = v === true ? 1 : v === false ? 0 : v;
      else if (field === 'ancestors') v = Array.isArray(v) && v.length ? chainOf(v as Ancestor[]) : v;
      else if (field === 'xpath') v = typeof v === 'string' ? xpathOf(v, i) : v;
      else if (field === 'box') {
        const box = v as { x: number; y: number; width: number; height: number };
        v = [box.x, box.y, box.width, box.height];
      }
      values.push(v);
      pairs.push(i, v);
    }
    if (values.length === n) wire.d[field] = values;
    else if (values.length) wire.s[field] = pairs;
  }
  return JSON.stringify(wire);
}

/**
 * The candidates of a `captureCandidatesWire` string (or of a plain candidate list). Malformed
 * input is left as it is, for the caller's validation to reject (it only throws on JSON syntax).
 * @example const candidates = decodeCandidates(await page.evaluate(captureCandidatesWire, {}));
 */
export function decodeCandidates(text: string): unknown {
  const wire = JSON.parse(text) as Partial<Wire> | null;
  if (!wire || Array.isArray(wire) || typeof wire.n !== 'number' || !Array.isArray(wire.a) || !Array.isArray(wire.c)) return wire;
  if (!wire.d || typeof wire.d !== 'object' || !wire.s || typeof wire.s !== 'object') return wire;
  const entries = wire.a;
  const chains = wire.c.map((ids) => (Array.isArray(ids) ? ids.map((id) => entries[id]) : ids));
  const list: Record<string, unknown>[] = [];
  for (let i = 0; i < wire.n; i++) list.push({ version: 1 });
  const set = (field: string, i: number, v: unknown) => {
    const c = list[i];
    if (!c) return;
    if (field === 'isButton' || field === 'visible') v = v === 1 ? true : v === 0 ? false : v;
    else if (field === 'ancestors') v = typeof v === 'number' && Array.isArray(chains[v]) ? (chains[v] as unknown[]).slice() : v;
    else if (field === 'box' && Array.isArray(v) && v.length === 4) v = { x: v[0], y: v[1], width: v[2], height: v[3] };
    else if (field === 'xpath' && Array.isArray(v)) {
      const parent = list[v[0] as number]?.xpath;
      if (typeof parent === 'string' && typeof v[1] === 'string') v = `${parent}/${v[1]}`;
    }
    c[field] = v;
  };
  for (const field in wire.d) {
    const column = wire.d[field];
    if (!Array.isArray(column)) return wire;
    for (let i = 0; i < column.length; i++) set(field, i, column[i]);
  }
  for (const field in wire.s) {
    const pairs = wire.s[field];
    if (!Array.isArray(pairs)) return wire;
    for (let k = 0; k + 1 < pairs.length; k += 2) set(field, pairs[k] as number, pairs[k + 1]);
  }
  const indexes = Array.isArray(wire.x) && wire.x.length === list.length ? wire.x : undefined;
  for (let i = 0; i < list.length; i++) list[i]!.index = indexes ? indexes[i] : i;
  return list;
}

/**
 * `captureCandidates` in a compact form for `decodeCandidates`: the fastest way to bring
 * thousands of fingerprints to Node (what `captureCandidates(page)` of the browser module uses).
 * @example const candidates = decodeCandidates(await page.evaluate(captureCandidatesWire, {}));
 */
export const captureCandidatesWire = pageFunction<(options?: CaptureOptions) => string>('wire');

/**
 * The shortlist of relocation in one page call: every element is sketched (captureSketch: no
 * style or layout) and scored by the cheap `prefilter` against `target`; only the `keep` best
 * that are candidates get their full fingerprint (as `captureCandidates` computes it, neighbour
 * texts included) and go to Node, in document order. Their `index` is their position among the
 * sketched elements, so `window[CANDIDATES_KEY][index]` still gives each element back.
 * @example const shortlist = decodeCandidates(await page.evaluate(captureShortlistWire, { target, keep: 200 }));
 */
export const captureShortlistWire = pageFunction<(request: ShortlistRequest) => string>('wire');
