import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEdits } from './edits.js';
import { unifiedDiff } from './diff.js';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
/** The edit replacing `from` (its first occurrence after `after`) with `to`. */
const change = (text: string, from: string, to: string, after = 0) => {
  const start = text.indexOf(from, after);
  return { start, end: start + from.length, text: to };
};

describe('unifiedDiff', () => {
  it('writes a hunk with three lines of context', () => {
    const text = lines(10);
    expect(unifiedDiff('pages/a.ts', text, [change(text, 'line 5', 'LINE 5')])).toBe(
      '--- a/pages/a.ts\n+++ b/pages/a.ts\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+LINE 5\n line 6\n line 7\n line 8\n',
    );
  });

  it('joins edits whose context meets, groups edits of next lines, and counts lines that an edit adds', () => {
    const text = lines(30);
    const edits = [change(text, 'line 2\n', 'line 2\nnew\n'), change(text, 'line 3\n', 'LINE 3\n'), change(text, 'line 9\n', 'LINE 9\n'), change(text, 'line 25', 'LINE 25')];
    expect(unifiedDiff('a.ts', text, edits)).toBe(
      [
        '--- a/a.ts',
        '+++ b/a.ts',
        '@@ -1,12 +1,13 @@',
        ' line 1',
        '-line 2',
        '-line 3',
        '+line 2',
        '+new',
        '+LINE 3',
        ' line 4',
        ' line 5',
        ' line 6',
        ' line 7',
        ' line 8',
        '-line 9',
        '+LINE 9',
        ' line 10',
        ' line 11',
        ' line 12',
        '@@ -22,7 +23,7 @@',
        ' line 22',
        ' line 23',
        ' line 24',
        '-line 25',
        '+LINE 25',
        ' line 26',
        ' line 27',
        ' line 28',
        '',
      ].join('\n'),
    );
  });

  it('is empty when nothing changes', () => {
    expect(unifiedDiff('a.ts', lines(3), [])).toBe('');
    expect(unifiedDiff('a.ts', lines(3), [{ start: 0, end: 4, text: 'line' }])).toBe('');
  });

  it('is a patch that git applies to the file, giving the edited text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'medic-diff-'));
    try {
      const text = `${lines(40)}last line without newline`;
      const edits = [change(text, 'line 1\n', 'first\n'), change(text, 'line 20', 'line 20 changed'), change(text, 'line 21\n', ''), change(text, 'without', 'with no')];
      writeFileSync(join(dir, 'a.ts'), text);
      writeFileSync(join(dir, 'change.patch'), unifiedDiff('a.ts', text, edits));
      execFileSync('git', ['init', '-q'], { cwd: dir });
      execFileSync('git', ['apply', 'change.patch'], { cwd: dir });
      expect(readFileSync(join(dir, 'a.ts'), 'utf8')).toBe(applyEdits(text, edits));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
