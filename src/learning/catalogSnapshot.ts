import { existsSync } from 'node:fs';
import type { MedicConfig } from '../config/schema.js';
import { describeError } from '../errors.js';
import { storePath } from '../store/open.js';
import { openSqliteStore } from '../store/sqliteOpen.js';
import type { SelectorRecord } from './catalog.js';

export type CatalogSnapshot = { records: SelectorRecord[]; warning?: string };

/**
 * The selector catalog as a worker sees it when it starts: read-only, never creating or
 * migrating the store (the reporter is the single writer). A missing store is an empty
 * catalog; an unreadable one is an empty catalog and one warning.
 * @example const { records } = await loadCatalogSnapshot(config, process.cwd());
 */
export async function loadCatalogSnapshot(config: MedicConfig, baseDir: string): Promise<CatalogSnapshot> {
  if (config.store.kind !== 'sqlite') return { records: [] };
  const path = storePath(config, baseDir);
  if (!existsSync(path)) return { records: [] };
  try {
    const store = openSqliteStore({ path, readonly: true, busyTimeoutMs: config.store.busyTimeoutMs });
    try {
      return { records: await store.listSelectors({ project: config.project }) };
    } finally {
      await store.close();
    }
  } catch (error) {
    const message = describeError(error);
    // The first run after an upgrade: the reporter migrates the store at its first write.
    if (/older schema version/.test(message)) return { records: [] };
    return { records: [], warning: `healing starts without the selector catalog: ${message}` };
  }
}
