import type { SelectorObservation } from '../learning/catalog.js';
import type { FailurePattern } from '../learning/failurePatterns.js';
import type { HealEvent } from '../learning/heals.js';
import { learnStrategies } from '../learning/strategyLearner.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { decidedState, decisionProblem, healItemKey, type Decision, type ReviewEntry, type ReviewState } from './queue.js';

/** What one decision changed. */
export type DecisionResult = {
  id: string;
  kind: ReviewEntry['kind'];
  state: ReviewState;
  /** The heal events marked (every run's heal of the pair), and the runs whose strategy executions were counted again. */
  heals: number;
  runs: number;
  /** A heal: the catalog record it changed (`from` on `pageKey`) and the locator it accepted or rejected. */
  pageKey?: string;
  from?: string;
  to?: string;
  patternId?: string;
};

/**
 * Records human decisions on review items, under the project's learning lock (the reporter
 * learns under it too, so neither loses the other's writes):
 * - a heal: its events (every run's heal of that locator to that one) take the decision; the
 *   catalog record of the old locator on its page learns it (accepted: the new locator is its
 *   known fix, first, and its confidence rises; rejected: the new locator is never its known
 *   fix nor a heal of it again), and the strategy executions of their runs are counted again
 *   (a rejected heal is a failure of its strategy);
 * - a failure pattern: `review` on the pattern (acknowledged or dismissed) until a new signature joins it.
 * Throws before writing anything when a decision cannot be made (`decisionProblem`).
 * @example await decide(store, 'shop', [{ entry, decision: 'reject' }]);
 */
export async function decide(store: KnowledgeStore, project: string, decisions: readonly { entry: ReviewEntry; decision: Decision }[], now = new Date()): Promise<DecisionResult[]> {
  const problem = decisions.map((d) => decisionProblem(d.entry, d.decision)).find((p) => p !== undefined);
  if (problem) throw new Error(problem);
  const at = now.toISOString();
  return store.exclusive(`learn:${project}`, async () => {
    const byRun = new Map<string, HealEvent[]>();
    /** The heals of the item as stored now (the entry may have been read before another decision). */
    const current = async (entry: Extract<ReviewEntry, { kind: 'heal' }>) => {
      const out: HealEvent[] = [];
      for (const runId of new Set(entry.heals.map((h) => h.runId))) {
        if (!byRun.has(runId)) byRun.set(runId, await store.listHeals({ runId }));
        out.push(...byRun.get(runId)!.filter((h) => h.project === project && healItemKey(h) === entry.item.key));
      }
      return out;
    };
    const marked: HealEvent[] = [];
    const observations: SelectorObservation[] = [];
    const patterns = new Map<string, FailurePattern>();
    const results: DecisionResult[] = [];
    let stored: Map<string, FailurePattern> | undefined;
    for (const { entry, decision } of decisions) {
      const state = decidedState(entry, decision);
      if (entry.kind === 'failure') {
        stored ??= new Map((await store.listFailurePatterns({ project })).map((p) => [p.id, p]));
        const pattern = stored.get(entry.pattern.id) ?? entry.pattern;
        const review = { decision: state as 'acknowledged' | 'dismissed', at, signature: pattern.signatures.at(-1)! };
        stored.set(pattern.id, { ...pattern, review });
        patterns.set(pattern.id, stored.get(pattern.id)!);
        results.push({ id: entry.item.id, kind: entry.kind, state, heals: 0, runs: 0, patternId: pattern.id });
        continue;
      }
      const heals = await current(entry);
      const review = state as 'accepted' | 'rejected';
      marked.push(...heals.map((h) => ({ ...h, review })));
      const sample = heals[0] ?? entry.heals[0]!;
      if (sample.to) observations.push({ ...sample.from, pageKey: sample.pageKey, outcome: 'reviewed', review: { decision: review, to: sample.to }, at });
      results.push({
        id: entry.item.id,
        kind: entry.kind,
        state,
        heals: heals.length,
        runs: new Set(heals.map((h) => h.runId)).size,
        pageKey: sample.pageKey,
        from: sample.from.code,
        ...(sample.to ? { to: sample.to.code } : {}),
      });
    }
    if (marked.length) await store.recordHeals(marked);
    if (observations.length) await store.recordSelectors(project, observations);
    if (patterns.size) await store.putFailurePatterns([...patterns.values()]);
    for (const runId of new Set(marked.map((h) => h.runId))) await learnStrategies(store, runId);
    return results;
  });
}
