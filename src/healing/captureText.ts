import type { CaptureDom } from './captureDom.js';

/**
 * In-page text, role and accessible name of the capture (sent to the page as source text:
 * self-contained, see captureDom). Text is innerText-like but built bottom-up with a cache,
 * so a page costs one pass instead of one innerText per element. Roles and names follow
 * Playwright's roleUtils closely enough that `getByRole(role, { name, exact: true })` finds
 * the element in the common cases; the full accname algorithm is not reproduced.
 */
export function captureText(dom: CaptureDom) {
  const { TEXT_CAP, SKIP, NO_TEXT, collapse, clean, styleOf, isVisible, renderedChildren } = dom;
  const VALID_ROLES = new Set(
    ('alert alertdialog application article banner blockquote button caption cell checkbox code columnheader ' +
      'combobox complementary contentinfo definition deletion dialog directory document emphasis feed figure form ' +
      'generic grid gridcell group heading img insertion link list listbox listitem log main mark marquee math meter ' +
      'menu menubar menuitem menuitemcheckbox menuitemradio navigation none note option paragraph presentation ' +
      'progressbar radio radiogroup region row rowgroup rowheader scrollbar search searchbox separator slider ' +
      'spinbutton status strong subscript superscript switch tab table tablist tabpanel term textbox time timer ' +
      'toolbar tooltip tree treegrid treeitem').split(' '),
  );
  const NAME_FROM_CONTENT = new Set(
    ('button cell checkbox columnheader gridcell heading link menuitem menuitemcheckbox menuitemradio option ' +
      'radio row rowheader switch tab tooltip treeitem').split(' '),
  );
  const TAG_ROLES: Record<string, string> = {
    article: 'article', aside: 'complementary', blockquote: 'blockquote', button: 'button', caption: 'caption',
    code: 'code', datalist: 'listbox', dd: 'definition', del: 'deletion', details: 'group', dfn: 'term',
    dialog: 'dialog', dt: 'term', em: 'emphasis', fieldset: 'group', figure: 'figure', h1: 'heading',
    h2: 'heading', h3: 'heading', h4: 'heading', h5: 'heading', h6: 'heading', hr: 'separator', ins: 'insertion',
    li: 'listitem', main: 'main', mark: 'mark', math: 'math', menu: 'list', meter: 'meter', nav: 'navigation',
    ol: 'list', optgroup: 'group', option: 'option', output: 'status', p: 'paragraph', progress: 'progressbar',
    search: 'search', strong: 'strong', sub: 'subscript', sup: 'superscript', svg: 'img', table: 'table',
    tbody: 'rowgroup', textarea: 'textbox', tfoot: 'rowgroup', thead: 'rowgroup', time: 'time', tr: 'row', ul: 'list',
  };
  const INPUT_ROLES: Record<string, string> = {
    button: 'button', checkbox: 'checkbox', image: 'button', number: 'spinbutton', radio: 'radio',
    range: 'slider', reset: 'button', submit: 'button', file: 'button',
  };
  const LANDMARK_BLOCKERS =
    'article:not([role]), aside:not([role]), main:not([role]), nav:not([role]), section:not([role]), ' +
    '[role=article], [role=complementary], [role=main], [role=navigation], [role=region]';
  const LABELABLE = new Set(['input', 'select', 'textarea', 'button', 'meter', 'output', 'progress']);

  // ---- text ----
  const renderedTexts = new Map<Element, string>();
  /** What innerText would give, whitespace collapsed, cut a little after TEXT_CAP. */
  const renderedText = (el: Element): string => {
    let out = renderedTexts.get(el);
    if (out !== undefined) return out;
    out = '';
    const style = styleOf(el);
    if (style.display !== 'none' && !SKIP.has(el.localName) && !NO_TEXT.has(el.localName)) {
      const nodes = renderedChildren(el);
      const textVisible = style.visibility === 'visible';
      for (let i = 0; i < nodes.length && out.length <= TEXT_CAP; i++) {
        const node = nodes[i]!;
        if (node.nodeType === 3) {
          if (textVisible) out += (node as Text).data;
        } else if (node.nodeType === 1) {
          const child = node as Element;
          const text = renderedText(child);
          if (text) out += styleOf(child).display.startsWith('inline') ? text : ` ${text} `;
          else if (child.localName === 'br') out += ' ';
        }
      }
      out = collapse(out);
    }
    renderedTexts.set(el, out);
    return out;
  };
  /** The element's own text nodes. */
  const ownText = (el: Element) => {
    let out = '';
    for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 3) out += (n as Text).data;
    return clean(out);
  };
  /** innerText semantics: an element that is not rendered gives its textContent. */
  const visibleTextOf = (el: Element) => (styleOf(el).display === 'none' ? clean(el.textContent) : clean(renderedText(el)));

  // ---- role ----
  const explicitRole = (el: Element) => {
    const role = el.getAttribute('role');
    return role ? (role.toLowerCase().split(' ').find((r) => VALID_ROLES.has(r)) ?? '') : '';
  };
  const hasExplicitName = (el: Element) => el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby');
  const implicitRole = (el: Element): string => {
    const tag = el.localName;
    const simple = TAG_ROLES[tag];
    if (simple) return simple;
    switch (tag) {
      case 'a':
      case 'area':
        return el.hasAttribute('href') ? 'link' : '';
      case 'header':
      case 'footer':
        return el.parentElement?.closest(LANDMARK_BLOCKERS) ? '' : tag === 'header' ? 'banner' : 'contentinfo';
      case 'form':
        return hasExplicitName(el) ? 'form' : '';
      case 'section':
        return hasExplicitName(el) ? 'region' : '';
      case 'img':
        return el.getAttribute('alt') === '' && !el.getAttribute('title') ? 'presentation' : 'img';
      case 'select': {
        const select = el as HTMLSelectElement;
        return select.multiple || select.size > 1 ? 'listbox' : 'combobox';
      }
      case 'input': {
        const input = el as HTMLInputElement;
        const type = input.type.toLowerCase();
        if (['email', 'search', 'tel', 'text', 'url', ''].includes(type)) {
          if (input.list) return 'combobox';
          return type === 'search' ? 'searchbox' : 'textbox';
        }
        if (type === 'hidden') return '';
        return INPUT_ROLES[type] ?? 'textbox';
      }
      case 'td': {
        const tableRole = el.closest('table')?.getAttribute('role');
        return tableRole === 'grid' || tableRole === 'treegrid' ? 'gridcell' : 'cell';
      }
      case 'th': {
        const scope = el.getAttribute('scope');
        if (scope === 'row' || scope === 'rowgroup') return 'rowheader';
        if (scope === 'col' || scope === 'colgroup') return 'columnheader';
        const row = el.parentElement;
        const dataCell = row && Array.prototype.some.call(row.children, (c: Element) => c.localName === 'td');
        return dataCell ? 'rowheader' : 'columnheader';
      }
      default:
        return '';
    }
  };
  const roleOf = (el: Element) => explicitRole(el) || implicitRole(el);

  // ---- labels and accessible name ----
  const byIds = (el: Element, attr: string): Element[] => {
    const value = el.getAttribute(attr);
    if (!value) return [];
    const root = el.getRootNode() as Document | ShadowRoot;
    return value
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => root.getElementById(id))
      .filter((e): e is HTMLElement => !!e);
  };
  const labelledByText = (el: Element) => clean(byIds(el, 'aria-labelledby').map((e) => e.textContent ?? '').join(' '));
  // `input.labels` searches the whole document on each call (O(n²) over a page): index each
  // document or shadow root's labels once instead, by the control each one labels.
  const labelIndexes = new Map<Node, Map<Element, HTMLLabelElement[]>>();
  const labelsOf = (el: Element): HTMLLabelElement[] => {
    const root = el.getRootNode() as Document | ShadowRoot;
    let labels = labelIndexes.get(root);
    if (!labels) {
      labelIndexes.set(root, (labels = new Map()));
      for (const label of Array.from(root.querySelectorAll('label'))) {
        const control = label.control;
        if (control) labels.set(control, [...(labels.get(control) ?? []), label]);
      }
    }
    return labels.get(el) ?? [];
  };
  /** Text of the <label>s of a labelable element (for= and wrapping). */
  const labelsText = (el: Element) => {
    if (!LABELABLE.has(el.localName)) return '';
    const labels = labelsOf(el);
    if (!labels.length) return '';
    return clean(labels.map((l) => (isVisible(l) ? renderedText(l) : (l.textContent ?? ''))).join(' '));
  };
  // What a descendant adds to a name computed from content (accname step 2F).
  const contributions = new Map<Element, string>();
  const contribution = (el: Element): string => {
    let out = contributions.get(el);
    if (out !== undefined) return out;
    const style = styleOf(el);
    const tag = el.localName;
    if (SKIP.has(tag) || style.display === 'none' || el.getAttribute('aria-hidden') === 'true') out = '';
    else if (clean(el.getAttribute('aria-label'))) out = clean(el.getAttribute('aria-label'));
    else if (tag === 'img' || tag === 'area') out = clean(el.getAttribute('alt') || el.getAttribute('title'));
    else if (tag === 'input') {
      const input = el as HTMLInputElement;
      out = ['checkbox', 'radio', 'password', 'hidden', 'file'].includes(input.type) ? '' : clean(input.value);
    } else if (tag === 'select') out = clean((el as HTMLSelectElement).selectedOptions[0]?.textContent);
    else if (tag === 'textarea') out = clean((el as HTMLTextAreaElement).value);
    else if (tag === 'br') out = ' ';
    else out = nameFromContent(el);
    if (out && !style.display.startsWith('inline')) out = ` ${out} `;
    contributions.set(el, out);
    return out;
  };
  const nameFromContent = (el: Element): string => {
    let out = '';
    const nodes = renderedChildren(el);
    const textVisible = styleOf(el).visibility === 'visible';
    for (let i = 0; i < nodes.length && out.length <= TEXT_CAP; i++) {
      const node = nodes[i]!;
      if (node.nodeType === 3) {
        if (textVisible) out += (node as Text).data;
      } else if (node.nodeType === 1) out += contribution(node as Element);
    }
    return collapse(out);
  };
  const accessibleNameOf = (el: Element, role: string): string => {
    const tag = el.localName;
    const labelledBy = labelledByText(el);
    if (labelledBy) return labelledBy;
    const ariaLabel = clean(el.getAttribute('aria-label'));
    if (ariaLabel) return ariaLabel;
    const title = clean(el.getAttribute('title'));
    if (role === 'presentation' || role === 'none') return '';
    if (tag === 'input') {
      const input = el as HTMLInputElement;
      const type = input.type;
      if (['button', 'submit', 'reset'].includes(type)) {
        return clean(input.value) || (type === 'submit' ? 'Submit' : type === 'reset' ? 'Reset' : title);
      }
      const labels = labelsText(el);
      if (labels) return labels;
      if (type === 'image') return clean(el.getAttribute('alt')) || title || 'Submit';
      if (type === 'file') return 'Choose File';
      const usePlaceholder = ['text', 'password', 'number', 'search', 'tel', 'email', 'url'].includes(type);
      return !usePlaceholder || title ? title : clean(input.placeholder);
    }
    if (['textarea', 'select', 'meter', 'progress', 'output', 'button'].includes(tag)) {
      const labels = labelsText(el);
      if (labels) return labels;
      if (tag === 'textarea') return title || clean((el as HTMLTextAreaElement).placeholder);
      if (tag !== 'button') return title;
    }
    const child = (name: string) =>
      Array.prototype.find.call(el.children, (c: Element) => c.localName === name) as Element | undefined;
    if (tag === 'fieldset') return clean(child('legend')?.textContent) || title;
    if (tag === 'figure') return clean(child('figcaption')?.textContent) || title;
    if (tag === 'table') return clean(child('caption')?.textContent) || clean(el.getAttribute('summary')) || title;
    if (tag === 'img' || tag === 'area') return clean(el.getAttribute('alt')) || title;
    if (tag === 'svg') return clean(child('title')?.textContent) || title;
    if (NAME_FROM_CONTENT.has(role) || tag === 'summary') {
      const content = clean(nameFromContent(el));
      if (content) return content;
    }
    return title;
  };

  return { ownText, visibleTextOf, roleOf, accessibleNameOf, labelsText, labelledByText, labelsOf };
}

export type CaptureText = ReturnType<typeof captureText>;
