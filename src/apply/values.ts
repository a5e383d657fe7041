/**
 * The argument values of locator calls, as written in a spec or printed by `locator.toString()`,
 * compared by value (`"Save"` and `'Save'` are the same) and printed back as source. Pure.
 */

/** One call of a locator chain: `getByRole('button', { name: 'Save' })` is `{ name: 'getByRole', args: [...] }`. */
export type Link = { name: string; args: Value[] };

export type Value =
  | { kind: 'literal'; value: string | number | boolean | null | undefined }
  | { kind: 'regex'; source: string; flags: string }
  | { kind: 'object'; props: [string, Value][] }
  | { kind: 'array'; items: Value[] }
  /** A locator passed as an argument (`filter({ has: page.getByRole('img') })`). */
  | { kind: 'locator'; links: Link[] }
  /** A function's parameter: the function is called with many values, so it matches any; never printed. */
  | { kind: 'any' }
  /** An expression not known from the source alone (a call, a global): matches nothing. */
  | { kind: 'unknown' };

export const ANY: Value = { kind: 'any' };
export const UNKNOWN: Value = { kind: 'unknown' };
export const literal = (value: string | number | boolean | null | undefined): Value => ({ kind: 'literal', value });

/** Properties set to `undefined` count as absent, as they do for Playwright's options. */
const definedProps = (v: Extract<Value, { kind: 'object' }>) => v.props.filter(([, p]) => !(p.kind === 'literal' && p.value === undefined));

/**
 * Equal by value; `any` on either side matches anything. Object keys in any order.
 * @example sameValue(literal('Save'), literal('Save')) // true
 */
export function sameValue(a: Value, b: Value): boolean {
  if (a.kind === 'any' || b.kind === 'any') return true;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'unknown':
      return false;
    case 'literal':
      return Object.is(a.value, (b as typeof a).value);
    case 'regex':
      return a.source === (b as typeof a).source && [...a.flags].sort().join('') === [...(b as typeof a).flags].sort().join('');
    case 'array': {
      const items = (b as typeof a).items;
      return a.items.length === items.length && a.items.every((item, i) => sameValue(item, items[i]!));
    }
    case 'locator':
      return sameLinks(a.links, (b as typeof a).links);
    case 'object': {
      const left = definedProps(a);
      const right = new Map(definedProps(b as typeof a));
      return left.length === right.size && left.every(([key, value]) => right.has(key) && sameValue(value, right.get(key)!));
    }
  }
}

export const sameLink = (a: Link, b: Link): boolean => a.name === b.name && a.args.length === b.args.length && a.args.every((arg, i) => sameValue(arg, b.args[i]!));

export const sameLinks = (a: readonly Link[], b: readonly Link[]): boolean => a.length === b.length && a.every((link, i) => sameLink(link, b[i]!));

/** True when the value holds an `any` (or an unknown) somewhere: it cannot be written back as a literal. */
export function hasAny(value: Value): boolean {
  switch (value.kind) {
    case 'any':
    case 'unknown':
      return true;
    case 'object':
      return value.props.some(([, v]) => hasAny(v));
    case 'array':
      return value.items.some(hasAny);
    case 'locator':
      return value.links.some((link) => link.args.some(hasAny));
    default:
      return false;
  }
}

export type Quote = "'" | '"';

/** A string literal in the given quote style, escaped. */
export function quoteString(text: string, quote: Quote): string {
  const body = JSON.stringify(text).slice(1, -1);
  return quote === '"' ? `"${body}"` : `'${body.replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * A value as source text; `receiver` starts a locator argument (`page`). Undefined when it cannot
 * be printed (an `any`, a locator argument without a receiver).
 * @example printValue({ kind: 'object', props: [['name', literal('Save')]] }, "'") // "{ name: 'Save' }"
 */
export function printValue(value: Value, quote: Quote, receiver?: string): string | undefined {
  switch (value.kind) {
    case 'any':
    case 'unknown':
      return undefined;
    case 'literal':
      return typeof value.value === 'string' ? quoteString(value.value, quote) : String(value.value);
    case 'regex':
      return `/${value.source}/${value.flags}`;
    case 'array': {
      const items = value.items.map((item) => printValue(item, quote, receiver));
      return items.every((i) => i !== undefined) ? `[${items.join(', ')}]` : undefined;
    }
    case 'object': {
      const props = definedProps(value).map(([key, v]) => {
        const text = printValue(v, quote, receiver);
        return text === undefined ? undefined : `${IDENTIFIER.test(key) ? key : quoteString(key, quote)}: ${text}`;
      });
      if (props.some((p) => p === undefined)) return undefined;
      return props.length ? `{ ${props.join(', ')} }` : '{}';
    }
    case 'locator': {
      const links = printLinks(value.links, quote, receiver);
      return receiver === undefined || links === undefined ? undefined : `${receiver}.${links}`;
    }
  }
}

/** `getByRole('button', { name: 'Save' })`. */
export function printLink(link: Link, quote: Quote, receiver?: string): string | undefined {
  const args = link.args.map((arg) => printValue(arg, quote, receiver));
  return args.every((a) => a !== undefined) ? `${link.name}(${args.join(', ')})` : undefined;
}

/** Links joined with dots: `locator('#cart').first()`. */
export function printLinks(links: readonly Link[], quote: Quote, receiver?: string): string | undefined {
  const printed = links.map((link) => printLink(link, quote, receiver));
  return printed.every((p) => p !== undefined) ? printed.join('.') : undefined;
}
