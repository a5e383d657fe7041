import { existsSync } from 'node:fs';
import type { MedicConfig } from '../config/schema.js';
import { describeError } from '../errors.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { openStore, storePath } from '../store/open.js';
import { openSqliteStore } from '../store/sqliteOpen.js';
import type { SelectorRecord } from './catalog.js';
import type { StrategyExecution } from './strategies.js';

/** The selector catalog, and the newest strategy executions (what the adaptive order ranks). */
export type CatalogSnapshot = { records: SelectorRecord[]; executions: StrategyExecution[]; warning?: string };

/** Executions a worker reads per strategy: enough for a ranking, little to read. */
const EXECUTIONS_READ = 500;
/** The strategies whose order the fixture adapts (a chain on a known list: stepHandler.ts). */
const ADAPTIVE: readonly string[] = ['relocate', 'relocate_set'];

/** Their newest executions at broken locators; none when they cannot be read (the order then stays the default). */
async function adaptiveExecutions(store: KnowledgeStore, project: string, llm: boolean): Promise<StrategyExecution[]> {
  try {
    const lists = await Promise.all([
      ...ADAPTIVE.map((strategy) => store.listStrategyExecutions({ project, strategy, taskType: 'selector_missing', limit: EXECUTIONS_READ })),
      // The models' repairs: what model selection and an LLM heal's confidence learn from.
      ...(llm ? [store.listStrategyExecutions({ project, taskType: 'llm_repair', limit: EXECUTIONS_READ })] : []),
    ]);
    return lists.flat();
  } catch {
    return [];
  }
}

/**
 * The selector catalog as a worker sees it when it starts: read-only, never creating or
 * migrating the store (the reporter is the single writer). A missing store is an empty
 * catalog; an unreadable one is an empty catalog and one warning.
 * @example const { records } = await loadCatalogSnapshot(config, process.cwd());
 */
export async function loadCatalogSnapshot(config: MedicConfig, baseDir: string): Promise<CatalogSnapshot> {
  if (config.store.kind === 'memory') return { records: [], executions: [] };
  let store: KnowledgeStore;
  if (config.store.kind === 'sqlite') {
    const path = storePath(config, baseDir);
    if (!existsSync(path)) return { records: [], executions: [] };
    try {
      store = openSqliteStore({ path, readonly: true, busyTimeoutMs: config.store.busyTimeoutMs });
    } catch (error) {
      // The first run after an upgrade: the reporter migrates the store at its first write.
      if (/older schema version/.test(describeError(error))) return { records: [], executions: [] };
      return { records: [], executions: [], warning: `healing starts without the selector catalog: ${describeError(error)}` };
    }
  } else {
    store = openStore(config, baseDir); // a shared server: what every shard has learned so far
  }
  try {
    return { records: await store.listSelectors({ project: config.project }), executions: await adaptiveExecutions(store, config.project, config.llm !== undefined) };
  } catch (error) {
    if (/older schema version/.test(describeError(error))) return { records: [], executions: [] };
    return { records: [], executions: [], warning: `healing starts without the selector catalog: ${describeError(error)}` };
  } finally {
    await store.close().catch(() => undefined);
  }
}
