import { z } from 'zod';
import { healStrategySchema } from './heals.js';

// Failure patterns: failing attempts with one root cause, grouped across tests and runs, and
// what turned them into passes. Pure: the learner (patternLearner.ts) does the I/O.

const MAX_TESTS = 100;
const MAX_EXAMPLES = 3;
const MAX_RUNS = 20;

/** A fix that turned a failure of the pattern into a pass: a heal's strategy and, when it has one, its new locator. */
export const knownFixSchema = z
  .object({
    strategy: z.union([healStrategySchema, z.literal('retry')]),
    /** The healed locator's code (`page.getByTestId('bag-count')`), when the fix is a heal. */
    to: z.string().optional(),
    /** What it replaced. */
    from: z.string().optional(),
    successes: z.number().int().nonnegative(),
    tries: z.number().int().positive(),
    lastAt: z.iso.datetime(),
  })
  .strict();
export type KnownFix = z.infer<typeof knownFixSchema>;

export const failurePatternSchema = z
  .object({
    id: z.string().min(1),
    project: z.string().min(1),
    category: z.string().min(1),
    /** Every failure signature that joined it (the first is the one it started with). */
    signatures: z.array(z.string()).min(1),
    count: z.number().int().positive(),
    firstSeen: z.iso.datetime(),
    lastSeen: z.iso.datetime(),
    /** The runs it was seen in, newest last (up to 20): new vs recurring. */
    runs: z.array(z.string()),
    tests: z.array(z.string()),
    features: z.array(z.string()),
    examples: z.array(z.string()),
    knownFixes: z.array(knownFixSchema),
    /**
     * A human's decision (`medic review`): `acknowledged` (a real problem, someone owns it) or
     * `dismissed` (not worth attention); either holds until a new signature joins (`signature`:
     * the newest one then).
     */
    review: z.object({ decision: z.enum(['acknowledged', 'dismissed']), at: z.iso.datetime(), signature: z.string() }).strict().optional(),
  })
  .strict();
export type FailurePattern = z.infer<typeof failurePatternSchema>;

/** One failing attempt as the learner sees it. */
export type FailureOccurrence = {
  project: string;
  runId: string;
  testKey: string;
  feature: string;
  category: string;
  signature: string;
  message: string;
  at: string;
};

const pushCapped = (list: readonly string[], value: string, cap: number) => (list.includes(value) ? [...list] : [...list, value].slice(-cap));

/**
 * The pattern after one more occurrence; a new pattern (with `id`) when there is none.
 * @example mergeOccurrence(undefined, occurrence, 'fp-1').count // 1
 */
export function mergeOccurrence(pattern: FailurePattern | undefined, o: FailureOccurrence, id: string): FailurePattern {
  const base: FailurePattern = pattern ?? {
    id,
    project: o.project,
    category: o.category,
    signatures: [o.signature],
    count: 0,
    firstSeen: o.at,
    lastSeen: o.at,
    runs: [],
    tests: [],
    features: [],
    examples: [],
    knownFixes: [],
  };
  return {
    ...base,
    signatures: pushCapped(base.signatures, o.signature, 50),
    count: base.count + 1,
    firstSeen: o.at < base.firstSeen ? o.at : base.firstSeen,
    lastSeen: o.at > base.lastSeen ? o.at : base.lastSeen,
    runs: pushCapped(base.runs, o.runId, MAX_RUNS),
    tests: pushCapped(base.tests, o.testKey, MAX_TESTS),
    features: pushCapped(base.features, o.feature, MAX_TESTS),
    examples: base.examples.length >= MAX_EXAMPLES || base.examples.includes(o.message) ? base.examples : [...base.examples, o.message.slice(0, 2000)],
  };
}

/** Whether a pattern was first seen in this run (new) or before it (recurring). */
export function isNewIn(pattern: FailurePattern, runId: string): boolean {
  return pattern.runs[0] === runId;
}

/**
 * Where an occurrence goes: the pattern with its signature; else the nearest pattern of its
 * category at or above `threshold` (cosine of their embeddings); else a new one.
 * @example choosePattern(o, patterns, [{ id: 'fp-2', score: 0.91 }], 0.8) // 'fp-2'
 */
export function choosePattern(
  o: Pick<FailureOccurrence, 'category' | 'signature'>,
  patterns: readonly FailurePattern[],
  nearest: readonly { id: string; score: number }[],
  threshold: number,
): string | undefined {
  const same = patterns.find((p) => p.signatures.includes(o.signature));
  if (same) return same.id;
  const byId = new Map(patterns.map((p) => [p.id, p]));
  return nearest.find((hit) => hit.score >= threshold && byId.get(hit.id)?.category === o.category)?.id;
}

/** The pattern with one more try of a fix (a success when it turned the failure into a pass). */
export function recordFix(pattern: FailurePattern, fix: Omit<KnownFix, 'successes' | 'tries' | 'lastAt'>, success: boolean, at: string): FailurePattern {
  const same = (k: KnownFix) => k.strategy === fix.strategy && k.to === fix.to;
  const known = pattern.knownFixes.find(same);
  const next: KnownFix = known
    ? { ...known, successes: known.successes + (success ? 1 : 0), tries: known.tries + 1, lastAt: at > known.lastAt ? at : known.lastAt }
    : { ...fix, successes: success ? 1 : 0, tries: 1, lastAt: at };
  return { ...pattern, knownFixes: [...pattern.knownFixes.filter((k) => !same(k)), next] };
}

/**
 * A fix's success rate with Laplace's rule, (successes + 1) / (tries + 2): one success in one
 * try is 0.67, not 1, so a fix seen once does not outrank one that worked nine times in ten,
 * and the "apply first above 0.8" rule needs four successes in a row.
 */
export function fixRate(fix: Pick<KnownFix, 'successes' | 'tries'>): number {
  return (fix.successes + 1) / (fix.tries + 2);
}

/** The pattern's best known fix by `fixRate`, newest on ties; undefined when none ever succeeded. */
export function bestKnownFix(pattern: FailurePattern): KnownFix | undefined {
  return [...pattern.knownFixes].filter((k) => k.successes > 0).sort((a, b) => fixRate(b) - fixRate(a) || (b.lastAt > a.lastAt ? 1 : -1))[0];
}
