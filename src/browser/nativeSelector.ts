/**
 * A Playwright selector the page can resolve by itself, without Playwright's injected script:
 * plain CSS (no negation), XPath, a test id, each optionally followed by `>> nth=N`. A capture through
 * `locator.evaluateAll` makes Playwright build its injected script in the page's main world on
 * each new document (the test's own steps use another world); as `frame.evaluate` of a native
 * query it only needs Playwright's small evaluation helper there (measured on the demo shop: a
 * step with its first capture 66.6 ms this way, 88.0 ms through Playwright, 67.8 ms with none). Pure.
 *
 * Native queries do not pierce shadow roots as Playwright's CSS and test id engines do, so the
 * caller checks the native count against the locator's own (`base`) before trusting it.
 */
export type NativeQuery = {
  kind: 'css' | 'xpath' | 'testid';
  /**
   * What the page runs: `document.querySelectorAll(query)`, `document.evaluate(query, …)`, or
   * for a test id the attribute's name (its elements are those whose value is exactly `value`).
   */
  query: string;
  /** A test id's value, as Playwright reads it (CSS would read escapes and fold some values' case). */
  value?: string;
  /** `>> nth=N`, when the selector picks one match by position (−1: the last). */
  nth?: number;
  /** The Playwright selector of the whole list (without `>> nth=`), whose `count()` must agree. */
  base: string;
};

const NTH = /^(.*?) >> nth=(-?\d+)$/;
const ENGINE = /^[a-zA-Z_0-9+:*-]+=/;
// What `getByTestId(value)` writes: `internal:testid=[attr="escaped"s]`.
const TEST_ID = /^internal:testid=\[([a-zA-Z_][\w-]*)="((?:[^"\\]|\\.)*)"s\]$/s;
// CSS the page cannot resolve as Playwright does even when the counts agree: a negation, where
// Playwright's engines look into shadow roots (`li:not(:has(a))` keeps other light elements),
// and escapes or comments, which could spell one.
const NOT_NATIVE_CSS = /\\|\/\*|:not\(/i;

/**
 * @returns the native query of a selector, or undefined when only Playwright can resolve it
 * (role, text, label engines, frames, filters, chains).
 * @example nativeQuery('internal:testid=[data-testid="save"s] >> nth=0') // { kind: 'testid', query: 'data-testid', value: 'save', nth: 0, base: 'internal:testid=[data-testid="save"s]' }
 */
export function nativeQuery(selector: string): NativeQuery | undefined {
  const picked = NTH.exec(selector);
  const base = (picked ? picked[1]! : selector).trim();
  const nth = picked ? Number(picked[2]) : undefined;
  if (!base || base.includes('>>')) return undefined;
  const of = (kind: NativeQuery['kind'], query: string): NativeQuery | undefined =>
    query.trim() ? { kind, query, base, ...(nth === undefined ? {} : { nth }) } : undefined;
  const testId = TEST_ID.exec(base);
  // Playwright's attribute parser reads `\x` as `x`.
  if (testId) return { ...of('testid', testId[1]!)!, value: testId[2]!.replace(/\\(.)/gs, '$1') };
  if (base.startsWith('xpath=')) return of('xpath', base.slice('xpath='.length));
  // Playwright's own rule: `//…`, `(//…)` and `..…` are XPath.
  if (/^\(*\/\//.test(base) || base.startsWith('..')) return of('xpath', base);
  const css = base.startsWith('css=') ? base.slice('css='.length) : base;
  // Another engine (`internal:role=…`, `text=…`, `id=…`) or a quoted text selector.
  if (css === base && (ENGINE.test(base) || base.startsWith('"') || base.startsWith("'"))) return undefined;
  return NOT_NATIVE_CSS.test(css) ? undefined : of('css', css);
}
