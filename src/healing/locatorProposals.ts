import { z } from 'zod';
import type { Fingerprint } from './fingerprint.js';

/** Kinds of locator, in the order they are preferred. */
export const PROPOSAL_KINDS = ['testId', 'role', 'label', 'placeholder', 'altText', 'title', 'text', 'css', 'xpath'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

export const PROPOSAL_METHODS = [
  'getByTestId',
  'getByRole',
  'getByLabel',
  'getByPlaceholder',
  'getByAltText',
  'getByTitle',
  'getByText',
  'locator',
] as const;

/**
 * A Playwright locator in machine form: a method of `page` (or of a `FrameLocator`) and its
 * arguments. `expression` is the call as a user writes it; `basis` says what it rests on.
 */
export const locatorProposalSchema = z.object({
  kind: z.enum(PROPOSAL_KINDS),
  method: z.enum(PROPOSAL_METHODS),
  args: z.union([
    z.tuple([z.string()]),
    z.tuple([z.string(), z.object({ name: z.string().optional(), exact: z.boolean().optional() }).strict()]),
  ]),
  /** Scope for a repeated element: `getByRole('row').filter({ hasText: 'Alan' })` before the method. */
  within: z.object({ role: z.string(), hasText: z.string() }).optional(),
  expression: z.string(),
  basis: z.string(),
});
export type LocatorProposal = z.infer<typeof locatorProposalSchema>;

export interface ProposalOptions {
  /** Playwright's `testIdAttribute` (`use: { testIdAttribute }`); `getByTestId` only finds this one. Default `data-testid`. */
  testIdAttribute?: string;
}

/** Longest text, name or label worth writing into a locator. */
const MAX_TEXT = 80;
/** Test attributes other than the configured one, most common first (Playwright's generator uses the first three). */
const OTHER_TEST_ATTRIBUTES = ['data-testid', 'data-test-id', 'data-test', 'data-qa', 'data-cy', 'data-pw'];
const ROW_ROLES: Record<string, string> = { li: 'listitem', tr: 'row', article: 'article' };
const NAME_ATTRIBUTE_TAGS = new Set(['button', 'form', 'fieldset', 'iframe', 'frame', 'input', 'object', 'output', 'select', 'textarea']);
/** Classes that say what state an element is in, not what it is. */
export const STATE_CLASS = /^(is-|has-)|^(active|selected|disabled|enabled|focus(ed)?|hover(ed)?|open(ed)?|closed|show(n)?|hidden|visible|checked|current|collapsed|expanded|in|fade|ng-.*)$/i;

/**
 * A JavaScript string literal in single quotes, as Playwright's codegen writes it.
 * @example jsString("it's") // "'it\\'s'"
 */
export function jsString(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
  const escaped = value.replace(/[\\'\n\r\t\u2028\u2029\u0000-\u001f\u007f]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case "'":
        return "\\'";
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
  return `'${escaped}'`;
}

/**
 * A CSS identifier escaped per CSSOM `CSS.escape`.
 * @example `#${cssIdent('1st')}` // "#\\31 st"
 */
export function cssIdent(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charAt(i);
    const code = value.charCodeAt(i);
    if (code === 0) out += '\uFFFD';
    else if ((code >= 1 && code <= 0x1f) || code === 0x7f || (/[0-9]/.test(c) && (i === 0 || (i === 1 && value[0] === '-')))) {
      out += `\\${code.toString(16)} `;
    } else if (i === 0 && c === '-' && value.length === 1) out += '\\-';
    else if (code >= 0x80 || /[-_a-zA-Z0-9]/.test(c)) out += c;
    else out += `\\${c}`;
  }
  return out;
}

/**
 * A CSS string in double quotes, for attribute selectors.
 * @example `[name=${cssString('say "hi"')}]` // '[name="say \\"hi\\""]'
 */
export function cssString(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\a ').replace(/\r/g, '\\d ')}"`;
}

/**
 * True for ids and classes that look generated per build or per render (hashes, counters, React ids).
 * @example looksGenerated(':r1:') // true; looksGenerated('save-button') // false
 */
export function looksGenerated(token: string): boolean {
  if (/[:]|^\d|\d{3,}|(?=[0-9a-f]*\d)[0-9a-f]{8,}/i.test(token)) return true;
  // CSS-in-JS prefixes with a hash (styled-components `sc-bdVaJa`, emotion `css-1x2y3z`, `jsx-123`).
  const prefixed = /^(?:css|sc|jsx|svelte|emotion|styled|mui)-([a-zA-Z0-9]+)$/.exec(token);
  if (prefixed && /[0-9A-Z]/.test(prefixed[1]!)) return true;
  if (/__[a-zA-Z0-9_-]{5,}$/.test(token) && /\d/.test(token.slice(token.lastIndexOf('__')))) return true; // CSS modules
  // Many switches between letters and digits ("a1b2c3") read as a hash.
  const switches = token.match(/[a-z][0-9]|[0-9][a-z]/gi)?.length ?? 0;
  return switches >= 3;
}

/** A number with its usual trimmings (`3`, `(3)`, `$45.00`, `12%`, `#1001`). */
const EDGE_NUMBER = String.raw`[(\[]?[\p{Sc}#+\-−]?\d[\d.,:/]*%?[)\]]?`;
const LEADING_NUMBER = new RegExp(`^${EDGE_NUMBER}\\s+`, 'u');
const TRAILING_NUMBER = new RegExp(`\\s+${EDGE_NUMBER}$`, 'u');

/**
 * The name without a number at its start or end, when what is left has a letter: a part of the
 * name that Playwright's loose (substring) match still finds. Undefined when there is no such
 * number, or nothing worded is left.
 * @example withoutEdgeNumbers('Bag 3') // 'Bag'
 * @example withoutEdgeNumbers('Step 2 of 3') // 'Step 2 of'
 */
export function withoutEdgeNumbers(name: string): string | undefined {
  const steady = name.replace(LEADING_NUMBER, '').replace(TRAILING_NUMBER, '');
  return steady !== name && /\p{L}/u.test(steady) ? steady : undefined;
}

function clip(value: string | undefined): string | undefined {
  const text = value?.replace(/\s+/g, ' ').trim();
  return text && text.length <= MAX_TEXT ? text : undefined;
}

/** `//*[@id='x']/div[1]/a[2]` → `#x > div:nth-of-type(1) > a:nth-of-type(2)` (undefined if it is not that simple). */
function idXpathToCss(idXpath: string): string | undefined {
  const match = /^\/\/\*\[@id='([^']*)'\]((?:\/[a-z][a-z0-9-]*\[\d+\])*)$/.exec(idXpath);
  if (!match) return undefined;
  const [, id = '', rest = ''] = match;
  if (looksGenerated(id)) return undefined;
  const steps = rest.split('/').filter(Boolean);
  if (steps.length > 4) return undefined;
  const css = steps.map((s) => s.replace(/^([a-z][a-z0-9-]*)\[(\d+)\]$/, '$1:nth-of-type($2)'));
  return [`#${cssIdent(id)}`, ...css].join(' > ');
}

/**
 * Playwright locators for the element a fingerprint describes, best first: test id, role +
 * name, label, placeholder, alt text, title, text, then CSS (id, other test attributes…,
 * stable classes and attributes, a short structural path) and an absolute XPath. Each text
 * kind comes loose (Playwright's default, case-insensitive substring) then `exact`. None is
 * checked here: `chooseLocator` keeps the first that is unique in the page and finds the
 * same element.
 * @example locatorProposals({ tag: 'button', role: 'button', accessibleName: 'Save' })[0].expression
 * // "getByRole('button', { name: 'Save' })"
 */
export function locatorProposals(fp: Fingerprint, options: ProposalOptions = {}): LocatorProposal[] {
  const testIdAttribute = options.testIdAttribute ?? 'data-testid';
  const out: LocatorProposal[] = [];
  const seen = new Set<string>();
  const push = (proposal: Omit<LocatorProposal, 'expression'>) => {
    const [first, second] = proposal.args;
    const parts = [jsString(first)];
    if (second) {
      const fields = Object.entries(second).map(([k, v]) => `${k}: ${typeof v === 'string' ? jsString(v) : String(v)}`);
      parts.push(`{ ${fields.join(', ')} }`);
    }
    const scope = proposal.within
      ? `getByRole(${jsString(proposal.within.role)}).filter({ hasText: ${jsString(proposal.within.hasText)} }).`
      : '';
    const expression = `${scope}${proposal.method}(${parts.join(', ')})`;
    if (seen.has(expression)) return;
    seen.add(expression);
    out.push({ ...proposal, expression });
  };
  const css = (selector: string, basis: string) => push({ kind: 'css', method: 'locator', args: [selector], basis });
  const loose = (
    kind: 'label' | 'placeholder' | 'altText' | 'title' | 'text',
    method: 'getByLabel' | 'getByPlaceholder' | 'getByAltText' | 'getByTitle' | 'getByText',
    value: string | undefined,
    basis: string,
  ) => {
    const text = clip(value);
    if (!text) return;
    push({ kind, method, args: [text], basis });
    push({ kind, method, args: [text, { exact: true }], basis: `${basis}, exact` });
  };
  const tag = fp.tag ?? '*';
  const testIds = fp.testIds ?? {};
  const isFrame = tag === 'iframe' || tag === 'frame';

  const ownTestId = testIds[testIdAttribute];
  if (ownTestId) push({ kind: 'testId', method: 'getByTestId', args: [ownTestId], basis: testIdAttribute });
  // Playwright's own generator ranks the other common test attributes right after the configured one.
  const rank = (attribute: string) => {
    const i = OTHER_TEST_ATTRIBUTES.indexOf(attribute);
    return i < 0 ? OTHER_TEST_ATTRIBUTES.length : i;
  };
  const others = Object.keys(testIds)
    .filter((a) => a !== testIdAttribute)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const attribute of others) css(`[${attribute}=${cssString(testIds[attribute]!)}]`, attribute);
  if (isFrame) {
    // Frames are found by name or title first (Playwright's kIframeByAttributeScore).
    for (const attribute of ['name', 'title'] as const) if (fp[attribute]) css(`${tag}[${attribute}=${cssString(fp[attribute]!)}]`, attribute);
  }

  const role = fp.role && !['none', 'presentation', 'generic'].includes(fp.role) ? fp.role : undefined;
  const name = clip(fp.accessibleName);
  if (role && name && !isFrame) {
    // A name that starts or ends with a number ("Bag 3", "12 results") holds the page's state:
    // the rest of it, which the loose match still finds, is tried first.
    const steady = withoutEdgeNumbers(name);
    if (steady) push({ kind: 'role', method: 'getByRole', args: [role, { name: steady }], basis: 'role + accessible name without its number' });
    push({ kind: 'role', method: 'getByRole', args: [role, { name }], basis: 'role + accessible name' });
    push({ kind: 'role', method: 'getByRole', args: [role, { name, exact: true }], basis: 'role + accessible name, exact' });
    // A repeated element ("Delete" in every row): the row that holds a neighbour's text, the way
    // Playwright's docs write it. Only kept when unique and the same element, like any proposal.
    const rowAt = (fp.ancestors ?? []).slice(0, 4).findIndex((a) => ROW_ROLES[a.tag]);
    const rowRole = rowAt >= 0 ? ROW_ROLES[fp.ancestors![rowAt]!.tag] : undefined;
    for (const hasText of new Set([clip(fp.neighbors?.left), clip(fp.neighbors?.right)])) {
      if (rowRole && hasText && hasText !== name) {
        push({ kind: 'role', method: 'getByRole', args: [role, { name }], within: { role: rowRole, hasText }, basis: `role + accessible name in the ${rowRole} with "${hasText}"` });
      }
    }
  }
  loose('label', 'getByLabel', fp.label, 'label');
  if (tag === 'input' || tag === 'textarea') loose('placeholder', 'getByPlaceholder', fp.placeholder, 'placeholder');
  if (['img', 'area', 'input'].includes(tag)) loose('altText', 'getByAltText', fp.alt, 'alt');
  loose('title', 'getByTitle', fp.title, 'title');
  // Text with digits is often data (a price, a total, "2 errors") that changes with the page's
  // state, so a stable id is tried before it.
  const shownText = fp.visibleText ?? fp.text;
  const textFits = !['input', 'textarea', 'select'].includes(tag) && !isFrame;
  const dataLike = /\d/.test(shownText ?? '');
  if (textFits && !dataLike) loose('text', 'getByText', shownText, 'text');

  if (fp.id && !looksGenerated(fp.id)) css(`#${cssIdent(fp.id)}`, 'id');
  if (textFits && dataLike) loose('text', 'getByText', shownText, 'text');
  if (role && !isFrame) push({ kind: 'role', method: 'getByRole', args: [role], basis: 'role' });
  if (fp.name && NAME_ATTRIBUTE_TAGS.has(tag)) css(`${tag}[name=${cssString(fp.name)}]`, 'name attribute');
  const classes = (fp.classes ?? []).filter((c) => !looksGenerated(c) && !STATE_CLASS.test(c)).slice(0, 3);
  if (classes.length) css(`${tag}${classes.map((c) => `.${cssIdent(c)}`).join('')}`, 'classes');
  if (fp.type && (tag === 'input' || tag === 'button') && fp.type !== 'hidden') css(`${tag}[type=${cssString(fp.type)}]`, 'type');
  if (fp.href && tag === 'a') css(`a[href=${cssString(fp.href)}]`, 'href');
  if (fp.src && !fp.src.startsWith('data:') && fp.src.length <= 200) css(`${tag}[src=${cssString(fp.src)}]`, 'src');
  if (fp.idXpath) {
    const path = idXpathToCss(fp.idXpath);
    if (path) css(path, 'path from id');
  }
  // Playwright's CSS descendant combinator pierces open shadow roots: scope by the host's id.
  const host = /^([a-z][a-z0-9-]*)#(.+)$/.exec(fp.shadowPath?.at(-1) ?? '');
  if (host && !looksGenerated(host[2]!)) {
    const scope = `${host[1]}#${cssIdent(host[2]!)}`;
    css(`${scope} ${tag}${classes.map((c) => `.${cssIdent(c)}`).join('')}`, 'shadow host id + element');
  }
  // XPath does not pierce shadow roots; inside one the path is relative to the shadow root.
  if (fp.xpath && !fp.shadowPath?.length) push({ kind: 'xpath', method: 'locator', args: [`xpath=${fp.xpath}`], basis: 'absolute xpath' });
  return out;
}

/**
 * The code a user writes for a proposal, on `page` or on the receiver of a frame chain.
 * @example proposalCode(proposal) // "page.getByRole('button', { name: 'Save' })"
 * @example proposalCode(proposal, "page.locator('#pay').contentFrame()") // "page.locator('#pay').contentFrame().getByText('Pay')"
 */
export function proposalCode(proposal: LocatorProposal, receiver = 'page'): string {
  return `${receiver}.${proposal.expression}`;
}
