import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import type { AttemptRecord, RunRecord } from '../store/records.js';
import { attemptKey } from './flakiness.js';
import type { HealEvent } from './heals.js';

/**
 * A project's newest runs and their attempts. A sharded run is one record per shard and a test
 * runs in one shard only, so `runs` counts suite runs: the newest run's shard total times `runs`
 * records are read. `changed`: the attempts (`attemptKey`) that failed on an element medic found
 * changed, those with a suggested heal (healing mode `suggest`).
 * @example const { runs, attempts, changed } = await loadHistory(store, { project: 'shop', runs: 20 });
 */
export async function loadHistory(store: KnowledgeStore, query: { project: string; runs: number }): Promise<{ runs: RunRecord[]; attempts: AttemptRecord[]; changed: Set<string> }> {
  const [newest] = await store.listRuns({ project: query.project, limit: 1 });
  if (!newest) return { runs: [], attempts: [], changed: new Set() };
  const runs = await store.listRuns({ project: query.project, limit: query.runs * (newest.shard?.total ?? 1) });
  const attempts = (await Promise.all(runs.map((run) => store.listAttempts({ runId: run.id })))).flat();
  const heals = (await Promise.all(runs.map((run) => store.listHeals({ runId: run.id })))).flat();
  return { runs, attempts, changed: changedAttempts(heals) };
}

/** The attempts (`attemptKey`) that failed on an element medic found changed: those with a suggested heal. */
export function changedAttempts(heals: readonly HealEvent[]): Set<string> {
  return new Set(heals.filter((h) => h.outcome === 'suggested').map(attemptKey));
}
