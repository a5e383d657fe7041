import type { BrowserContext, ElementHandle, Frame, Locator, Page } from '@playwright/test';
import { z } from 'zod';
import { MedicError } from '../errors.js';
import {
  CANDIDATES_KEY,
  captureCandidatesWire,
  captureElement,
  captureElements,
  captureShortlistWire,
  decodeCandidates,
  type CaptureOptions,
} from '../healing/capture.js';
import { fingerprintSchema, type Candidate, type Fingerprint } from '../healing/fingerprint.js';
import { SET_SAMPLE_SIZE, sampleIndices, setSampleSchema, shapeOf, type SetSample } from '../healing/setFingerprint.js';
import { frameOf, selectorOf } from './locatorHooks.js';
import { nativeQuery, type NativeQuery } from './nativeSelector.js';

export type { CaptureOptions } from '../healing/capture.js';

const candidatesSchema = z.array(fingerprintSchema.extend({ index: z.number().int().nonnegative() }));

function invalidCapture(what: string, error: z.ZodError): MedicError {
  return new MedicError('MEDIC_CAPTURE', `The page returned an invalid ${what}:\n${z.prettifyError(error)}`, {
    fix: 'This is a playwright-medic bug: report it with the page that was captured.',
    cause: error,
  });
}

// A fast structural check of what the page returned (zod takes 30–130 ms on 5,000 candidates);
// only when it fails does zod run, for its precise message. It accepts exactly what
// `fingerprintSchema` accepts, minus unknown keys, which the capture never writes.
const STRING_FIELDS = new Set([
  'tag', 'id', 'name', 'text', 'visibleText', 'role', 'accessibleName', 'label', 'placeholder', 'title', 'alt',
  'type', 'value', 'href', 'src', 'xpath', 'idXpath',
]);
const NEIGHBOR_FIELDS = new Set(['above', 'below', 'left', 'right', 'any']);
const isString = (v: unknown): v is string => typeof v === 'string';
const isStringArray = (v: unknown) => Array.isArray(v) && v.every(isString);
const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isAncestor = (v: unknown) => {
  if (!isPlain(v) || !isString(v.tag)) return false;
  for (const key in v) {
    const f = v[key];
    if (key === 'id' ? !isString(f) : key === 'classes' ? !isStringArray(f) : key !== 'tag') return false;
  }
  return true;
};
function isCandidate(v: unknown): boolean {
  if (!isPlain(v)) return false;
  const index = v.index;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) return false;
  for (const key in v) {
    const f = v[key];
    if (f === undefined) continue;
    if (STRING_FIELDS.has(key)) {
      if (!isString(f)) return false;
    } else if (key === 'version') {
      if (typeof f !== 'number' || !Number.isInteger(f) || f <= 0) return false;
    } else if (key === 'isButton' || key === 'visible') {
      if (typeof f !== 'boolean') return false;
    } else if (key === 'classes' || key === 'frames' || key === 'shadowPath') {
      if (!isStringArray(f)) return false;
    } else if (key === 'testIds') {
      if (!isPlain(f) || !Object.values(f).every(isString)) return false;
    } else if (key === 'ancestors') {
      if (!Array.isArray(f) || !f.every(isAncestor)) return false;
    } else if (key === 'box') {
      if (!isPlain(f) || Object.keys(f).length !== 4) return false;
      const { x, y, width, height } = f;
      if (typeof x !== 'number' || typeof y !== 'number' || typeof width !== 'number' || typeof height !== 'number') return false;
      if (!Number.isFinite(x) || !Number.isFinite(y) || !(width >= 0) || !(height >= 0) || !Number.isFinite(width + height)) return false;
    } else if (key === 'neighbors') {
      if (!isPlain(f)) return false;
      for (const n in f) if (!NEIGHBOR_FIELDS.has(n) || !isString(f[n])) return false;
    } else if (key !== 'index') return false;
  }
  return true;
}

/**
 * The fingerprint of the element a locator resolves to (strict: exactly one element).
 * @example const fp = await captureFingerprint(page.getByRole('button', { name: 'Save' }));
 */
export async function captureFingerprint(locator: Locator, options: CaptureOptions = {}): Promise<Fingerprint> {
  const raw = await locator.evaluate(captureElement, options);
  const parsed = fingerprintSchema.safeParse(raw);
  if (!parsed.success) throw invalidCapture('fingerprint', parsed.error);
  return parsed.data;
}

/**
 * The fingerprints of all candidate elements of a page (frames and open shadow roots
 * included), in document order; `candidateElement(page, candidate.index)` gets one back.
 * @example const candidates = await captureCandidates(page, { includeHidden: false });
 */
export async function captureCandidates(page: Page, options: CaptureOptions = {}): Promise<Candidate[]> {
  return validCandidates(decodeCandidates(await page.evaluate(captureCandidatesWire, options)));
}

/** How many candidates `captureShortlist` keeps by default: about the size of the pages the ranker was fitted on. */
export const SHORTLIST_SIZE = 200;

/**
 * The candidates of a page worth ranking against a stored fingerprint: every element is
 * sketched (attributes and texts, no style or layout) and scored by a cheap prefilter in the
 * page, and only the `keep` best (default SHORTLIST_SIZE) that are candidates come back, with
 * the full capture's fingerprint, in document order. Each `index` is the element's position
 * among all sketched elements (hidden ones included), so `candidateElement(page, candidate.index)`
 * works as after `captureCandidates` — but an index is neither its position in the array nor
 * the one `captureCandidates` gives the same element.
 * @example
 * const candidates = await captureShortlist(page, stored);
 * const best = rankCandidates(stored, candidates).best; // best.index: for candidateElement
 */
export async function captureShortlist(
  page: Page,
  target: Fingerprint,
  options: CaptureOptions & { keep?: number } = {},
): Promise<Candidate[]> {
  const request = { ...options, target, keep: options.keep ?? SHORTLIST_SIZE };
  return validCandidates(decodeCandidates(await page.evaluate(captureShortlistWire, request)));
}

function validCandidates(raw: unknown): Candidate[] {
  if (Array.isArray(raw) && raw.every(isCandidate)) return raw as Candidate[];
  const parsed = candidatesSchema.safeParse(raw);
  if (!parsed.success) throw invalidCapture('candidate list', parsed.error);
  return parsed.data;
}

/**
 * The candidates (of the last capture) that a locator's elements are, in the locator's order;
 * undefined for an element that is not one.
 * @example const matched = await matchedCandidates(page.locator('li'), new Map(candidates.map((c) => [c.index, c])));
 */
export async function matchedCandidates(locator: Locator, byIndex: ReadonlyMap<number, Candidate>): Promise<(Candidate | undefined)[]> {
  const indices = await locator.evaluateAll((elements, key) => {
    const list = (window.top as unknown as Record<string, Element[] | undefined>)[key];
    return elements.map((e) => (list ? list.indexOf(e) : -1));
  }, CANDIDATES_KEY);
  return indices.map((i) => byIndex.get(i));
}

/**
 * The element of a candidate from the last `captureCandidates(page)`, as a handle that lives
 * in the element's own frame (so it can be passed to that frame's locators).
 * @example const handle = await candidateElement(page, best.index);
 */
export async function candidateElement(page: Page, index: number): Promise<ElementHandle<Element>> {
  // `inTop`: the element only when it is in the top document (else the string 'frame'), so the
  // common case needs no ownerFrame() round trip.
  const lookup = ([key, i, inTop]: [string, number, boolean]) => {
    const list = (window.top as unknown as Record<string, Element[] | undefined>)[key];
    const el = list ? (list[i] ?? null) : undefined;
    return inTop && el && el.ownerDocument !== document ? 'frame' : el;
  };
  const handle = await page.mainFrame().evaluateHandle(lookup, [CANDIDATES_KEY, index, true] as [string, number, boolean]);
  const top = handle.asElement();
  if (top) {
    ownerFrames.set(top, page.mainFrame());
    return top as ElementHandle<Element>;
  }
  const missing = await handle.jsonValue();
  await handle.dispose();
  const element = missing === 'frame' ? (await page.mainFrame().evaluateHandle(lookup, [CANDIDATES_KEY, index, false] as [string, number, boolean])).asElement() : null;
  if (!element) {
    throw new MedicError(
      'MEDIC_CAPTURE',
      missing === undefined
        ? `No captured candidates in this page (asked for candidate ${index}); the page may have navigated since.`
        : `There is no candidate ${index} in the last capture of this page.`,
      { fix: 'Call captureCandidates(page) again and use an index from its result.' },
    );
  }
  const frame = await element.ownerFrame();
  if (!frame || frame === page.mainFrame()) return element as ElementHandle<Element>;
  // Re-resolve in the owner frame so the handle belongs to that frame's execution context.
  const own = (await frame.evaluateHandle(lookup, [CANDIDATES_KEY, index, false] as [string, number, boolean])).asElement();
  if (!own) return element as ElementHandle<Element>;
  await element.dispose();
  ownerFrames.set(own, frame);
  return own as ElementHandle<Element>;
}

/**
 * What `captureResolved` saw: how many elements the locator matched, the fingerprint when it
 * was one, and a sample of the members when it was many (a list).
 */
export type Resolved = {
  count: number;
  fingerprint?: Fingerprint;
  set?: SetSample;
  /** Who found the elements: the page itself (a native query) or Playwright's selector engines. */
  resolvedBy: 'page' | 'playwright';
};

type ResolvedRequest = { options: CaptureOptions; size: number };
type ResolvedInPage = { count: number; fingerprint?: Fingerprint; members?: Fingerprint[] };

// One protocol call that neither waits nor throws on strict mode: the count, and the fingerprint
// when the locator matches exactly one element, or the fingerprints of the sampled members (the
// indices of `sampleIndices`) when it matches many, so a list's sample is of one state of the list.
const resolvedInPage = (elements: Element[], request: ResolvedRequest): ResolvedInPage => {
  const n = elements.length;
  if (n === 1) return { count: 1, fingerprint: captureElements(elements, request.options)[0]! };
  if (n < 2 || !(request.size >= 1)) return { count: n };
  return { count: n, members: captureElements(sampleIndices(n, request.size).map((i) => elements[i]!), request.options) };
};
Object.defineProperty(resolvedInPage, 'toString', {
  value: () =>
    `function (elements, request) { var capture = (${captureElements.toString()}); var n = elements.length;` +
    ' if (n === 1) return { count: 1, fingerprint: capture(elements, request.options)[0] };' +
    ' if (n < 2 || !(request.size >= 1)) return { count: n };' +
    ' var size = request.size, picked = [];' +
    ' if (n <= size) { for (var i = 0; i < n; i++) picked.push(elements[i]); }' +
    ' else { for (var k = 0; k < size; k++) { var e = elements[Math.round((k * (n - 1)) / (size - 1))]; if (picked.indexOf(e) < 0) picked.push(e); } }' +
    ' return { count: n, members: capture(picked, request.options) }; }',
});

/** Where `installCapture` keeps `captureResolved`'s in-page function in each document: `window[RESOLVE_KEY]`. */
export const RESOLVE_KEY = '__playwrightMedicResolve';

// The call a capture sends once the function is installed: a few bytes instead of its source
// (over 30 kB, which every call would otherwise send and the page would parse). null: not installed.
const installedInPage = (elements: Element[], request: ResolvedRequest & { key: string }): ResolvedInPage | null => {
  const installed = (globalThis as unknown as Record<string, unknown>)[request.key];
  return typeof installed === 'function' ? (installed as typeof resolvedInPage)(elements, request) : null;
};
Object.defineProperty(installedInPage, 'toString', {
  value: () => "function (elements, request) { var f = globalThis[request.key]; return typeof f === 'function' ? f(elements, request) : null; }",
});

type NativeRequest = Omit<NativeQuery, 'base'> & ResolvedRequest & { key: string };

// The same call for a selector the page resolves natively (nativeSelector.ts): no injected script
// in the main world. `matched`: the native count before `nth`, which the caller checks against
// Playwright's. null: not installed, or a query the browser does not accept (Playwright's CSS
// extensions), so Playwright resolves it.
const nativeInPage = (request: NativeRequest): { matched: number; resolved: ResolvedInPage } | null => {
  const installed = (globalThis as unknown as Record<string, unknown>)[request.key];
  if (typeof installed !== 'function') return null;
  let elements: Element[] = [];
  try {
    if (request.kind === 'xpath') {
      const found = document.evaluate(request.query, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
      for (let i = 0; i < found.snapshotLength; i++) {
        const node = found.snapshotItem(i);
        if (node && node.nodeType === 1) elements.push(node as Element);
      }
    } else if (request.kind === 'testid') {
      // Exactly Playwright's comparison: the attribute's value as it is (no CSS escapes or case folding).
      for (const el of Array.from(document.querySelectorAll(`[${request.query}]`))) if (el.getAttribute(request.query) === request.value) elements.push(el);
    } else elements = Array.from(document.querySelectorAll(request.query));
  } catch {
    return null;
  }
  const matched = elements.length;
  if (request.nth !== undefined) {
    const picked = request.nth < 0 ? elements[matched + request.nth] : elements[request.nth];
    elements = picked ? [picked] : [];
  }
  return { matched, resolved: (installed as typeof resolvedInPage)(elements, { options: request.options, size: request.size }) };
};

/**
 * The capture of a locator whose selector the page resolves by itself, when the native query
 * finds exactly as many elements as Playwright does (its engines also pierce shadow roots);
 * null when it cannot tell, so the caller asks Playwright.
 */
async function resolvedNatively(locator: Locator, request: ResolvedRequest & { key: string }): Promise<ResolvedInPage | null> {
  const native = nativeQuery(selectorOf(locator));
  const frame = native && frameOf(locator);
  if (!native || !frame) return null;
  const { base, ...query } = native;
  const [count, found] = await Promise.all([frame.locator(base).count(), frame.evaluate(nativeInPage, { ...query, ...request })]);
  return found && found.matched === count ? found.resolved : null;
}

/** Contexts with the in-page function installed: elsewhere a capture sends the whole function at once. */
const installed = new WeakSet<BrowserContext>();

/**
 * Defines `captureResolved`'s in-page function in every document the context opens from now
 * on (an init script, not enumerable on `window`), so that each capture is a short call. Pages
 * without it (opened before, or where the script did not run) get the whole function, as before.
 * @example await installCapture(context);
 */
export async function installCapture(context: BrowserContext): Promise<void> {
  installed.add(context);
  await context.addInitScript(
    `try { Object.defineProperty(globalThis, ${JSON.stringify(RESOLVE_KEY)}, { value: (${resolvedInPage.toString()}) }); } catch (e) {}`,
  );
}

/**
 * The count of a locator's matches and, when it matches exactly one, its element's
 * fingerprint, or when it matches many, a sample of their fingerprints (first, last and some
 * between, `SET_SAMPLE_SIZE` at most; `sample: 0` for none), in one round trip that does not
 * wait for the element: cheap enough to send just before a test's own step, which it never delays.
 * With the function installed (`installCapture`), a CSS, XPath or test id selector is resolved
 * by the page itself, checked against Playwright's `count()` sent beside it, so the capture
 * builds no injected script in the page's main world.
 * @example const { count, fingerprint, set } = await captureResolved(page.locator('#save'));
 */
export async function captureResolved(locator: Locator, options: CaptureOptions & { sample?: number } = {}): Promise<Resolved> {
  const { sample = SET_SAMPLE_SIZE, ...captureOptions } = options;
  const request = { options: captureOptions, size: sample, key: RESOLVE_KEY };
  const short = installed.has(locator.page().context());
  const native = short ? await resolvedNatively(locator, request) : null;
  const resolvedBy = native ? 'page' : 'playwright';
  const raw =
    native ?? (short ? await locator.evaluateAll(installedInPage, request) : null) ?? (await locator.evaluateAll(resolvedInPage, request));
  if (raw.fingerprint !== undefined) {
    const parsed = fingerprintSchema.safeParse(raw.fingerprint);
    if (!parsed.success) throw invalidCapture('fingerprint', parsed.error);
    return { count: raw.count, fingerprint: parsed.data, resolvedBy };
  }
  if (raw.members === undefined || raw.count < 2) return { count: raw.count, resolvedBy };
  const parsed = setSampleSchema.safeParse({ count: raw.count, members: raw.members, shared: shapeOf(raw.members) });
  if (!parsed.success) throw invalidCapture('set sample', parsed.error);
  return { count: raw.count, set: parsed.data, resolvedBy };
}

/** The frames `candidateElement` already knows its handles live in (saves `chooseLocator` a round trip). */
const ownerFrames = new WeakMap<ElementHandle<Node>, Frame>();

/**
 * The frame of an element handle: known without a round trip for handles of `candidateElement`.
 * @example const frame = await ownerFrameOf(handle);
 */
export async function ownerFrameOf(element: ElementHandle<Node>): Promise<Frame | null> {
  return ownerFrames.get(element) ?? element.ownerFrame();
}
