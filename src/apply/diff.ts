import { applyEdits } from './edits.js';
import type { Edit } from './rewrite.js';

type Line = { text: string; newline: boolean };
type Block = { first: number; last: number; edits: Pick<Edit, 'start' | 'end' | 'text'>[]; old: Line[]; new: Line[] };

/** A text as lines, each knowing whether a newline ends it (the last may not). */
function splitLines(text: string): Line[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const ended = parts.at(-1) === '';
  if (ended) parts.pop();
  return parts.map((t, i) => ({ text: t, newline: i < parts.length - 1 || ended }));
}

/** Where each line starts, and the line an offset is on. */
function lineIndex(text: string): { starts: number[]; lineAt: (offset: number) => number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0 && i + 1 < text.length; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineAt = (offset: number) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  };
  return { starts, lineAt };
}

const NO_NEWLINE = '\\ No newline at end of file';
const show = (mark: string, line: Line) => `${mark}${line.text}\n${line.newline ? '' : `${NO_NEWLINE}\n`}`;

/**
 * A unified diff (`diff -u`; `git apply` reads it) of the edits to one file: the lines they touch
 * with `context` lines around, hunks joined where their context meets. Empty when nothing changes.
 * @example unifiedDiff('pages/Cart.ts', source, edits) // '--- a/pages/Cart.ts\n+++ b/pages/Cart.ts\n@@ -9,7 +9,7 @@ …'
 */
export function unifiedDiff(path: string, before: string, edits: readonly Pick<Edit, 'start' | 'end' | 'text'>[], context = 3): string {
  const { starts, lineAt } = lineIndex(before);
  const lines = splitLines(before);
  const endOf = (line: number) => (line + 1 < starts.length ? starts[line + 1]! : before.length);
  const blocks: Block[] = [];
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    const first = lineAt(edit.start);
    const last = Math.max(first, lineAt(Math.max(edit.start, edit.end - 1)));
    const open = blocks.at(-1);
    if (open && first <= open.last + 1) {
      open.last = Math.max(open.last, last);
      open.edits.push(edit);
    } else blocks.push({ first, last, edits: [edit], old: [], new: [] });
  }
  for (const block of blocks) {
    for (;;) {
      const from = starts[block.first]!;
      const text = applyEdits(before.slice(from, endOf(block.last)), block.edits.map((e) => ({ ...e, start: e.start - from, end: e.end - from })));
      // An edit that removed the block's last newline joins the next line in: it is part of the change.
      if (!text.endsWith('\n') && block.last + 1 < lines.length && text !== '') {
        block.last++;
        continue;
      }
      block.old = lines.slice(block.first, block.last + 1);
      block.new = splitLines(text);
      break;
    }
  }
  const changed = blocks.filter((b) => b.old.length !== b.new.length || b.old.some((line, i) => line.text !== b.new[i]!.text || line.newline !== b.new[i]!.newline));
  if (!changed.length) return '';
  const hunks: Block[][] = [];
  for (const block of changed) {
    const open = hunks.at(-1);
    if (open && block.first - open.at(-1)!.last <= 2 * context + 1) open.push(block);
    else hunks.push([block]);
  }
  let out = `--- a/${path}\n+++ b/${path}\n`;
  let shift = 0; // new line number minus old, before the hunk
  for (const hunk of hunks) {
    const first = Math.max(0, hunk[0]!.first - context);
    const last = Math.min(lines.length - 1, hunk.at(-1)!.last + context);
    let body = '';
    let oldCount = 0;
    let newCount = 0;
    let at = first;
    for (const block of hunk) {
      for (; at < block.first; at++, oldCount++, newCount++) body += show(' ', lines[at]!);
      for (const line of block.old) body += show('-', line);
      for (const line of block.new) body += show('+', line);
      oldCount += block.old.length;
      newCount += block.new.length;
      at = block.last + 1;
    }
    for (; at <= last; at++, oldCount++, newCount++) body += show(' ', lines[at]!);
    const start = (count: number, line: number) => (count === 0 ? line : line + 1);
    out += `@@ -${start(oldCount, first)},${oldCount} +${start(newCount, first + shift)},${newCount} @@\n${body}`;
    shift += newCount - oldCount;
  }
  return out;
}
