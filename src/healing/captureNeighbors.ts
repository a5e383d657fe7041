import type { CaptureDom, PageBox } from './captureDom.js';
import type { Fingerprint } from './fingerprint.js';

/**
 * In-page neighbour texts of the capture (sent to the page as source text: self-contained,
 * see captureDom). Text items are the visible text-bearing elements (a whole element when it
 * holds only text, else one item per text node, so "Buy milk" in `<li>Buy milk <button>` is
 * left of the button). Items go into a grid of CELL-pixel buckets; an element only looks at
 * the buckets beside it, so a page costs O(n) and not O(n²).
 */
export function captureNeighbors(dom: CaptureDom) {
  const { NO_TEXT, clean, parentOf, styleOf, boxOf, textNodeBox, isVisible } = dom;
  const TEXT_CAP = 80;
  const RANGE = 300; // px: a farther text is no neighbour in that direction
  const ANY_RANGE = 150; // px: radius for `any`
  const CELL = 128; // px
  const TOLERANCE = 4; // px of overlap still counted as "beside"

  type Item = PageBox & { text: string; owner: Element; doc: Document; inShadow: boolean; stamp: number };
  const items: Item[] = [];
  /** The cells an item's box goes into in the grid (at most 33 × 33). */
  const cellsOf = (b: PageBox, visit: (cx: number, cy: number) => boolean | void) => {
    const x0 = Math.floor(b.l / CELL), x1 = Math.min(Math.floor(b.r / CELL), x0 + 32);
    const y0 = Math.floor(b.t / CELL), y1 = Math.min(Math.floor(b.b / CELL), y0 + 32);
    for (let cx = x0; cx <= x1; cx++) for (let cy = y0; cy <= y1; cy++) if (visit(cx, cy) === true) return true;
    return false;
  };
  /** The cell ranges `nearby` scans for a box: the ring around it and the four bands beside it (clipped for huge boxes). */
  const scansOf = (b: PageBox, visit: (x0: number, x1: number, y0: number, y1: number) => void) => {
    const cx = Math.floor((b.l + b.r) / 2 / CELL), cy = Math.floor((b.t + b.b) / 2 / CELL);
    const scan = (l: number, t: number, r: number, bottom: number) =>
      visit(
        Math.max(Math.floor(l / CELL), cx - 12), Math.min(Math.floor(r / CELL), cx + 12),
        Math.max(Math.floor(t / CELL), cy - 12), Math.min(Math.floor(bottom / CELL), cy + 12),
      );
    scan(b.l - ANY_RANGE, b.t - ANY_RANGE, b.r + ANY_RANGE, b.b + ANY_RANGE);
    scan(b.l, b.t - RANGE, b.r, b.t);
    scan(b.l, b.b, b.r, b.b + RANGE);
    scan(b.l - RANGE, b.t, b.l, b.b);
    scan(b.r, b.t, b.r + RANGE, b.b);
  };
  // With `only`, items outside every cell `nearby` will scan are left out: they can be no one's neighbour.
  let only: Map<number, Set<number>> | undefined;
  /** Keep only the items `nearby` can find for these boxes (call before adding items). */
  const onlyNear = (boxes: PageBox[]) => {
    only = new Map();
    for (const b of boxes) {
      scansOf(b, (x0, x1, y0, y1) => {
        for (let x = x0; x <= x1; x++) {
          let column = only!.get(x);
          if (!column) only!.set(x, (column = new Set()));
          for (let y = y0; y <= y1; y++) column.add(y);
        }
      });
    }
  };
  const wanted = (b: PageBox) => {
    if (!only) return true;
    const x0 = Math.floor(b.l / CELL), x1 = Math.min(Math.floor(b.r / CELL), x0 + 32);
    const y0 = Math.floor(b.t / CELL), y1 = Math.min(Math.floor(b.b / CELL), y0 + 32);
    for (let cx = x0; cx <= x1; cx++) {
      const column = only.get(cx);
      if (column) for (let cy = y0; cy <= y1; cy++) if (column.has(cy)) return true;
    }
    return false;
  };
  const NON_BLANK = /\S/;
  /**
   * Adds the texts of a visible element. With `checkVisible`, the element may be any: its
   * visibility is read only when one of its texts lies where a neighbour is looked for.
   */
  const addTextItems = (el: Element, checkVisible = false) => {
    const tag = el.localName;
    if (NO_TEXT.has(tag) || tag === 'option') return;
    // Runs for every text-bearing element of a page: no arrays or objects until an item is kept.
    const found: (PageBox & { text: string })[] = [];
    if (!el.firstElementChild && !el.shadowRoot) {
      let text: string | undefined;
      for (let n = el.firstChild; n; n = n.nextSibling) {
        if (n.nodeType !== 3) continue;
        const data = (n as Text).data;
        if (NON_BLANK.test(data)) text = text === undefined ? data : `${text} ${data}`;
      }
      if (text === undefined) return;
      const box = boxOf(el);
      if (!wanted(box)) return;
      found.push({ l: box.l, t: box.t, r: box.r, b: box.b, text: clean(text, TEXT_CAP) });
    } else {
      for (let n = el.firstChild; n; n = n.nextSibling) {
        if (n.nodeType !== 3) continue;
        const data = (n as Text).data;
        if (!NON_BLANK.test(data)) continue;
        const box = textNodeBox(n as Text);
        if (box && wanted(box)) found.push({ l: box.l, t: box.t, r: box.r, b: box.b, text: clean(data, TEXT_CAP) });
      }
    }
    if (!found.length || styleOf(el).visibility !== 'visible' || (checkVisible && !isVisible(el))) return;
    const doc = el.ownerDocument;
    const inShadow = el.getRootNode() !== doc;
    for (const f of found) items.push({ l: f.l, t: f.t, r: f.r, b: f.b, text: f.text, owner: el, doc, inShadow, stamp: 0 });
  };
  const inside = (el: Element, item: Item) => {
    if (item.owner === el || el.contains(item.owner)) return true;
    if (!item.inShadow) return false;
    for (let n = parentOf(item.owner); n; n = parentOf(n)) if (n === el) return true;
    return false;
  };

  // Columns of cells: grid.get(cx).get(cy). Two small-integer keys hash much faster than one
  // combined key, which would not fit a small integer.
  const grid = new Map<number, Map<number, Item[]>>();
  /** Puts every item added so far into the grid; call once, before `nearby`. */
  const index = () => {
    for (const item of items) {
      cellsOf(item, (cx, cy) => {
        let column = grid.get(cx);
        if (!column) grid.set(cx, (column = new Map()));
        const cell = column.get(cy);
        if (cell) cell.push(item);
        else column.set(cy, [item]);
      });
    }
  };
  let stamp = 0;
  const found: Item[] = []; // reused: `nearby`'s result is read before the next call
  /** Items in the four bands beside the box and in the ring around it (clipped for huge boxes). */
  const nearby = (b: PageBox): Item[] => {
    stamp++;
    found.length = 0;
    scansOf(b, (x0, x1, y0, y1) => {
      for (let x = x0; x <= x1; x++) {
        const column = grid.get(x);
        if (!column) continue;
        for (let y = y0; y <= y1; y++) {
          const cell = column.get(y);
          if (!cell) continue;
          for (const item of cell) {
            if (item.stamp !== stamp) {
              item.stamp = stamp;
              found.push(item);
            }
          }
        }
      }
    });
    return found;
  };

  /** The nearest text in each direction (overlapping on the other axis) and the closest few around. */
  const neighborsOf = (el: Element, pool: Item[] = items): Fingerprint['neighbors'] => {
    const b = boxOf(el);
    const doc = el.ownerDocument;
    let left: Item | undefined, right: Item | undefined, above: Item | undefined, below: Item | undefined;
    let dLeft = Infinity, dRight = Infinity, dAbove = Infinity, dBelow = Infinity;
    const near: { d: number; text: string }[] = []; // the closest few, sorted
    for (const item of pool) {
      if (item.doc !== doc) continue;
      const gx = Math.max(0, item.l - b.r, b.l - item.r), gy = Math.max(0, item.t - b.b, b.t - item.b);
      // Only a box that touches this one can be its own content (overflowing descendants aside).
      if (gx === 0 && gy === 0 && inside(el, item)) continue;
      if (item.t < b.b && item.b > b.t) {
        const dl = b.l - item.r, dr = item.l - b.r;
        if (item.r <= b.l + TOLERANCE) {
          if (dl <= RANGE && dl < dLeft) {
            left = item;
            dLeft = dl;
          }
        } else if (item.l >= b.r - TOLERANCE && dr <= RANGE && dr < dRight) {
          right = item;
          dRight = dr;
        }
      }
      if (item.l < b.r && item.r > b.l) {
        const da = b.t - item.b, db = item.t - b.b;
        if (item.b <= b.t + TOLERANCE) {
          if (da <= RANGE && da < dAbove) {
            above = item;
            dAbove = da;
          }
        } else if (item.t >= b.b - TOLERANCE && db <= RANGE && db < dBelow) {
          below = item;
          dBelow = db;
        }
      }
      const distance = gx === 0 ? gy : gy === 0 ? gx : Math.sqrt(gx * gx + gy * gy);
      if (distance <= ANY_RANGE && (near.length < 8 || distance < near[7]!.d)) {
        let i = near.length;
        while (i > 0 && near[i - 1]!.d > distance) i--;
        near.splice(i, 0, { d: distance, text: item.text });
        if (near.length > 8) near.pop();
      }
    }
    const out: NonNullable<Fingerprint['neighbors']> = {};
    if (above) out.above = above.text;
    if (below) out.below = below.text;
    if (left) out.left = left.text;
    if (right) out.right = right.text;
    const any = [...new Set(near.map((n) => n.text))].slice(0, 5);
    if (any.length) out.any = any.join(' | ');
    return above || below || left || right || any.length ? out : undefined;
  };

  return { addTextItems, onlyNear, index, nearby, neighborsOf };
}

export type CaptureNeighbors = ReturnType<typeof captureNeighbors>;
