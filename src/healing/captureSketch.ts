import type { CaptureDom } from './captureDom.js';
import type { CaptureText } from './captureText.js';
import type { Sketch } from './prefilter.js';

/**
 * The light first pass of relocation (sent to the page as source text: self-contained, see
 * captureDom). It walks every element of a page once and keeps what the prefilter reads that
 * costs no style or layout: attributes, own text, the text of the subtree (built bottom-up,
 * tag-based spacing instead of computed display), role, ARIA and <label> names, the XPath and
 * the two nearest ancestors. On a page of 5,000 elements the style, box and accessible-name
 * reads of a full capture are most of its cost; here they wait for the shortlist.
 *
 * A sketch is close to, not equal to, the element's fingerprint: `visibleText` holds hidden
 * descendants' text too, `accessibleName` only aria-label / aria-labelledby, `label` the
 * labels' textContent, and there is no box. The prefilter is built for recall, so a few more
 * words only bring a candidate up.
 */
export function captureSketch(dom: CaptureDom, text: Pick<CaptureText, 'ownText' | 'roleOf' | 'labelsOf'>) {
  const { TEXT_CAP, SKIP, NO_TEXT, collapse, clean, isSvgChild } = dom;
  const { roleOf, labelsOf } = text;
  const TEST_ID = /^data-(test|qa|cy|pw|e2e)|^data-automation-id$/;
  const INLINE = new Set(
    ('a abbr b bdi bdo button cite code data dfn em font i img input kbd label mark q s samp select small span ' +
      'strong sub sup time u var').split(' '),
  );
  const LABELABLE = new Set(['input', 'select', 'textarea', 'button', 'meter', 'output', 'progress']);
  const SECRET_TYPES = new Set(['password', 'hidden']);

  const attrOf = (el: Element, name: string) => {
    const v = el.getAttribute(name);
    return v === null || v === '' ? undefined : v;
  };
  const literal = (s: string) => (!s.includes("'") ? `'${s}'` : !s.includes('"') ? `"${s}"` : '');

  /**
   * Every element under `root` in document order (the walk of captureDom: open shadow roots,
   * same-origin frames; SKIP subtrees and SVG internals left out), its sketch, and the elements
   * that own a non-blank text node (where neighbour texts come from).
   */
  const sketchAll = (root: Element, testIdAttribute: string, max: number) => {
    const elements: Element[] = [];
    const sketches: Sketch[] = [];
    const textOwners: Element[] = [];
    const frameDoc = (el: Element): Document | null => {
      try {
        return (el as HTMLIFrameElement).contentDocument;
      } catch {
        return null;
      }
    };
    // Returns the element's text, for its parent's (cut a little after TEXT_CAP).
    const visit = (el: Element, xpath: string, anchor: string, parent: Sketch | undefined, grand: Sketch | undefined): string => {
      const tag = el.localName;
      let own = '';
      for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 3) own += (n as Text).data;
      const ownClean = own ? clean(own) : '';
      if (ownClean) textOwners.push(el);
      // The sketch doubles as the ancestor entry of the children (the prefilter reads only its id and classes there).
      const sketch: Sketch = { tag };
      const id = el.id;
      if (id) sketch.id = id;
      if (el.classList.length) sketch.classes = Array.from(el.classList);
      const candidate = tag !== 'html' && tag !== 'slot';
      if (candidate) {
        elements.push(el);
        sketches.push(sketch);
      }
      // Children in the walk's order: shadow tree, light children, a frame's document (XPaths restart in both).
      let out = '';
      const children = (first: Element | null, base: string, childAnchor: string, texts: string[] | undefined) => {
        const counts = new Map<string, number>();
        for (let c = first; c; c = c.nextElementSibling) {
          const position = (counts.get(c.nodeName) ?? 0) + 1;
          counts.set(c.nodeName, position);
          const ctag = c.localName;
          let t = '';
          if (elements.length < max && !SKIP.has(ctag) && !isSvgChild(c)) {
            const step = c.namespaceURI === 'http://www.w3.org/1999/xhtml' ? `${ctag}[${position}]` : `*[name()='${ctag}'][${position}]`;
            t = visit(c, `${base}/${step}`, childAnchor, sketch, parent);
            if (t && !INLINE.has(ctag)) t = ` ${t} `;
          }
          if (texts) texts.push(t);
          else if (out.length <= TEXT_CAP) out += t;
        }
      };
      const shadow = el.shadowRoot;
      if (shadow) children(shadow.firstElementChild, '', '', undefined);
      const texts: string[] = [];
      children(el.firstElementChild, xpath, id || anchor, texts);
      if (tag === 'iframe' || tag === 'frame') {
        const html = frameDoc(el)?.documentElement;
        if (html && elements.length < max && !SKIP.has(html.localName)) visit(html, `/${html.localName}[1]`, '', undefined, undefined);
      }
      // innerText-like: text nodes and children's texts in order (a shadow tree's text first).
      if (NO_TEXT.has(tag)) out = '';
      else {
        let k = 0;
        for (let n = el.firstChild; n && out.length <= TEXT_CAP; n = n.nextSibling) {
          if (n.nodeType === 3) out += (n as Text).data;
          else if (n.nodeType === 1) out += texts[k++] ?? '';
        }
        out = collapse(out);
      }
      if (candidate) fill(sketch, el, tag, ownClean, out, xpath, id || anchor, parent, grand, testIdAttribute);
      return out;
    };
    if (!SKIP.has(root.localName)) visit(root, `/${root.localName}[1]`, '', undefined, undefined);
    return { elements, sketches, textOwners };
  };

  const fill = (
    s: Sketch,
    el: Element,
    tag: string,
    own: string,
    subtree: string,
    xpath: string,
    anchor: string,
    parent: Sketch | undefined,
    grand: Sketch | undefined,
    testIdAttribute: string,
  ) => {
    const name = attrOf(el, 'name');
    if (name) s.name = name;
    if (own) s.text = own;
    const visibleText = clean(subtree);
    if (visibleText) s.visibleText = visibleText;
    const role = roleOf(el);
    if (role) s.role = role;
    const ariaLabel = clean(el.getAttribute('aria-label'));
    const labelledBy = el.getAttribute('aria-labelledby');
    let accessibleName = ariaLabel;
    if (labelledBy) {
      const root = el.getRootNode() as Document | ShadowRoot;
      const parts = labelledBy.split(/\s+/).map((id) => (id ? (root.getElementById(id)?.textContent ?? '') : ''));
      accessibleName = clean(parts.join(' ')) || ariaLabel;
    }
    if (accessibleName) s.accessibleName = accessibleName;
    if (LABELABLE.has(tag)) {
      const labels = labelsOf(el);
      if (labels.length) {
        const label = clean(labels.map((l) => l.textContent ?? '').join(' '));
        if (label) s.label = label;
      }
    }
    const placeholder = attrOf(el, 'placeholder');
    if (placeholder) s.placeholder = placeholder;
    const title = attrOf(el, 'title');
    if (title) s.title = title;
    const alt = attrOf(el, 'alt');
    if (alt) s.alt = alt;
    const type = (tag === 'input' || tag === 'button' ? (el as HTMLInputElement).type : attrOf(el, 'type'))?.toLowerCase();
    if (type) s.type = type;
    const value = tag === 'input' || tag === 'select' || tag === 'textarea' ? (el as HTMLInputElement).value : attrOf(el, 'value');
    if (value && !SECRET_TYPES.has(type ?? '')) s.value = value.slice(0, TEXT_CAP);
    const href = attrOf(el, 'href');
    if (href) s.href = href;
    const src = attrOf(el, 'src');
    if (src) s.src = src;
    const attributes = el.attributes;
    for (let i = 0; i < attributes.length; i++) {
      const a = attributes[i]!;
      if ((TEST_ID.test(a.name) || a.name === testIdAttribute) && a.value) (s.testIds ??= {})[a.name] = a.value.slice(0, TEXT_CAP);
    }
    s.xpath = xpath;
    if (anchor) {
      const quoted = literal(anchor);
      if (quoted) s.idXpath = `//*[@id=${quoted}]`;
    }
    if (parent) s.ancestors = (grand ? [parent, grand] : [parent]) as NonNullable<Sketch['ancestors']>;
  };

  return { sketchAll };
}

export type CaptureSketch = ReturnType<typeof captureSketch>;
