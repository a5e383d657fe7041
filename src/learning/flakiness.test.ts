import { describe, expect, it } from 'vitest';
import { makeAttempt, makeRun } from '../store/contract.testkit.js';
import type { AttemptRecord, RunRecord } from '../store/records.js';
import { assessFlakiness, attemptKey, type FlakinessOptions } from './flakiness.js';

/**
 * A history from one line per test, one character per run (oldest first): `P` passed, `R`
 * failed then passed on retry, `F` failed (both attempts), `C` failed on a changed element (a
 * suggested heal on its last attempt), `S` skipped, `-` not run.
 */
function history(lines: Record<string, string>): { runs: RunRecord[]; attempts: AttemptRecord[]; changed: Set<string> } {
  const length = Math.max(...Object.values(lines).map((l) => l.length));
  const runs = Array.from({ length }, (_, i) => makeRun({ id: `run-${i}`, startedAt: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(), status: 'passed' }));
  const attempts: AttemptRecord[] = [];
  const changed = new Set<string>();
  for (const [title, line] of Object.entries(lines)) {
    [...line].forEach((c, i) => {
      const base = { runId: `run-${i}`, testKey: `chromium › a.spec.ts › ${title}`, testId: `id-${title}`, title, startedAt: runs[i]!.startedAt };
      const failed = { status: 'failed', error: { message: 'Error: boom', stack: null, category: 'assertion', signature: 's', count: 1 } } as const;
      if (c === 'P') attempts.push(makeAttempt({ ...base, outcome: 'expected' }));
      if (c === 'S') attempts.push(makeAttempt({ ...base, status: 'skipped', expectedStatus: 'skipped', outcome: 'skipped' }));
      if (c === 'R') attempts.push(makeAttempt({ ...base, ...failed, outcome: 'unexpected' }), makeAttempt({ ...base, retry: 1, outcome: 'flaky' }));
      if (c === 'F' || c === 'C') attempts.push(makeAttempt({ ...base, ...failed, outcome: 'unexpected' }), makeAttempt({ ...base, ...failed, retry: 1, outcome: 'unexpected' }));
      if (c === 'C') changed.add(attemptKey(attempts.at(-1)!));
    });
  }
  return { runs, attempts, changed };
}

const assess = (lines: Record<string, string>, options?: FlakinessOptions) => {
  const { runs, attempts, changed } = history(lines);
  return Object.fromEntries(assessFlakiness(runs, attempts, options, changed).map((t) => [t.title, t]));
};

describe('assessFlakiness', () => {
  it('tells a stable test, a flake that passes on retry, a flipper and a broken test apart', () => {
    const t = assess({
      stable: 'PPPPPPPPPP',
      // Enough healthy tests that no run has most of its tests failing.
      stable2: 'PPPPPPPPPP',
      stable3: 'PPPPPPPPPP',
      retries: 'PPRPPRPPRP',
      flips: 'PFPPFPPFPP',
      broken: 'PPPPPPPFFF',
      mostlyFails: 'FFPFFPFFFP',
    });
    expect(t.stable).toMatchObject({ state: 'stable', score: 0, samples: 10, quarantine: false });
    expect(t.retries).toMatchObject({ state: 'flaky', passedOnRetry: 3, flips: 0, retryRate: 0.3, quarantine: true });
    expect(t.retries!.reason).toBe('passed on retry in 3 of 10 runs');
    expect(t.flips).toMatchObject({ state: 'flaky', flips: 6, failed: 3, quarantine: true });
    expect(t.flips!.score).toBeCloseTo(6 / 9);
    expect(t.broken).toMatchObject({ state: 'broken', reason: 'failed the last 3 of 10 runs', quarantine: false });
    expect(t.mostlyFails).toMatchObject({ state: 'broken', reason: 'failed 7 of 10 runs' });
    expect(t.retries!.history.join('')).toBe('passpassretrypasspassretrypasspassretrypass');
  });

  it('needs enough runs to judge, except when a retry passed (a flake seen in the act)', () => {
    const t = assess({ young: 'PF', caught: 'PR', failing: 'FFF' });
    expect(t.young).toMatchObject({ state: 'unknown', reason: '2 runs, fewer than 5 needed to judge' });
    expect(t.caught).toMatchObject({ state: 'flaky', quarantine: false });
    expect(t.failing).toMatchObject({ state: 'broken' });
  });

  it('suggests quarantine only for chronic flakes: one bad run is not chronic', () => {
    const t = assess({ once: 'PPPPPPPPRP', chronic: 'PRPRPPRPPP' });
    expect(t.once).toMatchObject({ state: 'flaky', quarantine: false });
    expect(t.chronic).toMatchObject({ state: 'flaky', quarantine: true });
  });

  it('leaves out runs where most tests failed, and skipped runs of a test', () => {
    // Run 5: everything failed (an outage); without it, every test passed every run.
    const lines = { a: 'PPPPPFPPPP', b: 'PPPPPFPPPP', c: 'PPPPPFPPPP', d: 'PPPPPFPPPP', e: 'PPPPPFPPPP', f: 'PPPPPPPSSP' };
    const t = assess(lines);
    expect(t.a).toMatchObject({ state: 'stable', samples: 9, flips: 0 });
    expect(t.f).toMatchObject({ state: 'stable', samples: 7 }); // 10 runs, less the outage and 2 skips
    // Small runs cannot be judged so: below 5 tests the run counts.
    const small = assess({ a: 'PPPPPFPPPP', b: 'PPPPPFPPPP' });
    expect(small.a).toMatchObject({ samples: 10, flips: 2 });
  });

  it('counts only the newest window of runs', () => {
    const t = assess({ healed: 'FRFRFRPPPPPPPPPP' }, { window: 10 });
    expect(t.healed).toMatchObject({ samples: 10, state: 'stable' });
    expect(assess({ healed: 'FRFRFRPPPPPPPPPP' }).healed).toMatchObject({ state: 'flaky' });
  });

  it('orders broken, then flaky by score, then the rest, and refuses bad options', () => {
    const order = Object.keys(assess({ s: 'PPPPP', f1: 'PPRPP', b: 'FFFFF', f2: 'PRPRP' }));
    expect(order).toEqual(['b', 'f2', 'f1', 's']);
    const { runs, attempts } = history({ a: 'P' });
    expect(() => assessFlakiness(runs, attempts, { window: 0 })).toThrow(/window/);
  });

  it('counts a failure on a changed element as a failure, not as a flip: a deploy is not a flake', () => {
    const t = assess({ deployed: 'PPCPPPP', unexplained: 'PPFPPPP', stuck: 'PPPPCCC', s1: 'PPPPPPP', s2: 'PPPPPPP' });
    expect([t.deployed!.state, t.deployed!.flips, t.deployed!.failed, t.deployed!.changed, t.deployed!.history.join(' ')]).toEqual(['stable', 0, 1, 1, 'pass pass changed pass pass pass pass']);
    expect(t.deployed!.reason).toBe('failed 1 of 7 runs (1 on a changed element)');
    expect([t.unexplained!.state, t.unexplained!.flips]).toEqual(['flaky', 2]);
    // Still failing on the changed element three runs on: broken until someone accepts the heal.
    expect(t.stuck!.state).toBe('broken');
  });
});
