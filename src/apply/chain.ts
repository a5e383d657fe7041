import type * as TS from 'typescript';
import { argOf, unwrap } from './args.js';
import type { TypeScript } from './typescript.js';
import type { Link } from './values.js';

/** The methods that make a locator from a page, a frame or a locator: a chain is made of these. */
export const LOCATOR_METHODS: ReadonlySet<string> = new Set([
  'locator',
  'getByRole',
  'getByText',
  'getByLabel',
  'getByPlaceholder',
  'getByAltText',
  'getByTitle',
  'getByTestId',
  'filter',
  'first',
  'last',
  'nth',
  'and',
  'or',
  'frameLocator',
  'contentFrame',
  'owner',
]);

/** The links of a call chain written in `code`, or undefined when it is not one (or has a non-literal argument). */
function linksOf(ts: TypeScript, expression: TS.Expression): Link[] | undefined {
  const node = unwrap(ts, expression);
  if (!ts.isCallExpression(node)) return undefined;
  const callee = unwrap(ts, node.expression);
  let name: string;
  let before: Link[] = [];
  if (ts.isIdentifier(callee)) name = callee.text;
  else if (ts.isPropertyAccessExpression(callee)) {
    name = callee.name.text;
    const receiver = unwrap(ts, callee.expression);
    // The receiver is the page (`page.`, `this.page.`) or more links.
    if (ts.isCallExpression(receiver)) {
      const inner = linksOf(ts, receiver);
      if (!inner) return undefined;
      before = inner;
    } else if (!ts.isIdentifier(receiver) && !ts.isPropertyAccessExpression(receiver) && receiver.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  } else return undefined;
  if (!LOCATOR_METHODS.has(name)) return undefined;
  let literalOnly = true;
  const args = node.arguments.map(
    (arg) =>
      argOf(ts, arg, (inner) => {
        const links = ts.isCallExpression(inner) ? linksOf(ts, inner) : undefined;
        if (links) return { value: { kind: 'locator', links }, node: inner };
        literalOnly = false;
        return undefined;
      }).value,
  );
  return literalOnly ? [...before, { name, args }] : undefined;
}

/**
 * A locator as Playwright prints it (`locator.toString()`, with or without `page.`) as links.
 * Undefined when the text is not a chain of locator calls with literal arguments.
 * @example parseChain(ts, "locator('#cart').getByRole('button', { name: 'Checkout' })")
 * // [{ name: 'locator', args: [#cart] }, { name: 'getByRole', args: ['button', { name: 'Checkout' }] }]
 */
export function parseChain(ts: TypeScript, code: string): Link[] | undefined {
  const file = ts.createSourceFile('chain.ts', `(${code});`, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  if ((file as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length) return undefined;
  const statement = file.statements[0];
  if (file.statements.length !== 1 || !statement || !ts.isExpressionStatement(statement)) return undefined;
  return linksOf(ts, statement.expression);
}

/**
 * What a heal changes in a chain: the links before `prefix` and the last `suffix` links are the
 * same in both; the rest of `from` becomes the rest of `to`.
 * @example changedSpan([a, b, c], [a, x, c]) // { prefix: 1, suffix: 1 }
 */
export function changedSpan(from: readonly Link[], to: readonly Link[], same: (a: Link, b: Link) => boolean): { prefix: number; suffix: number } {
  let prefix = 0;
  while (prefix < from.length && prefix < to.length && same(from[prefix]!, to[prefix]!)) prefix++;
  let suffix = 0;
  while (suffix < from.length - prefix && suffix < to.length - prefix && same(from[from.length - 1 - suffix]!, to[to.length - 1 - suffix]!)) suffix++;
  return { prefix, suffix };
}

const AUTO_XPATH = /^(\/\/|\.\.)/;

/** `locator('xpath=//a')` is `locator('//a')` and `locator('css=.a')` is `locator('.a')`, as Playwright reads (and prints) them. */
function normalizeLink(link: Link): Link {
  const first = link.args[0];
  if (link.name !== 'locator' || first?.kind !== 'literal' || typeof first.value !== 'string') return link;
  const text = first.value;
  const body = text.startsWith('xpath=') && AUTO_XPATH.test(text.slice(6)) ? text.slice(6) : text.startsWith('css=') && !AUTO_XPATH.test(text.slice(4)) ? text.slice(4) : text;
  return body === text ? link : { ...link, args: [{ kind: 'literal', value: body }, ...link.args.slice(1)] };
}

/**
 * Links written differently that Playwright reads the same, written one way (`xpath=` and
 * `css=` prefixes it does not need dropped), for comparing a spec's chain with a printed one.
 * @example normalizeLinks(parseChain(ts, "locator('xpath=//li')")!) // as parseChain(ts, "locator('//li')")
 */
export const normalizeLinks = (links: readonly Link[]): Link[] => links.map(normalizeLink);
