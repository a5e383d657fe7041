import { describeError, MedicStoreError } from '../errors.js';

const MOVE_ASIDE = (path: string) =>
  `Move it aside (mv ${path} ${path}.broken) to start a new store, or point store.path (MEDIC_STORE_PATH) elsewhere.`;

/** SQLite's error codes, in words that say what to do. */
export function translateSqliteError(error: unknown, path: string, doing: 'open' | 'read' | 'write'): MedicStoreError {
  if (error instanceof MedicStoreError) return error;
  const code = (error as { code?: string }).code ?? '';
  const cause = describeError(error);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new MedicStoreError(`The knowledge store ${path} is not a readable SQLite database (${cause}). Nothing was changed.`, {
      fix: MOVE_ASIDE(path),
      cause: error,
    });
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM')) {
    return new MedicStoreError(`Cannot ${doing} the knowledge store ${path}: ${cause}.`, {
      fix: `Check that this user can write ${path} and its folder, or point store.path (MEDIC_STORE_PATH) elsewhere.`,
      cause: error,
    });
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new MedicStoreError(`The knowledge store ${path} stayed locked by another process: ${cause}.`, {
      fix: 'Raise store.busyTimeoutMs (MEDIC_STORE_BUSY_TIMEOUT_MS), or find the process holding the lock.',
      cause: error,
    });
  }
  return new MedicStoreError(`Cannot ${doing} the knowledge store ${path}: ${cause}.`, {
    fix: `Check the disk and the permissions of ${path}, or point store.path (MEDIC_STORE_PATH) elsewhere.`,
    cause: error,
  });
}
