import { isAbsolute, resolve } from 'node:path';
import type { MedicConfig } from '../config/schema.js';
import type { KnowledgeStore } from './KnowledgeStore.js';
import { MemoryStore } from './memory.js';
import { learnRun } from '../learning/learnRun.js';
import { Spool } from '../resilience/spool.js';
import { openRedisStore } from './redis.js';
import { SpooledStore } from './spooledStore.js';
import { openSqliteStore } from './sqliteOpen.js';

/** The store path of a config, resolved against `baseDir` (the Playwright config's folder). */
export function storePath(config: MedicConfig, baseDir: string): string {
  return isAbsolute(config.store.path) ? config.store.path : resolve(baseDir, config.store.path);
}

/** The spool of a shared store, resolved like storePath. */
export function spoolPath(config: MedicConfig, baseDir: string): string {
  return isAbsolute(config.store.spoolPath) ? config.store.spoolPath : resolve(baseDir, config.store.spoolPath);
}

export type OpenStoreOptions = {
  /** For a shared store (Redis): keep writes in the local spool while the server is unreachable (the reporter, `medic sync`). Default false: readers need none. */
  spool?: boolean;
  /** Where the spool's one warning goes. Default console.warn. */
  warn?: (message: string) => void;
};

/**
 * Opens the store the config names. Throws MedicStoreError with the fix when it cannot.
 * @example const store = openStore(defineMedicConfig({}), process.cwd());
 */
export function openStore(config: MedicConfig, baseDir: string, options: OpenStoreOptions = {}): KnowledgeStore {
  switch (config.store.kind) {
    case 'memory':
      return new MemoryStore();
    case 'sqlite':
      return openSqliteStore({ path: storePath(config, baseDir), busyTimeoutMs: config.store.busyTimeoutMs });
    case 'redis': {
      const redis = openRedisStore({ url: config.store.url!, keyPrefix: config.store.keyPrefix });
      if (!options.spool) return redis;
      const warn = options.warn ?? console.warn;
      return new SpooledStore(redis, Spool.open(spoolPath(config, baseDir)), {
        target: `${redis.location} ${config.store.keyPrefix}`,
        learn: async (store, runId) => void (await learnRun(config, store, runId, warn, { spoolPath: spoolPath(config, baseDir) })),
        warn,
      });
    }
  }
}
