import type { CaptureDom } from './captureDom.js';
import type { Fingerprint } from './fingerprint.js';

type Ancestor = NonNullable<Fingerprint['ancestors']>[number];

/**
 * In-page paths of the capture (sent to the page as source text: self-contained, see
 * captureDom): XPaths, the frame chain, the shadow path and the ancestor path. All are
 * memoised per element, so a page costs one pass whatever its depth.
 *
 * XPaths are relative to the element's own document (a frame's document for elements in a
 * frame) or, inside a shadow tree, to its shadow root: `frames` and `shadowPath` say which.
 */
export function capturePaths(dom: CaptureDom) {
  const { parentOf, frameElementOf } = dom;

  // Position among same-tag siblings, computed for all children of a parent at once (no O(n²)).
  const positions = new Map<Element, number>();
  const positionOf = (el: Element) => {
    const known = positions.get(el);
    if (known !== undefined) return known;
    const parent = el.parentNode;
    if (!parent) return 1;
    const counts = new Map<string, number>();
    for (let c = (parent as ParentNode).firstElementChild; c; c = c.nextElementSibling) {
      const n = (counts.get(c.nodeName) ?? 0) + 1;
      counts.set(c.nodeName, n);
      positions.set(c, n);
    }
    return positions.get(el) ?? 1;
  };
  const step = (el: Element) =>
    el.namespaceURI === 'http://www.w3.org/1999/xhtml'
      ? `${el.localName}[${positionOf(el)}]`
      : `*[name()='${el.localName}'][${positionOf(el)}]`;
  const xpaths = new Map<Element, string>();
  /** `/html[1]/body[1]/div[2]`. */
  const xpathOf = (el: Element): string => {
    let x = xpaths.get(el);
    if (x === undefined) {
      x = `${el.parentElement ? xpathOf(el.parentElement) : ''}/${step(el)}`;
      xpaths.set(el, x);
    }
    return x;
  };
  const xpathLiteral = (s: string) =>
    !s.includes("'") ? `'${s}'` : !s.includes('"') ? `"${s}"` : `concat('${s.split("'").join(`', "'", '`)}')`;
  const idXpaths = new Map<Element, string>();
  /** `//*[@id='x']/div[1]/a[2]` from the nearest element (itself included) with an id; '' when none. */
  const idXpathOf = (el: Element): string => {
    let x = idXpaths.get(el);
    if (x === undefined) {
      if (el.id) x = `//*[@id=${xpathLiteral(el.id)}]`;
      else {
        const base = el.parentElement ? idXpathOf(el.parentElement) : '';
        x = base ? `${base}/${step(el)}` : '';
      }
      idXpaths.set(el, x);
    }
    return x;
  };

  const hostStep = (el: Element) => {
    const classes = Array.from(el.classList).slice(0, 2);
    return el.id ? `${el.localName}#${el.id}` : classes.length ? `${el.localName}.${classes.join('.')}` : el.localName;
  };
  const frameStep = (el: Element) => {
    const attr = (name: string) => {
      const v = el.getAttribute(name);
      return v ? `${el.localName}[${name}="${v.replace(/["\\]/g, '\\$&')}"]` : '';
    };
    return (
      attr('name') || attr('src') || (el.id ? `${el.localName}#${el.id}` : '') || attr('title') ||
      `${el.localName}:nth-of-type(${positionOf(el)})`
    );
  };
  const frameChains = new Map<Document, string[]>();
  /** The iframes from the top page down to this document: `iframe[name="pay"]`, `iframe[src="/card"]`, … */
  const framesOf = (doc: Document): string[] => {
    let chain = frameChains.get(doc);
    if (chain) return chain;
    const frame = frameElementOf(doc.defaultView);
    chain = frame ? [...framesOf(frame.ownerDocument), frameStep(frame)] : [];
    frameChains.set(doc, chain);
    return chain;
  };
  const shadowPaths = new Map<Node, string[]>();
  /** The shadow hosts from the document down to the element's shadow root: `user-card#card-2`, … */
  const shadowPathOf = (el: Element): string[] => {
    const root = el.getRootNode();
    let path = shadowPaths.get(root);
    if (path) return path;
    const host = (root as ShadowRoot).host;
    path = host ? [...shadowPathOf(host), hostStep(host)] : [];
    shadowPaths.set(root, path);
    return path;
  };

  const ancestorEntries = new Map<Element, Ancestor>();
  const ancestorOf = (el: Element): Ancestor => {
    let a = ancestorEntries.get(el);
    if (!a) {
      a = { tag: el.localName };
      if (el.id) a.id = el.id;
      if (el.classList.length) a.classes = Array.from(el.classList).slice(0, 10);
      ancestorEntries.set(el, a);
    }
    return a; // shared by the fingerprints of all descendants
  };
  /** Up to six ancestors, nearest first, crossing shadow roots to their hosts. */
  const ancestorsOf = (el: Element): Ancestor[] => {
    const out: Ancestor[] = [];
    for (let p = parentOf(el); p && out.length < 6; p = parentOf(p)) out.push(ancestorOf(p));
    return out;
  };

  return { xpathOf, idXpathOf, framesOf, shadowPathOf, ancestorsOf };
}

export type CapturePaths = ReturnType<typeof capturePaths>;
