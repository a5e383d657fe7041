import { VECTOR_COLLECTION_NAMES } from '../learning/collections.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { PACK_FORMAT, PACK_VERSION, projectsOf, type Pack } from './schema.js';

export type ExportOptions = {
  /** Only this project's knowledge (its runs and their attempts, its catalog, heals, patterns, executions, risk predictions, fitted models and vectors). Default: everything. */
  project?: string;
  /** The export's time, for tests. Default now. */
  now?: Date;
};

/**
 * Everything a store knows (or one project of it) as a pack, read through the store's list
 * methods. Each kind is oldest first (the lists are newest first), so importing the pack
 * writes the records in the order the source wrote them.
 * @example writePackFile('knowledge.json.gz', await exportPack(store, { project: 'shop' }));
 */
export async function exportPack(store: KnowledgeStore, options: ExportOptions = {}): Promise<Pack> {
  const { project } = options;
  const byProject = project === undefined ? {} : { project };
  const runs = (await store.listRuns(byProject)).reverse();
  const runIds = new Set(runs.map((r) => r.id));
  const attempts = (await store.listAttempts()).filter((a) => project === undefined || runIds.has(a.runId));
  const vectors = [];
  for (const collection of VECTOR_COLLECTION_NAMES) vectors.push(...(await store.listVectors({ collection, ...(project === undefined ? {} : { where: { project } }) })));
  const records = {
    runs,
    attempts,
    heals: (await store.listHeals(byProject)).reverse(),
    selectors: (await store.listSelectors(byProject)).reverse(),
    failurePatterns: (await store.listFailurePatterns(byProject)).reverse(),
    successPatterns: (await store.listSuccessPatterns(byProject)).reverse(),
    strategyExecutions: (await store.listStrategyExecutions(byProject)).reverse(),
    // Oldest first, so an import keeps the newest runs' as it writes them (the store keeps PREDICTION_RUNS_KEPT runs).
    predictions: (await store.listPredictions(byProject)).reverse(),
    // One per (project, name): by project, then name, as the store lists them.
    models: await store.listModels(byProject),
    vectors,
  };
  return {
    format: PACK_FORMAT,
    version: PACK_VERSION,
    exportedAt: (options.now ?? new Date()).toISOString(),
    source: { kind: store.kind, location: store.location },
    projects: project === undefined ? projectsOf(records) : [project],
    ...records,
  };
}
