/**
 * In-page DOM helpers of the capture: style, geometry, visibility and the walk. Like every
 * `capture*.ts` factory this function is sent to the page as source text, so it must stay
 * self-contained (no imports at runtime, nothing from module scope). Caches live as long as
 * one capture: nothing is read twice, and since the page is never written to, only the first
 * geometry read lays the page out.
 */
export function captureDom() {
  /** Text fields are cut to this many characters. */
  const TEXT_CAP = 200;
  /** Elements that are not UI; their subtrees are skipped. */
  const SKIP = new Set('head script style meta link title base noscript template br wbr source track param'.split(' '));
  /** Elements whose children are not rendered as text. */
  const NO_TEXT = new Set(['select', 'textarea', 'iframe', 'frame', 'object', 'video', 'audio', 'canvas']);

  const collapse = (s: string) => s.replace(/\s+/g, ' ');
  const clean = (s: string | null | undefined, max = TEXT_CAP) => {
    const out = collapse(s ?? '').trim();
    return out.length > max ? out.slice(0, max) : out;
  };
  /** The parent element, or the shadow host from the top of a shadow tree. */
  const parentOf = (el: Element): Element | null =>
    el.parentElement ?? ((el.parentNode as ShadowRoot | null)?.host as Element | undefined) ?? null;
  // Cross-origin frames and parents throw or give null: the capture stops at them.
  const frameElementOf = (win: Window | null): Element | null => {
    try {
      return win?.frameElement ?? null;
    } catch {
      return null;
    }
  };
  const contentDocumentOf = (frame: Element): Document | null => {
    try {
      return (frame as HTMLIFrameElement).contentDocument;
    } catch {
      return null;
    }
  };

  // The two computed properties the capture reads, copied once (a live CSSStyleDeclaration is slow to read).
  type Style = { display: string; visibility: string };
  const styles = new Map<Element, Style>();
  const styleOf = (el: Element): Style => {
    let s = styles.get(el);
    if (!s) {
      const computed = el.ownerDocument.defaultView!.getComputedStyle(el);
      styles.set(el, (s = { display: computed.display, visibility: computed.visibility }));
    }
    return s;
  };

  // Page coordinates: client rects plus the offsets of the frames above, plus the top scroll.
  type Offset = { x: number; y: number };
  const offsets = new Map<Window, Offset>();
  const offsetOf = (win: Window): Offset => {
    let o = offsets.get(win);
    if (o) return o;
    const frame = frameElementOf(win); // none: coordinates stay relative to this frame
    const parentWin = frame?.ownerDocument.defaultView;
    if (frame && parentWin) {
      const parent = offsetOf(parentWin);
      const r = frame.getBoundingClientRect();
      const fs = parentWin.getComputedStyle(frame);
      o = {
        x: parent.x + r.left + frame.clientLeft + (parseFloat(fs.paddingLeft) || 0),
        y: parent.y + r.top + frame.clientTop + (parseFloat(fs.paddingTop) || 0),
      };
    } else {
      o = { x: win.scrollX, y: win.scrollY };
    }
    offsets.set(win, o);
    return o;
  };
  type Box = { l: number; t: number; r: number; b: number };
  const toPage = (rect: DOMRect, doc: Document): Box => {
    const o = offsetOf(doc.defaultView!);
    return { l: rect.left + o.x, t: rect.top + o.y, r: rect.right + o.x, b: rect.bottom + o.y };
  };
  const boxes = new Map<Element, Box>();
  const boxOf = (el: Element): Box => {
    let b = boxes.get(el);
    if (!b) boxes.set(el, (b = toPage(el.getBoundingClientRect(), el.ownerDocument)));
    return b;
  };
  const ranges = new Map<Document, Range>();
  const textNodeBox = (node: Text): Box | undefined => {
    const doc = node.ownerDocument;
    let range = ranges.get(doc);
    if (!range) ranges.set(doc, (range = doc.createRange()));
    range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    return rect.width > 0 && rect.height > 0 ? toPage(rect, doc) : undefined;
  };

  /** Playwright's notion: a non-empty box and `visibility: visible` (display:contents: any visible child). */
  const visibility = new Map<Element, boolean>();
  const isVisible = (el: Element): boolean => {
    const known = visibility.get(el);
    if (known !== undefined) return known;
    const style = styleOf(el);
    let visible: boolean;
    if (style.display === 'contents') {
      visible = false;
      for (let n = el.firstChild; n && !visible; n = n.nextSibling) {
        if (n.nodeType === 1) visible = isVisible(n as Element);
        else if (n.nodeType === 3 && /\S/.test((n as Text).data)) visible = !!textNodeBox(n as Text);
      }
    } else if (style.display === 'none' || style.visibility !== 'visible') {
      visible = false;
    } else {
      const b = boxOf(el);
      visible = b.r - b.l > 0 && b.b - b.t > 0 && (typeof el.checkVisibility !== 'function' || el.checkVisibility());
    }
    visibility.set(el, visible);
    return visible;
  };

  /** The nodes rendered inside an element: its open shadow tree, a slot's assigned nodes, or its children. */
  const renderedChildren = (el: Element): ArrayLike<Node> => {
    if (el.shadowRoot) return el.shadowRoot.childNodes;
    if (el.localName === 'slot') {
      const assigned = (el as HTMLSlotElement).assignedNodes({ flatten: true });
      if (assigned.length) return assigned;
    }
    return el.childNodes;
  };

  /** Document order: an element, its open shadow tree, its children, then a same-origin frame's document. */
  const walk = (el: Element, intoFrames: boolean, visit: (el: Element) => boolean) => {
    if (!visit(el)) return;
    const shadow = el.shadowRoot;
    if (shadow) for (let c = shadow.firstElementChild; c; c = c.nextElementSibling) walk(c, intoFrames, visit);
    for (let c = el.firstElementChild; c; c = c.nextElementSibling) walk(c, intoFrames, visit);
    if (intoFrames && (el.localName === 'iframe' || el.localName === 'frame')) {
      const doc = contentDocumentOf(el);
      if (doc?.documentElement) walk(doc.documentElement, intoFrames, visit);
    }
  };
  const isSvgChild = (el: Element) => el.namespaceURI === 'http://www.w3.org/2000/svg' && el.localName !== 'svg';

  return {
    TEXT_CAP,
    SKIP,
    NO_TEXT,
    collapse,
    clean,
    parentOf,
    frameElementOf,
    styleOf,
    boxOf,
    textNodeBox,
    isVisible,
    renderedChildren,
    walk,
    isSvgChild,
  };
}

export type CaptureDom = ReturnType<typeof captureDom>;
/** A box in page coordinates: left, top, right, bottom. */
export type PageBox = ReturnType<CaptureDom['boxOf']>;
