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

const counted = z.object({ value: z.string(), count: z.number().int().positive() }).strict();
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
    /** Step sequences of passing tests (`goto → fill → click → expect toHaveText`), most used first. */
    sequences: z.array(z.object({ steps: z.array(z.string()), count: z.number().int().positive() }).strict()),
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

function addCounts(list: readonly Counted[], values: readonly string[], cap: number): Counted[] {
  const map = new Map(list.map((c) => [c.value, c.count]));
  for (const v of new Set(values)) map.set(v, (map.get(v) ?? 0) + 1);
  return [...map].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)).slice(0, cap);
}

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
  if (steps.length) {
    const same = p.sequences.find((s) => s.steps.join('\u0000') === steps.join('\u0000'));
    if (same) same.count++;
    else p.sequences.push({ steps: [...steps], count: 1 });
    p.sequences = p.sequences.sort((a, b) => b.count - a.count).slice(0, MAX_SEQUENCES);
  }
  p.locators = addCounts(p.locators, o.locators, MAX_LOCATORS);
  p.assertions = addCounts(p.assertions, o.steps.filter((s) => s.startsWith('expect ')).map((s) => s.slice('expect '.length)), MAX_ASSERTIONS);
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
