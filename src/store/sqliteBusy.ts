/**
 * SQLite answers SQLITE_BUSY at once, without its busy handler, when two connections switch a
 * new file to WAL together; the switch is idempotent, so it is retried until the busy timeout.
 * Synchronous like the rest of better-sqlite3.
 */
export function retryWhileBusy<T>(step: () => T, timeoutMs: number): T {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
    try {
      return step();
    } catch (error) {
      if (!String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait + Math.random() * wait);
    }
  }
}
