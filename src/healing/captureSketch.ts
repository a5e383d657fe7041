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

  const ASCII_SPACE = /[\t\n\f\r ]+/;
  /** The class attribute as `classList` reads it: tokens in order, each once. */
  const classesOf = (value: string): string[] => {
    const out: string[] = [];
    for (const c of value.split(ASCII_SPACE)) if (c && !out.includes(c)) out.push(c);
    return out;
  };
  const literal = (s: string) => (!s.includes("'") ? `'${s}'` : !s.includes('"') ? `"${s}"` : '');

  /** The attributes the sketch reads besides id and class (non-empty ones only), in one pass over the element's attributes. */
  type Attributes = {
    name?: string; placeholder?: string; title?: string; alt?: string; type?: string; value?: string;
    href?: string; src?: string; ariaLabel?: string; labelledBy?: string;
  };

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
    // A child's text for its parent's (spaced unless inline); its position among same-tag siblings counted in `counts`.
    const child = (c: Element, counts: Map<string, number>, base: string, anchor: string, ancestors: Sketch[]): string => {
      const position = (counts.get(c.nodeName) ?? 0) + 1;
      counts.set(c.nodeName, position);
      const tag = c.localName;
      if (elements.length >= max || SKIP.has(tag) || isSvgChild(c)) return '';
      const step = c.namespaceURI === 'http://www.w3.org/1999/xhtml' ? `${tag}[${position}]` : `*[name()='${tag}'][${position}]`;
      const t = visit(c, `${base}/${step}`, anchor, ancestors);
      return t && !INLINE.has(tag) ? ` ${t} ` : t;
    };
    // Returns the element's text, for its parent's (cut a little after TEXT_CAP).
    // `ancestors`: the parent's and grandparent's sketches, one array shared by siblings.
    const visit = (el: Element, xpath: string, anchor: string, ancestors: Sketch[] | undefined): string => {
      const tag = el.localName;
      // Own text, as innerText-like text would start it; a leaf (only text inside) needs no more.
      let own = '';
      let outRaw = ''; // the text nodes up to the cap
      let whole = true; // outRaw is all of own
      let leaf = true;
      for (let n = el.firstChild; n; n = n.nextSibling) {
        const type = n.nodeType;
        if (type === 3) {
          const data = (n as Text).data;
          own += data;
          if (outRaw.length <= TEXT_CAP) outRaw += data;
          else whole = false;
        } else if (type === 1) leaf = false;
      }
      const shadow = el.shadowRoot;
      if (shadow || tag === 'iframe' || tag === 'frame') leaf = false;
      let out = leaf ? collapse(outRaw) : '';
      // `clean` of a collapsed string is its trimmed cut (collapsing twice changes nothing).
      const ownClean = !own ? '' : leaf && whole ? cap(out.trim()) : clean(own);
      if (ownClean) textOwners.push(el);
      // The sketch doubles as the ancestor entry of the children (the prefilter reads only its id and classes there).
      const sketch: Sketch = { tag };
      // Attributes in one pass: most elements have one or two, and a getAttribute per field costs more.
      let attrs: Attributes | undefined;
      let id = '';
      if (el.hasAttributes()) {
        id = el.id;
        if (id) sketch.id = id;
        attrs = {};
        const names = el.getAttributeNames();
        for (let i = 0; i < names.length; i++) {
          const attr = names[i]!;
          if (attr === testIdAttribute || (attr.startsWith('data-') && TEST_ID.test(attr))) {
            const v = el.attributes[i]!.value;
            if (v) (sketch.testIds ??= {})[attr] = v.slice(0, TEXT_CAP);
          }
          switch (attr) {
            case 'id':
              continue;
            case 'class': {
              const v = el.getAttribute(attr);
              const classes = v ? classesOf(v) : [];
              if (classes.length) sketch.classes = classes;
              continue;
            }
            case 'name': case 'placeholder': case 'title': case 'alt': case 'type': case 'value': case 'href': case 'src':
              if (attrs[attr] === undefined) attrs[attr] = el.getAttribute(attr) || undefined;
              continue;
            case 'aria-label':
              attrs.ariaLabel ??= el.getAttribute(attr) ?? undefined;
              continue;
            case 'aria-labelledby':
              attrs.labelledBy ??= el.getAttribute(attr) ?? undefined;
          }
        }
      }
      const candidate = tag !== 'html' && tag !== 'slot';
      if (candidate) {
        elements.push(el);
        sketches.push(sketch);
      }
      if (!leaf) {
        const parent = ancestors?.[0];
        const childAncestors = parent ? [sketch, parent] : [sketch];
        // Children in the walk's order: shadow tree, light children, a frame's document (XPaths restart in both).
        // innerText-like text: text nodes and children's texts in order (a shadow tree's text first).
        if (shadow) {
          const counts = new Map<string, number>();
          for (let c = shadow.firstElementChild; c; c = c.nextElementSibling) {
            const t = child(c, counts, '', '', childAncestors);
            if (out.length <= TEXT_CAP) out += t;
          }
        }
        const counts = new Map<string, number>();
        const childAnchor = id || anchor;
        for (let n = el.firstChild; n; n = n.nextSibling) {
          const type = n.nodeType;
          if (type === 3) {
            if (out.length <= TEXT_CAP) out += (n as Text).data;
          } else if (type === 1) {
            const t = child(n as Element, counts, xpath, childAnchor, childAncestors);
            if (out.length <= TEXT_CAP) out += t;
          }
        }
        if (tag === 'iframe' || tag === 'frame') {
          const html = frameDoc(el)?.documentElement;
          if (html && elements.length < max && !SKIP.has(html.localName)) visit(html, `/${html.localName}[1]`, '', undefined);
        }
        out = NO_TEXT.has(tag) ? '' : collapse(out);
      } else if (NO_TEXT.has(tag)) out = '';
      if (candidate) fill(sketch, el, tag, attrs, ownClean, out, xpath, id || anchor, ancestors);
      return out;
    };
    if (!SKIP.has(root.localName)) visit(root, `/${root.localName}[1]`, '', undefined);
    return { elements, sketches, textOwners };
  };
  const cap = (s: string) => (s.length > TEXT_CAP ? s.slice(0, TEXT_CAP) : s);

  const fill = (
    s: Sketch,
    el: Element,
    tag: string,
    attrs: Attributes | undefined,
    own: string,
    subtree: string,
    xpath: string,
    anchor: string,
    ancestors: Sketch[] | undefined,
  ) => {
    if (attrs?.name) s.name = attrs.name;
    if (own) s.text = own;
    const visibleText = cap(subtree.trim()); // `clean` of the collapsed subtree text
    if (visibleText) s.visibleText = visibleText;
    const role = roleOf(el);
    if (role) s.role = role;
    const ariaLabel = attrs?.ariaLabel ? clean(attrs.ariaLabel) : '';
    const labelledBy = attrs?.labelledBy;
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
    if (attrs?.placeholder) s.placeholder = attrs.placeholder;
    if (attrs?.title) s.title = attrs.title;
    if (attrs?.alt) s.alt = attrs.alt;
    const type = (tag === 'input' || tag === 'button' ? (el as HTMLInputElement).type : attrs?.type)?.toLowerCase();
    if (type) s.type = type;
    const value = tag === 'input' || tag === 'select' || tag === 'textarea' ? (el as HTMLInputElement).value : attrs?.value;
    if (value && !SECRET_TYPES.has(type ?? '')) s.value = value.slice(0, TEXT_CAP);
    if (attrs?.href) s.href = attrs.href;
    if (attrs?.src) s.src = attrs.src;
    s.xpath = xpath;
    if (anchor) {
      const quoted = literal(anchor);
      if (quoted) s.idXpath = `//*[@id=${quoted}]`;
    }
    if (ancestors) s.ancestors = ancestors as NonNullable<Sketch['ancestors']>;
  };

  return { sketchAll };
}

export type CaptureSketch = ReturnType<typeof captureSketch>;
