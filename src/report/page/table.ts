import { h } from './dom.js';

export type Column<T> = {
  label: string;
  /** What the column sorts by. */
  sort: (row: T) => string | number;
  /** What the cell shows (default: the sort value). */
  cell?: (row: T) => Node | string;
  className?: string;
};

export type SelectFilter<T> = {
  label: string;
  /** Option label → predicate; the first option is the default. */
  options: Array<[string, (row: T) => boolean]>;
  initial?: string;
};

export type TableOptions<T> = {
  id: string;
  rows: readonly T[];
  columns: Array<Column<T>>;
  /** The text the search box matches, lower case. */
  text: (row: T) => string;
  selects?: Array<SelectFilter<T>>;
  /** Index of the column sorted at first, and its direction. */
  sortBy?: number;
  descending?: boolean;
  /** Rows shown at first and added by "show more": a page draws little even with 10,000 rows. */
  page?: number;
  /** A row's details, shown under it when it is clicked. */
  details?: (row: T) => Node;
};

/** A table that sorts (click a header), filters (search box and selects) and shows rows a page at a time. */
export function table<T>(options: TableOptions<T>): HTMLElement {
  const pageSize = options.page ?? 100;
  let sortBy = options.sortBy ?? 0;
  let descending = options.descending ?? false;
  let query = '';
  let shown = pageSize;
  // The search texts are made at the first search, not when the page opens.
  let texts: string[] | undefined;
  const chosen = (options.selects ?? []).map((f) => f.initial ?? f.options[0]![0]);

  const tbody = h('tbody');
  const count = h('span', { class: 'count', 'data-count': '' });
  const more = h('button', { type: 'button', class: 'more', onclick: () => ((shown += pageSize), draw()) }, 'show more');
  const heads = options.columns.map((column, i) =>
    h('th', { class: column.className, 'data-sort': '', onclick: () => ((descending = sortBy === i ? !descending : false), (sortBy = i), draw()) }, column.label),
  );

  function draw(): void {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const predicates = (options.selects ?? []).map((f, i) => f.options.find(([label]) => label === chosen[i])![1]);
    const column = options.columns[sortBy]!;
    const rows = options.rows
      .map((row, i) => ({ row, i }))
      .filter(({ row, i }) => (words.length === 0 || words.every((w) => (texts ??= options.rows.map((r) => options.text(r)))[i]!.includes(w))) && predicates.every((p) => p(row)));
    const keyed = rows.map((r) => ({ ...r, key: column.sort(r.row) }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i) * (descending && a.key !== b.key ? -1 : 1));
    heads.forEach((th, i) => th.setAttribute('aria-sort', i === sortBy ? (descending ? 'descending' : 'ascending') : 'none'));
    tbody.replaceChildren();
    for (const { row } of keyed.slice(0, shown)) {
      const tr = h('tr', {}, ...options.columns.map((c) => h('td', { class: c.className }, c.cell ? c.cell(row) : String(c.sort(row)))));
      if (options.details) {
        const details = options.details;
        tr.classList.add('expandable');
        tr.addEventListener('click', () => {
          const next = tr.nextElementSibling;
          if (next?.classList.contains('details')) return void next.remove();
          tr.after(h('tr', { class: 'details' }, h('td', { colspan: options.columns.length }, details(row))));
        });
      }
      tbody.appendChild(tr);
    }
    count.textContent = `${Math.min(shown, keyed.length)} of ${keyed.length} shown` + (keyed.length !== options.rows.length ? ` (${options.rows.length} in all)` : '');
    more.hidden = keyed.length <= shown;
  }

  const search = h('input', { type: 'search', placeholder: 'filter…', 'aria-label': 'filter', 'data-filter': '' });
  search.addEventListener('input', () => ((query = search.value), (shown = pageSize), draw()));
  const selects = (options.selects ?? []).map((f, i) => {
    const select = h('select', { 'aria-label': f.label, 'data-select': f.label }, ...f.options.map(([label]) => h('option', { value: label, selected: label === chosen[i] }, label)));
    select.addEventListener('change', () => ((chosen[i] = select.value), (shown = pageSize), draw()));
    return h('label', {}, `${f.label} `, select);
  });
  draw();
  return h(
    'div',
    { class: 'table', id: options.id },
    h('div', { class: 'tools' }, search, ...selects, count),
    h('table', {}, h('thead', {}, h('tr', {}, ...heads)), tbody),
    more,
  );
}
