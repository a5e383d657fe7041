/**
 * The links of a chained Playwright selector (`page.getByTestId('card').filter({ hasText: 'Lamp' })
 * .getByRole('button')` is `internal:testid=… >> internal:has-text=… >> internal:role=…`), so a
 * chain can be healed at the first link that fails while the rest is kept (DESIGN.md, "Lists
 * and chains"). Pure.
 */

/**
 * The top-level links of a selector: split at `>>` outside quotes and brackets.
 * @example selectorLinks('#list >> internal:has-text="a >> b"i >> nth=0') // ['#list', 'internal:has-text="a >> b"i', 'nth=0']
 */
export function selectorLinks(selector: string): string[] {
  const links: string[] = [];
  let quote: string | undefined;
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && c === '>' && selector[i + 1] === '>') {
      links.push(selector.slice(start, i).trim());
      start = i + 2;
      i++;
    }
  }
  links.push(selector.slice(start).trim());
  return links.filter((link) => link.length > 0);
}

/** Joins links back into a selector that `page.locator()` accepts. */
export const joinLinks = (links: readonly string[]): string => links.join(' >> ');

/** A link that picks by position (`nth=1`, from `first()`, `last()`, `nth()`): a list's, not an element's. */
export const isPositionLink = (link: string): boolean => /^nth=/.test(link);

/** A link that crosses into a frame: the prefix before it is an iframe, not a scope to search in. */
export const isFrameLink = (link: string): boolean => link.startsWith('internal:control=enter-frame');

/**
 * The proper prefixes of a chain worth a fingerprint of their own, longest first: every prefix
 * that ends on an element link, in chains without frames (relocation already searches frames),
 * and not just before a position link (a list: healed as a set).
 * @example chainPrefixes('a >> b >> c') // ['a >> b', 'a']
 */
export function chainPrefixes(selector: string): string[] {
  const links = selectorLinks(selector);
  if (links.length < 2 || links.some(isFrameLink)) return [];
  const prefixes: string[] = [];
  for (let end = links.length - 1; end >= 1; end--) {
    if (isPositionLink(links[end]!)) continue;
    prefixes.push(joinLinks(links.slice(0, end)));
  }
  return prefixes;
}
