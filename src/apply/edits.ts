import type { Edit } from './rewrite.js';

/**
 * Edits of one file, sorted, without repeats; two different edits on the same text (or
 * inserting at the same place) are a conflict, and neither is kept.
 * @example mergeEdits([a, a, b]) // { edits: [a, b], conflicts: [] }
 */
export function mergeEdits<E extends Edit>(edits: readonly E[]): { edits: E[]; conflicts: [E, E][] } {
  const unique = new Map<string, E>();
  for (const edit of edits) unique.set(`${edit.file}\0${edit.start}\0${edit.end}\0${edit.text}`, edit);
  const sorted = [...unique.values()].sort((a, b) => a.file.localeCompare(b.file) || a.start - b.start || a.end - b.end);
  const conflicts: [E, E][] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j]!.file === sorted[i]!.file; j++) {
      const a = sorted[i]!;
      const b = sorted[j]!;
      if (b.start > a.end) break;
      // Adjacent edits are fine; an insertion where another edit starts is not (which goes first?).
      if (b.start < a.end || a.start === a.end) conflicts.push([a, b]);
    }
  }
  const bad = new Set(conflicts.flat());
  return { edits: sorted.filter((e) => !bad.has(e)), conflicts };
}

/**
 * `text` with the edits made (they are sorted and do not overlap); everything else byte for byte.
 * @example applyEdits('a(1)', [{ file, start: 2, end: 3, text: '2' }]) // 'a(2)'
 */
export function applyEdits(text: string, edits: readonly Pick<Edit, 'start' | 'end' | 'text'>[]): string {
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += text.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + text.slice(at);
}
