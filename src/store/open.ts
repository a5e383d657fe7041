import { isAbsolute, resolve } from 'node:path';
import type { MedicConfig } from '../config/schema.js';
import type { KnowledgeStore } from './KnowledgeStore.js';
import { MemoryStore } from './memory.js';
import { openRedisStore } from './redis.js';
import { openSqliteStore } from './sqliteOpen.js';

/** The store path of a config, resolved against `baseDir` (the Playwright config's folder). */
export function storePath(config: MedicConfig, baseDir: string): string {
  return isAbsolute(config.store.path) ? config.store.path : resolve(baseDir, config.store.path);
}

/**
 * Opens the store the config names. Throws MedicStoreError with the fix when it cannot.
 * @example const store = openStore(defineMedicConfig({}), process.cwd());
 */
export function openStore(config: MedicConfig, baseDir: string): KnowledgeStore {
  switch (config.store.kind) {
    case 'memory':
      return new MemoryStore();
    case 'sqlite':
      return openSqliteStore({ path: storePath(config, baseDir), busyTimeoutMs: config.store.busyTimeoutMs });
    case 'redis':
      return openRedisStore({ url: config.store.url!, keyPrefix: config.store.keyPrefix });
  }
}
