import { describe, expect, it } from 'vitest';
import { MedicStoreError } from '../errors.js';
import { formatBytes } from './doctor.js';
import { formatDoctor, splitFix, summarizeChecks, type Check } from './report.js';

const check = (name: string, status: Check['status'], extra: Partial<Check> = {}): Check => ({ name, status, detail: `${name} detail`, ms: 1, ...extra });

describe('the doctor report', () => {
  it('is ok only without problems; warnings and skipped checks do not fail it', () => {
    expect(summarizeChecks([check('store', 'ok'), check('llm', 'skipped'), check('disk', 'warn')])).toMatchObject({ ok: true, problems: 0, warnings: 1 });
    expect(summarizeChecks([check('store', 'problem'), check('spool', 'problem')])).toMatchObject({ ok: false, problems: 2, warnings: 0 });
  });

  it("shows a MedicError's fix as the fix line, not inside the detail", () => {
    const error = new MedicStoreError('The store is locked\nby another process.', { fix: 'Raise store.busyTimeoutMs.' });
    expect(splitFix(error.message)).toEqual({ detail: 'The store is locked by another process.', fix: 'Raise store.busyTimeoutMs.' });
    expect(splitFix('plain message')).toEqual({ detail: 'plain message' });
  });

  it('prints a fix under each problem and warning, what --fix did, and a closing count', () => {
    const text = formatDoctor(
      summarizeChecks([
        check('store', 'ok', { fix: 'never shown for ok' }),
        check('spool', 'ok', { fixed: 'replayed: 3 written, 0 still waiting' }),
        check('vectors', 'problem', { fix: 'npm run chroma' }),
        check('disk', 'warn', { fix: 'free some space' }),
      ]),
    );
    expect(text.split('\n')).toEqual([
      'medic doctor (configuration: defaults and MEDIC_* variables)',
      '  ✓ store    store detail',
      '  ✓ spool    spool detail',
      '             fixed: replayed: 3 written, 0 still waiting',
      '  ✗ vectors  vectors detail',
      '             fix: npm run chroma',
      '  ! disk     disk detail',
      '             fix: free some space',
      '1 problem, 1 warning: see the fix lines above',
    ]);
  });

  it('writes sizes as people read them', () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(200 * 1024 * 1024), formatBytes(78.4 * 1024 ** 3)]).toEqual(['512 B', '1.5 KB', '200 MB', '78 GB']);
  });
});
