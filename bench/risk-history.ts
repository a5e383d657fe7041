// The replayed history of `npm run bench:risk`: the demo suite's real tests (their files,
// titles and page-object imports) in a real git repository, run after run, with causes of
// failure injected the way they reach a team: app changes that break a feature's tests until a
// fix lands, page-object and spec edits with mistakes, dependency bumps, flaky tests, one-off
// noise, and harmless commits. Each run is a commit (or none) and the outcome of every test;
// the predictor sees only git and what the store recorded, never the causes.
import { gitAs } from '../test/helpers/git.js';
import { appendFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestRef } from '../src/risk/evidence.js';
import { seededRandom } from '../src/llm/select.js';

/** A test of the suite with the files it depends on (for the causes, not for the predictor). */
export type SuiteTest = TestRef & { app: string[]; pages: string[] };

export type Outcome = 'passed' | 'flaky' | 'failed';
/**
 * `exposure`: each test's chance to fail given what caused this run's failures (which causes
 * touched it and how likely each breaks it, not which of them did): the best any predictor can
 * do, as a ceiling for the bench.
 */
export type ReplayedRun = { outcomes: Map<string, { outcome: Outcome; cause?: string }>; commits: string[]; exposure: Map<string, number> };

/** Small seeded PRNG (mulberry32, the model selection's): the same seed gives the same history. */
export const random = seededRandom;

/** Which app pages each feature of the demo suite opens (e2e/apps/v1). */
const FEATURE_PAGES: Record<string, string[]> = {
  cart: ['cart.html'],
  catalogue: ['products.html', 'index.html'],
  checkout: ['checkout.html', 'confirmation.html'],
  'product detail': ['product.html'],
  'sign in': ['signin.html'],
};
const AUTHORS = ['ann', 'bob', 'cid', 'dee', 'eve'];

/** Probabilities of the injected causes per run (documented in the bench's output). */
export const CAUSES = {
  // A change breaks some tests; each break lasts until its fix lands: a commit to the file that
  // broke them, made before any later run with chance `fixRate` (on average 2.5 runs).
  fixRate: 0.4,
  appChange: 0.35, // an app page changes; each of its feature's tests breaks with `appBreak`
  appBreak: 0.5,
  sharedChange: 0.08, // app.js changes; each test breaks with `sharedBreak`
  sharedBreak: 0.2,
  pageObjectChange: 0.3, // a page object is edited; each test importing it breaks with `pageObjectBreak`
  pageObjectBreak: 0.35,
  specChange: 0.3, // a spec file is edited; each of its tests breaks with `specBreak`
  specBreak: 0.25,
  dependencyBump: 0.12, // the lockfile changes; each test breaks with `dependencyBreak` (fixed by the next bump's fix)
  dependencyBreak: 0.12,
  flakyTests: 4, // tests that fail a first attempt with `flakyRate` (then pass on retry)
  flakyRate: 0.3,
  noise: 0.01, // any test fails once
  harmless: 0.6, // a commit to README.md or styles.css
} as const;

/**
 * A git repository holding a copy of the demo suite (e2e/demo) and app (e2e/apps/v1), and the
 * history the runs replay: call `next()` before each run for its commits and outcomes.
 */
export function replayHistory(repoRoot: string, dir: string, tests: readonly SuiteTest[], seed: number) {
  const rand = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const git = (args: string[], author?: string) => gitAs(dir, args, author);
  mkdirSync(join(dir, 'e2e', 'apps'), { recursive: true });
  cpSync(join(repoRoot, 'e2e', 'demo'), join(dir, 'e2e', 'demo'), { recursive: true });
  cpSync(join(repoRoot, 'e2e', 'apps', 'v1'), join(dir, 'e2e', 'apps', 'v1'), { recursive: true });
  writeFileSync(join(dir, 'package-lock.json'), '{"lockfileVersion":3}\n');
  writeFileSync(join(dir, 'README.md'), '# shop\n');
  git(['init', '-q', '-b', 'main']);
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'the shop']);

  let edits = 0;
  const commit = (path: string, why: string) => {
    if (path.endsWith('.json')) writeFileSync(join(dir, path), `{"lockfileVersion":3,"bump":${++edits}}\n`);
    else appendFileSync(join(dir, path), path.endsWith('.html') ? `\n<!-- ${why} ${++edits} -->\n` : `\n// ${why} ${++edits}\n`);
    git(['add', '-A']);
    git(['commit', '-q', '-m', `${why}: ${path}`], pick(AUTHORS));
    return `${why}: ${path}`;
  };

  const flaky = new Set<string>();
  while (flaky.size < Math.min(CAUSES.flakyTests, tests.length)) flaky.add(pick(tests).testKey);
  /** Broken tests: testKey → cause and the file whose fix mends it. */
  const broken = new Map<string, { cause: string; fix: string }>();
  const appPages = Object.values(FEATURE_PAGES).flat();
  const pageObjects = [...new Set(tests.flatMap((t) => t.pages))];
  const specs = [...new Set(tests.map((t) => t.file))];

  return {
    flaky,
    /** The commits before the next run and how each test ends in it. */
    next(): ReplayedRun {
      const commits: string[] = [];
      // Each broken file is fixed before this run with chance fixRate; its broken tests pass again.
      const fixed = new Set([...new Set([...broken.values()].map((b) => b.fix))].filter(() => rand() < CAUSES.fixRate));
      for (const path of fixed) commits.push(commit(path, 'fix'));
      for (const [key, b] of broken) if (fixed.has(b.fix)) broken.delete(key);
      const carried = new Set(broken.keys());
      const survive = new Map<string, number>(); // chance to escape this run's new causes
      const breakSome = (who: readonly SuiteTest[], p: number, cause: string, fix: string) => {
        for (const t of who) {
          survive.set(t.testKey, (survive.get(t.testKey) ?? 1) * (1 - p));
          if (!broken.has(t.testKey) && rand() < p) broken.set(t.testKey, { cause, fix });
        }
      };
      if (rand() < CAUSES.appChange) {
        const page = pick(appPages);
        const path = `e2e/apps/v1/${page}`;
        commits.push(commit(path, 'feature'));
        breakSome(tests.filter((t) => t.app.includes(page)), CAUSES.appBreak, `app change ${page}`, path);
      }
      if (rand() < CAUSES.sharedChange) {
        commits.push(commit('e2e/apps/v1/app.js', 'refactor'));
        breakSome(tests, CAUSES.sharedBreak, 'app.js change', 'e2e/apps/v1/app.js');
      }
      if (pageObjects.length && rand() < CAUSES.pageObjectChange) {
        const po = pick(pageObjects);
        const path = `e2e/demo/${po}`;
        commits.push(commit(path, 'page object'));
        breakSome(tests.filter((t) => t.pages.includes(po)), CAUSES.pageObjectBreak, `page object ${po}`, path);
      }
      if (rand() < CAUSES.specChange) {
        const spec = pick(specs);
        const path = `e2e/demo/${spec}`;
        commits.push(commit(path, 'test'));
        breakSome(tests.filter((t) => t.file === spec), CAUSES.specBreak, `spec ${spec}`, path);
      }
      if (rand() < CAUSES.dependencyBump) {
        commits.push(commit('package-lock.json', 'deps'));
        breakSome(tests, CAUSES.dependencyBreak, 'dependency bump', 'package-lock.json');
      }
      if (rand() < CAUSES.harmless) commits.push(commit(pick(['README.md', 'e2e/apps/v1/styles.css']), 'chore'));

      const outcomes = new Map<string, { outcome: Outcome; cause?: string }>();
      for (const t of tests) {
        const b = broken.get(t.testKey);
        if (b) outcomes.set(t.testKey, { outcome: 'failed', cause: b.cause });
        else if (rand() < CAUSES.noise) outcomes.set(t.testKey, { outcome: 'failed', cause: 'noise' });
        else if (flaky.has(t.testKey) && rand() < CAUSES.flakyRate) outcomes.set(t.testKey, { outcome: 'flaky', cause: 'flaky' });
        else outcomes.set(t.testKey, { outcome: 'passed' });
      }
      const exposure = new Map<string, number>();
      for (const t of tests) {
        const escape = (survive.get(t.testKey) ?? 1) * (1 - CAUSES.noise) * (flaky.has(t.testKey) ? 1 - CAUSES.flakyRate : 1);
        exposure.set(t.testKey, carried.has(t.testKey) ? 1 : 1 - escape);
      }
      return { outcomes, commits, exposure };
    },
    head: () => git(['rev-parse', 'HEAD']),
  };
}

/** The app pages a feature (first describe title) opens. */
export const pagesOfFeature = (feature: string) => FEATURE_PAGES[feature] ?? [];
