import { describe, expect, it } from 'vitest';
import { makeAttempt, makeRun } from '../store/contract.testkit.js';
import type { FailurePattern } from '../learning/failurePatterns.js';
import type { SelectorRecord } from '../learning/catalog.js';
import type { AttemptRecord, RunRecord } from '../store/records.js';
import { gatherEvidence, type GitLookup } from './evidence.js';

const now = new Date('2026-12-01T12:00:00.000Z');
const day = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();

/** Runs r1..rN a day apart (sha s1..sN), and each test's outcome per run: P pass, F fail, R pass on retry. */
function history(outcomes: Record<string, string>): { runs: RunRecord[]; attempts: AttemptRecord[] } {
  const n = Math.max(...Object.values(outcomes).map((o) => o.length));
  const runs = Array.from({ length: n }, (_, i) => makeRun({ id: `r${i + 1}`, gitSha: `s${i + 1}`, startedAt: day(n - i), playwrightVersion: '1.64.0' }));
  const attempts: AttemptRecord[] = [];
  for (const [title, os] of Object.entries(outcomes)) {
    [...os].forEach((o, i) => {
      const base = { runId: `r${i + 1}`, testKey: `chromium › ${title}.spec.ts › ${title}`, testId: title, title, titlePath: [title], file: `${title}.spec.ts`, locators: [`getByTestId('${title}')`] };
      if (o === 'R') {
        attempts.push(makeAttempt({ ...base, status: 'failed', outcome: 'unexpected' }), makeAttempt({ ...base, retry: 1, outcome: 'flaky' }));
      } else attempts.push(makeAttempt({ ...base, status: o === 'F' ? 'failed' : 'passed', outcome: o === 'F' ? 'unexpected' : 'expected' }));
    });
  }
  return { runs, attempts };
}

function fakeGit(since: Record<string, Record<string, string[]>>, between: Record<string, string[]> = {}): GitLookup & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    changedSince: (sha) => {
      calls.push(`since ${sha}`);
      const files = since[sha];
      return files ? new Map(Object.entries(files).map(([f, a]) => [f, new Set(a)])) : undefined;
    },
    changedBetween: (a, b) => between[`${a}..${b}`],
  };
}

const selector = (code: string, over: Partial<SelectorRecord>): SelectorRecord => ({
  selector: code, code, project: 'default', pageKey: '/', fingerprint: null, confidence: 0.9, timesUsed: 3, failureCount: 0, lastWorking: day(1), lastSeen: day(1), alternatives: [], ...over,
});

describe('risk evidence', () => {
  it("reads each test's results oldest first, a run where most tests failed included (whatever failed them, they failed)", () => {
    const { runs, attempts } = history({ a: 'PPFFP', b: 'PPFPP', c: 'PPFPP', d: 'PPFPP', e: 'PPPPR' });
    const evidence = new Map(gatherEvidence({ runs, attempts, selectors: [], patterns: [], now }).map((x) => [x.test.title, x.evidence]));
    expect(evidence.get('a')!.history).toEqual(['pass', 'pass', 'fail', 'fail', 'pass']);
    expect(evidence.get('e')!.history).toEqual(['pass', 'pass', 'pass', 'pass', 'retry']);
    // …but flakiness leaves that run out (a run of 5 where 4 failed says the app was down).
    expect(evidence.get('b')!.flakiness).toBe(0);
  });

  it('counts changes since the last pass in the spec, its imports and files history ties to its failures', () => {
    const { attempts } = history({ a: 'PPPF', b: 'PPPP' });
    const git = fakeGit(
      {
        s2: { 'a.spec.ts': ['ann@x'], 'pages/a.ts': ['bob@x'], 'src/shop.ts': ['bob@x'], 'package-lock.json': ['bot@x'] },
        s4: { 'pages/a.ts': ['working tree'], 'docs/readme.md': ['ann@x'] },
      },
      { 's2..s4': ['src/shop.ts', 'package-lock.json'] },
    );
    const evidence = gatherEvidence({
      runs: history({ a: 'PPPF', b: 'PPPP' }).runs.map((r) => (r.id === 'r3' ? { ...r, gitSha: 's2' } : r)),
      attempts,
      selectors: [],
      patterns: [],
      git,
      importsOf: (file) => (file === 'a.spec.ts' ? ['pages/a.ts'] : []),
      isLockfile: (f) => f === 'package-lock.json',
      playwrightVersion: '1.65.1',
      now,
    });
    const a = evidence.find((x) => x.test.title === 'a')!.evidence;
    const b = evidence.find((x) => x.test.title === 'b')!.evidence;
    // a last passed in r3 (sha s2 here): its spec, its page object and the app file of its r3→r4 failure changed since.
    expect(a.churn).toEqual({ files: ['a.spec.ts', 'pages/a.ts', 'src/shop.ts'], authors: 2 });
    expect(a.dependencies).toEqual(['package-lock.json', 'playwright 1.64.0 → 1.65.1']);
    // b passed in r4 (sha s4): only uncommitted work and an unrelated file since, none linked.
    expect(b.churn).toEqual({ files: [], authors: 0 });
    expect(b.dependencies).toEqual(['playwright 1.64.0 → 1.65.1']);
  });

  it('says churn is unknown when git does not know the commit (a shallow clone)', () => {
    const { runs, attempts } = history({ a: 'PP' });
    const [a] = gatherEvidence({ runs, attempts, selectors: [], patterns: [], git: fakeGit({}), now });
    expect(a!.evidence.churn).toBeUndefined();
  });

  it('finds stale selectors: never or long not verified working, or losing confidence', () => {
    const { runs, attempts } = history({ a: 'PP', b: 'PP', c: 'PP', d: 'PP' });
    const selectors = [
      selector("getByTestId('a')", { lastWorking: day(30) }),
      selector("getByTestId('b')", { confidence: 0.5, runs: [{ key: 'r2', before: 0.7, worked: false, failed: true }] }),
      selector("getByTestId('c')", { lastWorking: day(2), runs: [{ key: 'r2', before: 0.8, worked: true, failed: false }] }),
    ];
    const evidence = new Map(gatherEvidence({ runs, attempts, selectors, patterns: [], now }).map((x) => [x.test.title, x.evidence.selectors]));
    expect(evidence.get('a')).toEqual({ total: 1, stale: ["getByTestId('a')"] });
    expect(evidence.get('b')).toEqual({ total: 1, stale: ["getByTestId('b')"] });
    expect(evidence.get('c')).toEqual({ total: 1, stale: [] });
    expect(evidence.get('d')).toEqual({ total: 0, stale: [] }); // not catalogued: not counted
  });

  it('finds recent failure patterns on the same feature or naming one of its selectors, not old ones', () => {
    const { runs, attempts } = history({ a: 'PPPPP', b: 'PPPPP' });
    const pattern = (id: string, over: Partial<FailurePattern>): FailurePattern => ({
      id, project: 'default', category: 'selector', signatures: [id], count: 1, firstSeen: day(1), lastSeen: day(1), runs: ['r5'], tests: [], features: [], examples: ['boom'], knownFixes: [], ...over,
    });
    const patterns = [
      pattern('p1', { features: ['a.spec.ts › a'] }),
      pattern('p2', { examples: ["waiting for getByTestId('b')"] }),
      pattern('p3', { features: ['b.spec.ts › b'], lastSeen: day(10) }),
    ];
    const evidence = new Map(gatherEvidence({ runs, attempts, selectors: [], patterns, now }).map((x) => [x.test.title, x.evidence.similarFailures]));
    expect(evidence.get('a')).toHaveLength(0); // a's feature is "a.spec.ts" (no describe): p1 names another
    expect(evidence.get('b')).toEqual(["selector: waiting for getByTestId('b')"]);
  });

  it('adds listed tests that have no run yet, with an empty history', () => {
    const { runs, attempts } = history({ a: 'PP' });
    const listed = [{ testKey: 'chromium › new.spec.ts › new', title: 'new', titlePath: ['new'], file: 'new.spec.ts', projectName: 'chromium' }];
    const all = gatherEvidence({ runs, attempts, selectors: [], patterns: [], listed, now });
    expect(all.map((x) => x.test.title).sort()).toEqual(['a', 'new']);
    expect(all.find((x) => x.test.title === 'new')!.evidence.history).toEqual([]);
  });
});

describe('risk evidence after a failure', () => {
  it('says whether anything linked to a test changed since the run it failed (a fix, maybe)', () => {
    const { runs, attempts } = history({ a: 'PF', b: 'PF', c: 'PP' });
    const git = fakeGit({ s1: { 'a.spec.ts': ['ann@x'] }, s2: { 'a.spec.ts': ['ann@x'], 'x.ts': ['bob@x'] } });
    const evidence = new Map(gatherEvidence({ runs, attempts, selectors: [], patterns: [], git, now }).map((x) => [x.test.title, x.evidence]));
    expect(evidence.get('a')!.sinceFailure).toEqual(['a.spec.ts']);
    expect(evidence.get('b')!.sinceFailure).toEqual([]);
    expect(evidence.get('c')!.sinceFailure).toBeUndefined();
  });

  it('suspects the files linked to it among those that changed before it failed: a README edited then and since is no fix', () => {
    const { runs, attempts } = history({ a: 'PPPF' });
    // The README changes before every run (so history ties it to no failure); a.spec.ts before the failure.
    const readme = { 's1..s2': ['README.md'], 's2..s3': ['README.md'] };
    const sinceOf = (between: Record<string, string[]>) =>
      gatherEvidence({ runs, attempts, selectors: [], patterns: [], git: fakeGit({ s4: { 'README.md': ['ann@x'] } }, between), now })[0]!.evidence.sinceFailure;
    expect(sinceOf({ ...readme, 's3..s4': ['a.spec.ts', 'README.md'] })).toEqual([]); // its spec broke it, and nobody has touched it since
    // None of its linked files changed before it failed: every changed file is a suspect.
    expect(sinceOf({ ...readme, 's3..s4': ['README.md'] })).toEqual(['README.md']);
  });
});

describe('risk evidence from the pages a test visits', () => {
  it('links application files named after the pages of its catalogued selectors', () => {
    const { runs, attempts } = history({ a: 'PP', b: 'PP' });
    const selectors = [selector("getByTestId('a')", { pageKey: '/cart' }), selector("getByTestId('b')", { pageKey: '/products/:id' })];
    const git = fakeGit({
      s2: { 'src/pages/CartPage.tsx': ['ann@x'], 'public/cart.html': ['bob@x'], 'src/cart-utils.ts': ['ann@x'], 'src/products.ts': ['cid@x'] },
    });
    const evidence = new Map(gatherEvidence({ runs, attempts, selectors, patterns: [], git, now }).map((x) => [x.test.title, x.evidence.churn]));
    expect(evidence.get('a')).toEqual({ files: ['public/cart.html', 'src/pages/CartPage.tsx'], authors: 2 });
    expect(evidence.get('b')).toEqual({ files: ['src/products.ts'], authors: 1 });
  });
});
