export type { KnowledgeStore, AttemptQuery, RunEnd } from './KnowledgeStore.js';
export { MemoryStore } from './memory.js';
export { openSqliteStore, SqliteStore } from './sqlite.js';
export { openStore, storePath } from './open.js';
export { attemptRecordSchema, runRecordSchema, type AttemptRecord, type RunRecord } from './records.js';
