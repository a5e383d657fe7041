// Parent/child relations among the candidates of one page, from their absolute XPaths. An
// element and its direct parent or child that show the same text are often "the same widget"
// (a link and its <li>, a button and its <span>): they share text and place, so the ranker's probability is split
// between them although either would be a near-miss rather than a different element. The
// decision (rank.ts) credits the pick with its family's share and measures the margin against
// the strongest candidate outside it.

/** The XPath of a candidate's context, so relations never cross a frame or a shadow root. */
type Located = {
  xpath?: string | undefined;
  frames?: readonly string[] | undefined;
  shadowPath?: readonly string[] | undefined;
  text?: string | undefined;
  visibleText?: string | undefined;
};

function scope(c: Located): string {
  return `${(c.frames ?? []).join('\u0000')}\u0001${(c.shadowPath ?? []).join('\u0000')}\u0001`;
}

/**
 * For each candidate, the row of its direct parent among the candidates (−1: not among them,
 * or no XPath). `/html[1]/body[1]/ul[1]/li[2]` is the parent of `/html[1]/body[1]/ul[1]/li[2]/a[1]`.
 * @example parentRows([{ xpath: '/html[1]/body[1]' }, { xpath: '/html[1]/body[1]/a[1]' }]) // Int32Array [-1, 0]
 */
export function parentRows(candidates: readonly Located[]): Int32Array {
  const rowOf = new Map<string, number>();
  candidates.forEach((c, i) => {
    if (c.xpath && !rowOf.has(scope(c) + c.xpath)) rowOf.set(scope(c) + c.xpath, i);
  });
  return Int32Array.from(candidates, (c) => {
    const cut = c.xpath ? c.xpath.lastIndexOf('/') : -1;
    if (cut <= 0) return -1;
    const parent = rowOf.get(scope(c) + c.xpath!.slice(0, cut)) ?? -1;
    return parent >= 0 && sameText(candidates[parent]!, c) ? parent : -1;
  });
}

const shown = (c: Located) => (c.visibleText ?? c.text ?? '').replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * A parent and child are one widget only when they show the same text (a link and its <li>,
 * an icon and its button); a wrapper that shows more (a layout around a list and its summary) is
 * another element.
 */
function sameText(parent: Located, child: Located): boolean {
  return shown(parent) === shown(child);
}

/**
 * The rows that are `row`'s direct parent or one of its direct children (`row` itself excluded).
 * @example familyOf(Int32Array.from([-1, 0, 0]), 0) // [1, 2]
 */
export function familyOf(parents: ArrayLike<number>, row: number): number[] {
  const family: number[] = [];
  const parent = parents[row] ?? -1;
  for (let i = 0; i < parents.length; i++) if (i !== row && (i === parent || parents[i] === row)) family.push(i);
  return family;
}

/**
 * Whether one element is the other's direct parent (same frame and shadow root).
 * @example directlyRelated({ xpath: '/html[1]/body[1]/h2[1]' }, { xpath: '/html[1]/body[1]/h2[1]/a[1]' }) // true
 */
export function directlyRelated(a: Located, b: Located): boolean {
  return kinship(a, b) !== undefined;
}

/**
 * What `b` is to `a`: its direct `parent`, its direct `child`, or neither (undefined); both in
 * one frame and shadow root.
 * @example kinship({ xpath: '/html[1]/body[1]/a[1]' }, { xpath: '/html[1]/body[1]/a[1]/span[1]' }) // 'child'
 */
export function kinship(a: Located, b: Located): 'parent' | 'child' | undefined {
  if (!a.xpath || !b.xpath || scope(a) !== scope(b)) return undefined;
  const parentOf = (x: string) => x.slice(0, Math.max(0, x.lastIndexOf('/')));
  if (parentOf(a.xpath) === b.xpath) return 'parent';
  if (parentOf(b.xpath) === a.xpath) return 'child';
  return undefined;
}
