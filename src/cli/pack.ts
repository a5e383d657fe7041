// `medic export`, `medic import` and `medic migrate`: thin over src/pack.
import { InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { defineMedicConfig } from '../config/index.js';
import type { MedicConfig } from '../config/schema.js';
import { MedicConfigError } from '../errors.js';
import { exportPack } from '../pack/export.js';
import { readPackFile, writePackFile } from '../pack/file.js';
import { importPack, type ImportResult } from '../pack/import.js';
import { migrateStore, sameRedis } from '../pack/migrate.js';
import { renamePack } from '../pack/rename.js';
import { PACK_KINDS, packCounts, parsePack, type PackCounts, type PackKind } from '../pack/schema.js';
import { indexWriter } from '../pack/vectors.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { openStore } from '../store/open.js';
import { openRedisStore, redisUrlSchema } from '../store/redis.js';
import { openSqliteStore } from '../store/sqliteOpen.js';

type StoreFlags = { store?: string };

const LABELS: Record<PackKind, string> = {
  runs: 'runs',
  attempts: 'attempts',
  heals: 'heals',
  selectors: 'selector records',
  failurePatterns: 'failure patterns',
  successPatterns: 'success patterns',
  strategyExecutions: 'strategy executions',
  predictions: 'risk predictions',
  models: 'fitted models',
  vectors: 'vectors',
};

/** One line per kind: `  attempts              12`, with a note after a kind's count when given. */
export function formatCounts(counts: PackCounts, notes: Partial<Record<PackKind, string>> = {}): string {
  return PACK_KINDS.map((kind) => `  ${LABELS[kind].padEnd(20)} ${String(counts[kind]).padStart(6)}${notes[kind] ? `  ${notes[kind]}` : ''}`).join('\n');
}

/** The `--to` argument: a redis:// or rediss:// URL. */
function redisUrlArgument(value: string): string {
  if (!redisUrlSchema.safeParse(value).success) throw new InvalidArgumentError(`expected a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379, got "${value}"`);
  return value;
}

const total = (counts: PackCounts) => PACK_KINDS.reduce((sum, kind) => sum + counts[kind], 0);

/** `medic export <file>`: the store (read-only) to a pack file. */
export async function exportCommand(store: KnowledgeStore, file: string, options: { project?: string; json?: boolean }): Promise<void> {
  const path = resolve(file);
  const pack = await exportPack(store, { ...(options.project === undefined ? {} : { project: options.project }) });
  writePackFile(path, pack);
  const counts = packCounts(pack);
  if (options.json) return void console.log(JSON.stringify({ file: path, source: pack.source, projects: pack.projects, counts }, null, 2));
  const which = options.project === undefined ? `every project: ${pack.projects.join(', ') || 'none'}` : `project "${options.project}"`;
  console.log(`Exported ${total(counts)} records of ${store.location} (${which}) to ${path}:\n${formatCounts(counts)}`);
}

/** The configured store, opened for writing: --store (a SQLite file), else the configured one; never `memory`. */
async function withWritableStore<T>(flags: StoreFlags, action: (store: KnowledgeStore, config: MedicConfig) => Promise<T>): Promise<T> {
  const config = defineMedicConfig({});
  if (config.store.kind === 'memory' && flags.store === undefined) {
    throw new MedicConfigError('medic import writes into a stored knowledge base; MEDIC_STORE_KIND is "memory", which keeps nothing.', {
      fix: 'Unset MEDIC_STORE_KIND, or pass --store <path of a medic.db>.',
    });
  }
  const store = flags.store !== undefined ? openSqliteStore({ path: resolve(flags.store), busyTimeoutMs: config.store.busyTimeoutMs }) : openStore(config, process.cwd());
  try {
    return await action(store, config);
  } finally {
    await store.close();
  }
}

function printImport(what: string, result: ImportResult & { counts?: PackCounts }, json: Record<string, unknown> | undefined): void {
  if (json) {
    const unchanged = { runsUnchanged: result.runsUnchanged, modelsUnchanged: result.modelsUnchanged };
    return void console.log(JSON.stringify({ ...json, written: result.written, ...unchanged, ...(result.counts ? { verified: result.counts } : {}) }, null, 2));
  }
  const notes = {
    ...(result.runsUnchanged ? { runs: `(${result.runsUnchanged} there already, kept)` } : {}),
    ...(result.modelsUnchanged ? { models: `(${result.modelsUnchanged} fitted later in the store, kept)` } : {}),
  };
  console.log(`${what} (added or replaced):\n${formatCounts(result.written, notes)}`);
}

/** `medic import <file>`: a pack file into the configured store (and Chroma, when configured). */
export async function importCommand(flags: StoreFlags, file: string, options: { as?: string; json?: boolean }): Promise<void> {
  const path = resolve(file);
  // Refused before the store is opened: a bad pack creates no store either.
  const pack = parsePack(readPackFile(path), path);
  if (options.as !== undefined) renamePack(pack, options.as);
  await withWritableStore(flags, async (store, config) => {
    const result = await importPack(store, pack, { source: path, writeVectors: indexWriter(config, store), ...(options.as === undefined ? {} : { as: options.as }) });
    const as = options.as === undefined ? '' : ` as project "${options.as}"`;
    printImport(`Imported ${path} into ${store.location}${as}`, result, options.json ? { file: path, target: store.location, ...(options.as === undefined ? {} : { as: options.as }) } : undefined);
  });
}

/** `medic migrate --to <redis-url>`: the configured store (read through `source`) copied into that Redis, verified. */
export async function migrateCommand(source: KnowledgeStore, flags: StoreFlags, options: { to: string; json?: boolean }): Promise<void> {
  redisUrlArgument(options.to);
  const config = defineMedicConfig({});
  const prefix = config.store.keyPrefix;
  if (config.store.kind === 'redis' && flags.store === undefined && sameRedis(config.store.url!, options.to)) {
    throw new MedicConfigError(`medic migrate copies a store into another; ${options.to} (prefix ${prefix}) is the store it would read.`, {
      fix: 'Pass --to another Redis server or database (redis://host:port/<db>), or migrate a SQLite store (--store <path of a medic.db>).',
    });
  }
  const target = openRedisStore({ url: options.to, keyPrefix: prefix });
  try {
    const result = await migrateStore(source, target, { writeVectors: indexWriter(config, target) });
    const chroma = config.vectors.kind === 'chroma' ? ` and Chroma at ${config.vectors.url}` : '';
    printImport(
      `Migrated ${source.location} to ${target.location} (prefix ${prefix})${chroma}; verified: the target holds ${total(result.counts)} records, as many of each kind as the source`,
      result,
      options.json ? { source: source.location, target: target.location, keyPrefix: prefix } : undefined,
    );
  } finally {
    await target.close();
  }
}
