import { z } from 'zod';

// Success patterns: what worked, per feature (file › first describe) — the locators and step
// sequences its passing tests used, their assertion styles and time. Pure: the learner
// (successLearner.ts) does the I/O.

const MAX_TESTS = 100;
const MAX_SEQUENCES = 5;
const MAX_LOCATORS = 30;
const MAX_ASSERTIONS = 20;
/** A sequence is kept to this many steps: enough to tell flows apart, little to store. */
const SEQUENCE_STEPS = 40;

/** Each list keeps this many times its cap of entries, dropping the least recently seen, so a new flow can still rise. */
const POOL = 4;

const counted = z.object({ value: z.string(), count: z.number().int().positive(), lastAt: z.iso.datetime() }).strict();
export type Counted = z.infer<typeof counted>;

export const successPatternSchema = z
  .object({
    id: z.string().min(1),
    project: z.string().min(1),
    /** `checkout.spec.ts › checkout`: the spec file and first describe. */
    feature: z.string().min(1),
    tests: z.array(z.string()),
    /** Final results of its tests over runs: passed (also on a retry) and failed. */
    passes: z.number().int().nonnegative(),
    failures: z.number().int().nonnegative(),
    firstSeen: z.iso.datetime(),
    lastSeen: z.iso.datetime(),
    /** Mean duration of its passing attempts. */
    meanMs: z.number().nonnegative(),
    /** Step sequences of passing tests (`goto → fill → click → expect toHaveText`), most used first; the least recently seen go beyond 4 × 5. */
    sequences: z.array(z.object({ steps: z.array(z.string()), count: z.number().int().positive(), lastAt: z.iso.datetime() }).strict()),
    /** Locators passing tests used, most used first. */
    locators: z.array(counted),
    /** Assertion matchers passing tests used (`toHaveText`, `toBeVisible`), most used first. */
    assertions: z.array(counted),
  })
  .strict();
export type SuccessPattern = z.infer<typeof successPatternSchema>;

/** One test's final result in one run, as the learner sees it. */
export type SuccessObservation = {
  project: string;
  feature: string;
  testKey: string;
  passed: boolean;
  steps: readonly string[];
  locators: readonly string[];
  durationMs: number;
  at: string;
};

/** Laplace's rule over its tests' final results: (passes + 1) / (passes + failures + 2). */
export function successRate(p: Pick<SuccessPattern, 'passes' | 'failures'>): number {
  return (p.passes + 1) / (p.passes + p.failures + 2);
}

/** Most used first; of equal use, the most recently seen first. */
const byUse = <T extends { count: number; lastAt: string }>(a: T, b: T) => b.count - a.count || (a.lastAt < b.lastAt ? 1 : a.lastAt > b.lastAt ? -1 : 0);

/** `list` with one more use of each entry `keyOf` finds (or a new one), the least recently seen dropped beyond `cap` × POOL. */
function countUse<T extends { count: number; lastAt: string }>(list: readonly T[], fresh: readonly T[], keyOf: (entry: T) => string, cap: number): T[] {
  const map = new Map(list.map((e) => [keyOf(e), { ...e }]));
  for (const e of fresh) {
    const seen = map.get(keyOf(e));
    if (seen) {
      seen.count++;
      if (e.lastAt > seen.lastAt) seen.lastAt = e.lastAt;
    } else map.set(keyOf(e), { ...e });
  }
  const kept = [...map.values()].sort((a, b) => (a.lastAt < b.lastAt ? 1 : a.lastAt > b.lastAt ? -1 : 0)).slice(0, cap * POOL);
  return kept.sort(byUse);
}

const addCounts = (list: readonly Counted[], values: readonly string[], cap: number, at: string) =>
  countUse(list, [...new Set(values)].map((value) => ({ value, count: 1, lastAt: at })), (c) => c.value, cap);

/**
 * The pattern after one more result of one of its tests: a failure counts against its success
 * rate only; a pass adds its sequence, locators, assertion styles and time.
 * @example const next = mergeSuccess(stored, { ...observation, passed: true }, id);
 */
export function mergeSuccess(previous: SuccessPattern | undefined, o: SuccessObservation, id: string): SuccessPattern {
  const p: SuccessPattern = previous
    ? structuredClone(previous)
    : { id, project: o.project, feature: o.feature, tests: [], passes: 0, failures: 0, firstSeen: o.at, lastSeen: o.at, meanMs: 0, sequences: [], locators: [], assertions: [] };
  if (!p.tests.includes(o.testKey)) p.tests = [...p.tests, o.testKey].slice(-MAX_TESTS);
  if (o.at < p.firstSeen) p.firstSeen = o.at;
  if (o.at > p.lastSeen) p.lastSeen = o.at;
  if (!o.passed) {
    p.failures++;
    return successPatternSchema.parse(p);
  }
  p.meanMs = (p.meanMs * p.passes + o.durationMs) / (p.passes + 1);
  p.passes++;
  const steps = o.steps.slice(0, SEQUENCE_STEPS);
  if (steps.length) p.sequences = countUse(p.sequences, [{ steps: [...steps], count: 1, lastAt: o.at }], (s) => s.steps.join('\u0000'), MAX_SEQUENCES);
  p.locators = addCounts(p.locators, o.locators, MAX_LOCATORS, o.at);
  p.assertions = addCounts(p.assertions, o.steps.filter((s) => s.startsWith('expect ')).map((s) => s.slice('expect '.length)), MAX_ASSERTIONS, o.at);
  return successPatternSchema.parse(p);
}

/** What a pattern's vector says: its feature, its tests' titles and the locators they use. */
export function successText(p: Pick<SuccessPattern, 'feature' | 'tests' | 'locators'>): string {
  const titles = p.tests
    .map((t) => {
      const parts = t.split(' › ');
      return parts.slice(parts.findIndex((part) => /\.[cm]?[jt]sx?$/.test(part)) + 1).join(' ');
    })
    .filter(Boolean);
  return [p.feature.replace(/\.(spec|test)\.[jt]sx?/g, ''), ...titles, ...p.locators.slice(0, 10).map((l) => l.value)].join('\n').slice(0, 4000);
}
