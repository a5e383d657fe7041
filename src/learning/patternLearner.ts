import { createHash } from 'node:crypto';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import type { AttemptRecord } from '../store/records.js';
import type { Embedder } from '../vector/embedder.js';
import type { VectorIndex } from '../vector/VectorIndex.js';
import { categorizeError, type FailureCategory } from './categorize.js';
import {
  bestKnownFix,
  choosePattern,
  fixRate,
  mergeOccurrence,
  recordFix,
  type FailureOccurrence,
  type FailurePattern,
  type KnownFix,
} from './failurePatterns.js';
import { failureSignature, signatureBasis } from './signature.js';

/** What the learner needs: the store, an embedder and the index of its pattern vectors. */
export type PatternDeps = {
  store: KnowledgeStore;
  embedder: Embedder;
  /** The "failures" collection, of `embedder`'s vectors. */
  index: VectorIndex;
  /** Cosine at or above which a failure joins the nearest pattern of its category. Default 0.9. */
  threshold?: number;
};

/**
 * With the hashing embedder, Playwright's shared wording (`locator.click: Timeout exceeded,
 * waiting for …`) puts two different locators at about 0.85, and the same widget under two
 * selectors (`#cart-count`, `#cart-counter`) at about 0.95.
 */
const DEFAULT_THRESHOLD = 0.9;

/** Categories that say the application or its environment is down, not one test. */
const ENVIRONMENT: ReadonlySet<string> = new Set<FailureCategory>(['network', 'navigation', 'page_crash']);
/** Share of a run's tests failing with one environment category that makes them one outage. */
const OUTAGE_SHARE = 0.3;
const OUTAGE_MIN = 3;

/** What the pattern's vector says: the signature's basis without the stack (category, the failing call, locator or URL, texts). */
function embeddingText(category: FailureCategory, message: string): string {
  return signatureBasis({ message }, category).split('\n--')[0]!.slice(0, 4000);
}

/**
 * Whether a message names what failed (a locator, a URL, a quoted text): only then may it join
 * a pattern by likeness. `expect(received).toBe(expected)` in two tests says nothing about a
 * shared cause, so such failures join by signature only (the same code).
 */
export function namesItsSubject(message: string): boolean {
  return /\blocator\(|\bgetBy\w+\(|\w+:\/\/|["'][^"'\n]{2,}["']/.test(signatureBasis({ message }, 'unknown'));
}

/** `cart.spec.ts › cart` from a test: its file and first describe (titlePath without the title). */
export function featureOf(attempt: Pick<AttemptRecord, 'file' | 'titlePath'>): string {
  const file = attempt.file.split('/').pop() ?? attempt.file;
  const describe = attempt.titlePath.length > 1 ? attempt.titlePath[0] : undefined;
  return describe ? `${file} › ${describe}` : file;
}

/** The id a new failure pattern gets from its project and first signature. */
export const patternId = (project: string, signature: string) => `fp-${createHash('sha1').update(`${project}\u0000${signature}`).digest('hex').slice(0, 12)}`;

/**
 * Learns from one recorded run: every failing attempt joins a failure pattern (its signature's,
 * else the nearest of its category above the threshold, else a new one; an outage, many tests
 * failing with one environment category, is one pattern); every test that failed last time and
 * passes now records what made it pass (its heals, or a retry) as a known fix of the patterns
 * it failed with, and a heal that did not save a failing attempt counts as a failed try.
 * @returns the patterns the run touched, and which of them are new
 * @example const { touched } = await learnFailures(deps, runId);
 */
export async function learnFailures(deps: PatternDeps, runId: string): Promise<{ touched: FailurePattern[]; created: string[] }> {
  const { store, embedder, index } = deps;
  const threshold = deps.threshold ?? DEFAULT_THRESHOLD;
  const run = await store.getRun(runId);
  if (!run) return { touched: [], created: [] };
  const project = run.project;
  const attempts = await store.listAttempts({ runId });
  const patterns = new Map((await store.listFailurePatterns({ project })).map((p) => [p.id, p]));
  const touched = new Set<string>();
  const created: string[] = [];

  // An outage: one environment category in a large share of the run's tests.
  const tests = new Set(attempts.map((a) => a.testKey)).size;
  const byCategory = new Map<string, Set<string>>();
  for (const a of attempts) if (a.error && ENVIRONMENT.has(a.error.category)) byCategory.set(a.error.category, (byCategory.get(a.error.category) ?? new Set()).add(a.testKey));
  const outage = new Set([...byCategory].filter(([, t]) => t.size >= OUTAGE_MIN && t.size >= OUTAGE_SHARE * tests).map(([c]) => c));

  /** The pattern each failing attempt joined, by attempt. */
  const joined = new Map<AttemptRecord, string>();
  for (const a of attempts) {
    if (!a.error || a.status === a.expectedStatus) continue; // test.fail() that failed: as expected
    const signature = outage.has(a.error.category) ? `environment:${a.error.category}` : a.error.signature;
    const o: FailureOccurrence = { project, runId, testKey: a.testKey, feature: featureOf(a), category: a.error.category, signature, message: a.error.message, at: a.startedAt };
    const known = [...patterns.values()];
    // Embedded only when the signature does not decide (most failures recur with their signature).
    let id = choosePattern(o, known, [], threshold);
    if (!id) {
      const [vector] = await embedder.embed([embeddingText(a.error.category as FailureCategory, o.message)]);
      const specific = namesItsSubject(o.message);
      const nearest = specific ? await index.query(vector!, { k: 3, where: { project, category: o.category, specific: true } }) : [];
      id = choosePattern(o, known, nearest, threshold) ?? patternId(project, signature);
      if (!patterns.has(id)) {
        created.push(id);
        await index.upsert([{ id, vector: vector!, metadata: { project, category: o.category, specific } }]);
      }
    }
    patterns.set(id, mergeOccurrence(patterns.get(id), o, id));
    touched.add(id);
    joined.set(a, id);
  }

  // Known fixes: what turned a failure of a pattern into a pass.
  const heals = await store.listHeals({ runId });
  const healsOf = (a: AttemptRecord) => heals.filter((h) => h.testId === a.testId && h.retry === a.retry && h.outcome === 'healed');
  for (const a of attempts) {
    const at = a.startedAt;
    const own = joined.get(a);
    if (own) {
      // Healed steps that did not save this attempt are failed tries of their fixes.
      for (const h of healsOf(a)) patterns.set(own, recordFix(patterns.get(own)!, fixOf(h), false, at));
      continue;
    }
    if (a.status !== 'passed') continue;
    const before = await previousFailure(store, attempts, a);
    if (!before) continue;
    const ids = [...patterns.values()].filter((p) => p.signatures.includes(before.error!.signature) || joined.get(before) === p.id).map((p) => p.id);
    const fixes = healsOf(a).map(fixOf);
    if (fixes.length === 0 && before.runId === runId) fixes.push({ strategy: 'retry' });
    for (const id of ids) {
      for (const fix of fixes) patterns.set(id, recordFix(patterns.get(id)!, fix, true, at));
      touched.add(id);
    }
  }
  const out = [...touched].map((id) => patterns.get(id)!);
  await store.putFailurePatterns(out);
  return { touched: out, created };
}

/**
 * Which pattern each recorded failure joined, as far as the stored patterns tell: the one that
 * holds its signature, else its outage's (`environment:<category>`); undefined when none does.
 * @example const of = patternOfFailure(await store.listFailurePatterns({ project })); of(attempt)?.id
 */
export function patternOfFailure(patterns: readonly FailurePattern[]): (attempt: Pick<AttemptRecord, 'error'>) => FailurePattern | undefined {
  const bySignature = new Map(patterns.flatMap((p) => p.signatures.map((s) => [s, p] as const)));
  return ({ error }) => (error ? (bySignature.get(error.signature) ?? bySignature.get(`environment:${error.category}`)) : undefined);
}

function fixOf(h: { strategy: KnownFix['strategy']; from: { code: string }; to?: { code: string } | undefined }): Omit<KnownFix, 'successes' | 'tries' | 'lastAt'> {
  return { strategy: h.strategy, from: h.from.code, ...(h.to ? { to: h.to.code } : {}) };
}

/** The attempt of the same test just before this one, when it failed: the earlier retry in this run, else its last attempt in an earlier run. */
async function previousFailure(store: KnowledgeStore, attempts: readonly AttemptRecord[], a: AttemptRecord): Promise<AttemptRecord | undefined> {
  if (a.retry > 0) {
    const earlier = attempts.find((b) => b.testId === a.testId && b.retry === a.retry - 1);
    return earlier?.error ? earlier : undefined;
  }
  const history = await store.listAttempts({ testKey: a.testKey, limit: 20 });
  const last = history.find((b) => b.runId !== a.runId && b.startedAt < a.startedAt);
  return last?.error ? last : undefined;
}

export type FixSuggestion = {
  category: string;
  signature: string;
  /** The pattern the error belongs to, when one is known. */
  pattern?: FailurePattern;
  /** How like the pattern it is: 1 for the same signature, else the cosine of the nearest. */
  similarity: number;
  fix?: KnownFix;
  /** The fix's past success rate (`fixRate`) times the similarity; 0 with no fix. */
  confidence: number;
  /** The seed's rule: apply the known fix first when the confidence is above 0.8. */
  applyFirst: boolean;
  /** Without a known fix: what is known, in words. */
  analysis: string;
};

/**
 * The best known fix for an error, with its past success rate, or an analysis with low
 * confidence when nothing is known.
 * @example const s = await suggestFixStrategy(deps, 'shop', { message: error.message }); if (s.applyFirst) use(s.fix);
 */
export async function suggestFixStrategy(deps: PatternDeps, project: string, error: { message: string; stack?: string }): Promise<FixSuggestion> {
  const category = categorizeError(error);
  const signature = failureSignature(error, category);
  const patterns = await deps.store.listFailurePatterns({ project, category });
  let pattern = patterns.find((p) => p.signatures.includes(signature));
  let similarity = pattern ? 1 : 0;
  if (!pattern && namesItsSubject(error.message)) {
    const [vector] = await deps.embedder.embed([embeddingText(category, error.message)]);
    const [hit] = await deps.index.query(vector!, { k: 1, where: { project, category, specific: true } });
    if (hit && hit.score >= (deps.threshold ?? DEFAULT_THRESHOLD)) {
      pattern = patterns.find((p) => p.id === hit.id);
      similarity = pattern ? hit.score : 0;
    }
  }
  const fix = pattern ? bestKnownFix(pattern) : undefined;
  const confidence = fix ? fixRate(fix) * similarity : 0;
  const analysis = !pattern
    ? `A new ${category} failure: no known pattern is like it.`
    : fix
      ? `Seen ${pattern.count} times in ${pattern.tests.length} tests; ${fix.strategy}${fix.to ? ` to ${fix.to}` : ''} fixed it ${fix.successes} of ${fix.tries} times.`
      : `Seen ${pattern.count} times in ${pattern.tests.length} tests since ${pattern.firstSeen}; nothing has fixed it yet.`;
  return { category, signature, ...(pattern ? { pattern } : {}), similarity, ...(fix ? { fix } : {}), confidence, applyFirst: confidence > 0.8, analysis };
}
