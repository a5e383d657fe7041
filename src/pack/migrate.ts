import { MedicStoreError } from '../errors.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { exportPack } from './export.js';
import { importPack, type ImportOptions, type ImportResult } from './import.js';
import { PACK_KINDS, packCounts, type PackCounts } from './schema.js';

export type MigrateResult = ImportResult & {
  /** Records of each kind the source holds, and (verified) the target holds after the copy. */
  counts: PackCounts;
};

/**
 * Copies everything `source` knows into `target` (as a pack, through the stores' own methods),
 * then checks that the target holds as many records of each kind as the source; throws
 * MedicStoreError naming the kinds that differ otherwise.
 * @example await migrateStore(openSqliteStore({ path: '.medic/medic.db', readonly: true }), openRedisStore({ url }));
 */
export async function migrateStore(source: KnowledgeStore, target: KnowledgeStore, options: Pick<ImportOptions, 'writeVectors'> = {}): Promise<MigrateResult> {
  const pack = await exportPack(source);
  const result = await importPack(target, pack, { ...options, source: `exported from ${source.location}` });
  const counts = packCounts(pack);
  const found = packCounts(await exportPack(target));
  const differ = PACK_KINDS.filter((kind) => found[kind] !== counts[kind]);
  if (differ.length) {
    const list = differ.map((kind) => `${kind}: ${counts[kind]} in the source, ${found[kind]} in the target`).join('; ');
    throw new MedicStoreError(`The migration to ${target.location} wrote everything, but the target does not hold what the source does (${list}).`, {
      fix: 'The target held knowledge of its own before: migrate into an empty namespace (another store.keyPrefix, MEDIC_REDIS_PREFIX), or compare both with `medic export`.',
    });
  }
  return { ...result, counts };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Host, port and database of a Redis URL: two URLs of one server and database give the same (pure). */
function redisAddress(url: string): string {
  const parsed = new URL(url);
  const host = parsed.hostname.toLowerCase();
  const db = Number(parsed.pathname.replace(/^\//, '') || '0');
  return `${LOOPBACK.has(host) ? 'loopback' : host}:${parsed.port || '6379'}/${db}`;
}

/**
 * Whether two Redis URLs name the same server and database (loopback names and default port
 * and database taken into account; a DNS alias is not seen through).
 * @example sameRedis('redis://localhost', 'redis://127.0.0.1:6379/0') // true
 */
export function sameRedis(a: string, b: string): boolean {
  return redisAddress(a) === redisAddress(b);
}
