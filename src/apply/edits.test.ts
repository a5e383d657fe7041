import { describe, expect, it } from 'vitest';
import { applyEdits, mergeEdits } from './edits.js';

const edit = (start: number, end: number, text: string, file = '/a.ts') => ({ file, start, end, text });

describe('mergeEdits', () => {
  it('sorts, drops repeats, and keeps adjacent edits', () => {
    expect(mergeEdits([edit(5, 6, 'x'), edit(0, 2, 'y'), edit(5, 6, 'x'), edit(2, 3, 'z')])).toEqual({ edits: [edit(0, 2, 'y'), edit(2, 3, 'z'), edit(5, 6, 'x')], conflicts: [] });
  });

  it('refuses both of two different edits of the same text, and two insertions at one place', () => {
    const { edits, conflicts } = mergeEdits([edit(0, 4, 'a'), edit(2, 6, 'b'), edit(10, 10, 'c'), edit(10, 10, 'd'), edit(20, 21, 'e'), edit(20, 21, 'e', '/b.ts')]);
    expect(conflicts).toEqual([
      [edit(0, 4, 'a'), edit(2, 6, 'b')],
      [edit(10, 10, 'c'), edit(10, 10, 'd')],
    ]);
    expect(edits).toEqual([edit(20, 21, 'e'), edit(20, 21, 'e', '/b.ts')]);
  });
});

describe('applyEdits', () => {
  it('changes the spans and nothing else, byte for byte', () => {
    const text = "a\r\n\tpage.locator('#x') // é\n";
    expect(applyEdits(text, [edit(9, 16, 'getByTestId'), edit(17, 21, "'y'")])).toBe("a\r\n\tpage.getByTestId('y') // é\n");
    expect(applyEdits(text, [])).toBe(text);
  });
});
