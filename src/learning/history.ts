import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import type { AttemptRecord, RunRecord } from '../store/records.js';

/**
 * A project's newest runs and their attempts. A sharded run is one record per shard and a test
 * runs in one shard only, so `runs` counts suite runs: the newest run's shard total times `runs`
 * records are read.
 * @example const { runs, attempts } = await loadHistory(store, { project: 'shop', runs: 20 });
 */
export async function loadHistory(store: KnowledgeStore, query: { project: string; runs: number }): Promise<{ runs: RunRecord[]; attempts: AttemptRecord[] }> {
  const [newest] = await store.listRuns({ project: query.project, limit: 1 });
  if (!newest) return { runs: [], attempts: [] };
  const runs = await store.listRuns({ project: query.project, limit: query.runs * (newest.shard?.total ?? 1) });
  const attempts = (await Promise.all(runs.map((run) => store.listAttempts({ runId: run.id })))).flat();
  return { runs, attempts };
}
