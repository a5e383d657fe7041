export type { KnowledgeStore, AttemptQuery, RunEnd } from './KnowledgeStore.js';
export { MemoryStore } from './memory.js';
export { SqliteStore } from './sqlite.js';
export { openSqliteStore, type SqliteStoreOptions } from './sqliteOpen.js';
export { openStore, storePath } from './open.js';
export { attemptRecordSchema, runRecordSchema, type AttemptRecord, type RunRecord } from './records.js';
