import { createHash } from 'node:crypto';
import { z } from 'zod';
import { bestKnownFix, type FailurePattern } from '../learning/failurePatterns.js';
import type { HealEvent } from '../learning/heals.js';

// The human review queue (pure): heals and failure patterns a human should look at, each with a
// short stable ID. The CLI (`medic review`) reads the store and records decisions (decide.ts).

/** How far above the healing threshold a heal's confidence must be to need no look. */
export const REVIEW_MARGIN = 0.1;
/** The fewest hex digits of an ID that `resolveIds` takes. */
export const MIN_ID_DIGITS = 4;
/** The fewest hex digits of an ID as it is shown (more when another item shares them). */
const SHOWN_DIGITS = 7;

export const reviewStateSchema = z.enum(['pending', 'accepted', 'rejected', 'acknowledged', 'dismissed']);
export type ReviewState = z.infer<typeof reviewStateSchema>;

/** One item of the queue, as `medic review --json` prints it. */
export const reviewItemSchema = z.object({
  /** What a human types: the shortest prefix of `key` (at least 7 hex digits) that no other item shares. */
  id: z.string(),
  /**
   * The full key, a hash of what the item is about: a heal's project, page, old and new locator
   * (every run's heal of one locator to one other is one item), or a failure pattern. Stable
   * across runs: any unambiguous prefix of it stays a valid ID.
   */
  key: z.string(),
  kind: z.enum(['heal', 'failure']),
  state: reviewStateSchema,
  /** Why it waits for a human; absent for a confident heal still pending (listed with `--all`). */
  why: z.string().optional(),
  project: z.string(),
  /** The newest test it happened in, and in how many tests. */
  test: z.string(),
  tests: z.number().int().nonnegative(),
  /** A heal: the step (`click`, `expect to.have.text`); a failure: its category. */
  step: z.string(),
  pageKey: z.string().optional(),
  /** A heal: the locator the test wrote, and the one it was healed to (none when it abstained), as code. */
  from: z.string().optional(),
  to: z.string().optional(),
  strategy: z.string().optional(),
  outcome: z.string().optional(),
  confidence: z.number().optional(),
  /** The heal's own explanation, or the failure's first message. */
  reason: z.string(),
  /** How many times, in how many runs, the newest when. */
  seen: z.number().int().nonnegative(),
  runs: z.number().int().nonnegative(),
  at: z.string(),
  /** The run of the heal shown (`medic heals --run`), or the failure's pattern (`medic failures`). */
  runId: z.string().optional(),
  patternId: z.string().optional(),
});
export type ReviewItem = z.infer<typeof reviewItemSchema>;

/** An item with the records a decision on it changes. */
export type ReviewEntry = { kind: 'heal'; item: ReviewItem; heals: HealEvent[] } | { kind: 'failure'; item: ReviewItem; pattern: FailurePattern };

export type Decision = 'accept' | 'reject';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * The key of a heal's item: every heal of one locator on one page to the same locator (or to none) is one item.
 * @example healItemKey(heal).slice(0, 7) // '3f2a1c9'
 */
export function healItemKey(h: Pick<HealEvent, 'project' | 'pageKey' | 'from' | 'to'>): string {
  return sha1(`heal\u0000${h.project}\u0000${h.pageKey}\u0000${h.from.selector}\u0000${h.to?.selector ?? ''}`);
}

/** The key of a failure pattern's item. @example failureItemKey({ project: 'shop', id: 'fp-1a2b' }) */
export function failureItemKey(p: Pick<FailurePattern, 'project' | 'id'>): string {
  return sha1(`failure\u0000${p.project}\u0000${p.id}`);
}

const newestFirst = <T extends { at: string }>(list: readonly T[]) => [...list].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));

/**
 * A heal item's state: the newest decision on its heals (later heals of an accepted pair are its
 * known fix at work); pending when none was made, or when an abstention recurred after it was dismissed.
 */
function healState(heals: readonly HealEvent[]): ReviewState {
  const decided = newestFirst(heals.filter((h) => h.review !== 'pending'));
  const last = decided[0];
  if (!last) return 'pending';
  if (!heals[0]!.to && heals.some((h) => h.review === 'pending' && h.at > last.at)) return 'pending';
  return last.review;
}

/** Why a pending heal needs a human; undefined when it healed confidently. */
function healWhy(h: HealEvent, below: number): string | undefined {
  if (h.outcome === 'abstained') return 'abstained: no candidate was safe, the step failed';
  if (h.outcome === 'suggested') return 'suggested (healing mode "suggest"): the step failed';
  if (h.outcome === 'failed') return 'healed, but the step still failed on the new locator';
  // The model's pick passed the hard-attribute checks, not the ranker's: a human looks at every one.
  if (h.strategy === 'llm') return `healed by the LLM layer (${h.llm?.model ?? 'a model'}) after the ranker abstained: a model's pick waits for a human`;
  if (h.confidence < below) return `healed with low confidence (${h.confidence.toFixed(2)}, below ${below.toFixed(2)})`;
  return undefined;
}

function healEntry(heals: HealEvent[], below: number): ReviewEntry {
  const state = healState(heals);
  const pending = heals.filter((h) => h.review === 'pending');
  const flagged = pending.map((h) => ({ h, why: healWhy(h, below) })).find((f) => f.why !== undefined);
  const shown = flagged?.h ?? heals[0]!;
  const item: ReviewItem = {
    id: '',
    key: healItemKey(shown),
    kind: 'heal',
    state,
    ...(state === 'pending' && flagged ? { why: flagged.why } : {}),
    project: shown.project,
    test: heals[0]!.testKey,
    tests: new Set(heals.map((h) => h.testKey)).size,
    step: shown.step,
    pageKey: shown.pageKey,
    from: shown.from.code,
    ...(shown.to ? { to: shown.to.code } : {}),
    strategy: shown.strategy,
    outcome: shown.outcome,
    confidence: shown.confidence,
    reason: shown.reason,
    seen: heals.length,
    runs: new Set(heals.map((h) => h.runId)).size,
    at: heals[0]!.at,
    runId: shown.runId,
  };
  return { kind: 'heal', item, heals };
}

function failureEntry(p: FailurePattern): ReviewEntry {
  const decided = p.review && p.review.signature === p.signatures.at(-1) ? p.review.decision : undefined;
  const item: ReviewItem = {
    id: '',
    key: failureItemKey(p),
    kind: 'failure',
    state: decided ?? 'pending',
    ...(decided ? {} : { why: `no known fix: seen ${p.count} time${p.count === 1 ? '' : 's'} in ${p.tests.length} test${p.tests.length === 1 ? '' : 's'}` }),
    project: p.project,
    test: p.tests.at(-1) ?? '',
    tests: p.tests.length,
    step: p.category,
    reason: (p.examples[0] ?? '').split('\n')[0]!.slice(0, 300),
    seen: p.count,
    runs: p.runs.length,
    at: p.lastSeen,
    patternId: p.id,
  };
  return { kind: 'failure', item, pattern: p };
}

/**
 * Every item the records make, decided or not, newest first, each with its shortest unambiguous
 * ID: the heals grouped by (page, old locator, new locator), and the failure patterns without a
 * fix that ever worked. A heal needs a human (`why`) when it abstained, was only suggested,
 * failed, or healed with a confidence below `threshold + margin`.
 * @example const entries = reviewEntries(await store.listHeals({ project }), await store.listFailurePatterns({ project }), { threshold: 0.84 });
 */
export function reviewEntries(heals: readonly HealEvent[], patterns: readonly FailurePattern[], options: { threshold: number; margin?: number }): ReviewEntry[] {
  const below = Math.min(1, options.threshold + (options.margin ?? REVIEW_MARGIN));
  const groups = new Map<string, HealEvent[]>();
  for (const h of newestFirst(heals)) {
    const key = healItemKey(h);
    groups.set(key, [...(groups.get(key) ?? []), h]);
  }
  const entries = [...[...groups.values()].map((g) => healEntry(g, below)), ...patterns.filter((p) => !bestKnownFix(p)).map(failureEntry)];
  const ids = abbreviate(entries.map((e) => e.item.key));
  for (const e of entries) e.item.id = ids.get(e.item.key)!;
  return entries.sort((a, b) => (a.item.at < b.item.at ? 1 : a.item.at > b.item.at ? -1 : 0));
}

/**
 * The queue: pending items that need a human; with `all`, every pending item (confident heals too).
 * @example reviewQueue(entries).map((e) => e.item.id)
 */
export function reviewQueue(entries: readonly ReviewEntry[], options: { all?: boolean } = {}): ReviewEntry[] {
  return entries.filter((e) => e.item.state === 'pending' && (options.all === true || e.item.why !== undefined));
}

/** Each key's shortest prefix of at least SHOWN_DIGITS that no other key shares (like git's short hashes). @example abbreviate(keys).get(key) */
export function abbreviate(keys: readonly string[]): Map<string, string> {
  const sorted = [...new Set(keys)].sort();
  const common = (a: string | undefined, b: string) => {
    let n = 0;
    while (a !== undefined && n < a.length && a[n] === b[n]) n++;
    return n;
  };
  return new Map(sorted.map((key, i) => [key, key.slice(0, Math.max(SHOWN_DIGITS, common(sorted[i - 1], key) + 1, common(sorted[i + 1], key) + 1))]));
}

/**
 * The entries the IDs name (a unique prefix of a key, as for git), or what is wrong with each ID that names none or many.
 * @example const { found, problems } = resolveIds(entries, ['3f2a1c9']);
 */
export function resolveIds(entries: readonly ReviewEntry[], ids: readonly string[]): { found: ReviewEntry[]; problems: string[] } {
  const found: ReviewEntry[] = [];
  const problems: string[] = [];
  for (const raw of ids) {
    const id = raw.trim().toLowerCase();
    if (!new RegExp(`^[0-9a-f]{${MIN_ID_DIGITS},40}$`).test(id)) {
      problems.push(`"${raw}" is not a review ID: IDs are ${MIN_ID_DIGITS} to 40 hex digits, as medic review lists them`);
      continue;
    }
    const matches = entries.filter((e) => e.item.key.startsWith(id));
    if (matches.length === 0) problems.push(`no review item has the ID "${raw}" (medic review --all lists the pending ones)`);
    else if (matches.length > 1) problems.push(`the ID "${raw}" is ambiguous: it starts ${matches.map((m) => m.item.id).join(', ')}; type more of it`);
    else if (!found.includes(matches[0]!)) found.push(matches[0]!);
  }
  return { found, problems };
}

/** The state a decision gives an item: a heal is accepted or rejected, a failure acknowledged or dismissed. @example decidedState(entry, 'reject') // 'dismissed' for a failure */
export function decidedState(entry: ReviewEntry, decision: Decision): ReviewState {
  if (entry.kind === 'failure') return decision === 'accept' ? 'acknowledged' : 'dismissed';
  return decision === 'accept' ? 'accepted' : 'rejected';
}

/** Why a decision cannot be made on an item (accepting an abstention); undefined when it can. @example decisionProblem(entry, 'accept') */
export function decisionProblem(entry: ReviewEntry, decision: Decision): string | undefined {
  if (entry.kind === 'heal' && decision === 'accept' && entry.item.to === undefined) {
    return `${entry.item.id} is an abstention (${entry.item.from} on ${entry.item.pageKey} found no safe candidate): there is no locator to accept; reject it to dismiss it`;
  }
  return undefined;
}
