import { captureDom } from './captureDom.js';
import { captureNeighbors } from './captureNeighbors.js';
import { capturePaths } from './capturePaths.js';
import { captureText } from './captureText.js';
import type { Candidate, Fingerprint } from './fingerprint.js';

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

/** Where `captureCandidates` keeps the candidate elements in the page: `window[CANDIDATES_KEY][index]`. */
export const CANDIDATES_KEY = '__playwrightMedicCandidates';

/** The in-page helper factories, passed to `medicCapture` as values (in the page: as their source). */
const LIBRARY = { dom: captureDom, text: captureText, paths: capturePaths, neighbors: captureNeighbors };
type Library = typeof LIBRARY;

/**
 * The in-page capture. Playwright sends it to the page as source text (see `pageFunction`),
 * so it and the factories in `lib` must stay self-contained: no imports at runtime, nothing
 * from module scope. One body serves both entry points below, so a stored fingerprint and a
 * candidate's are computed by exactly the same code (the ranker compares them field by field).
 */
function medicCapture(target: unknown, elementOptions: CaptureOptions | undefined, lib: Library): Fingerprint | Candidate[] {
  const single = !!target && typeof target === 'object' && (target as Node).nodeType === 1;
  const options: CaptureOptions = (single ? elementOptions : (target as CaptureOptions | undefined)) ?? {};
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
  const { ownText, visibleTextOf, roleOf, accessibleNameOf, labelsText, labelledByText } = lib.text(dom);
  const { xpathOf, idXpathOf, framesOf, shadowPathOf, ancestorsOf } = lib.paths(dom);
  const { addTextItems, index, nearby, neighborsOf } = lib.neighbors(dom);

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
    const el = target as Element;
    const fp = fingerprintOf(el);
    if (options.neighbors !== false && fp.visible) {
      walk(el.ownerDocument.documentElement, false, (e) => {
        if (SKIP.has(e.localName) || isSvgChild(e) || styleOf(e).display === 'none') return false;
        if (isVisible(e)) addTextItems(e);
        return true;
      });
      const neighbors = neighborsOf(el);
      if (neighbors) fp.neighbors = neighbors;
    }
    return fp;
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
    if (fp.visible) {
      const neighbors = neighborsOf(el, nearby(boxOf(el)));
      if (neighbors) fp.neighbors = neighbors;
    }
    return fp;
  });
  (window as unknown as Record<string, unknown>)['__playwrightMedicCandidates'] = elements;
  return candidates;
}

/**
 * A page function for `evaluate`: its source (what Playwright sends, `String(fn)`) is
 * `medicCapture` with the factories of LIBRARY inlined, plus a `__name` helper so it runs
 * even when a transpiler wrapped nested functions in it (esbuild/tsx keepNames). With
 * `json`, the page returns one JSON string: for thousands of candidates that is several
 * times faster than Playwright's structured serialisation.
 */
function pageFunction<F>(json = false): F {
  const lib = Object.entries(LIBRARY)
    .map(([key, factory]) => `${key}: (${factory.toString()})`)
    .join(', ');
  const call = `(${medicCapture.toString()})(a, b, { ${lib} })`;
  const source = `function (a, b) { var __name = function (f) { return f; }; return ${json ? `JSON.stringify(${call})` : call}; }`;
  const run = (a: unknown, b?: CaptureOptions) => {
    const result = medicCapture(a, b, LIBRARY);
    return json ? JSON.stringify(result) : result;
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
export const captureCandidatesJson = pageFunction<(options?: CaptureOptions) => string>(true);
