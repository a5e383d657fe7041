export type { KnowledgeStore, AttemptQuery, RunEnd, HealEventInput, HealQuery, SelectorQuery } from './KnowledgeStore.js';
export { MemoryStore } from './memory.js';
export { SqliteStore } from './sqlite.js';
export { openSqliteStore, type SqliteStoreOptions } from './sqliteOpen.js';
export { RedisStore, openRedisStore, type RedisStoreOptions } from './redis.js';
export { openStore, storePath } from './open.js';
export { attemptRecordSchema, runRecordSchema, type AttemptRecord, type RunRecord } from './records.js';
// The catalog and heal schemas live with the learning code; the store keeps and validates them.
export {
  selectorObservationSchema,
  selectorRecordSchema,
  type SelectorObservation,
  type SelectorRecord,
} from '../learning/catalog.js';
export { healEventSchema, type HealEvent } from '../learning/heals.js';
