import type { MedicConfig } from '../config/schema.js';
import { describeError, MedicStoreUnavailableError } from '../errors.js';
import { Spool } from '../resilience/spool.js';
import { learnWaitingRuns } from '../learning/learnRun.js';
import { openStore, spoolPath, storePath } from '../store/open.js';
import type { ReplayResult, SpooledStore } from '../store/spooledStore.js';
import { replayChromaSpool, type ChromaSync } from '../vector/pendingVectors.js';
import { existsSync } from 'node:fs';

export type SyncResult = ReplayResult & { vectors?: ChromaSync; learning?: { learned: number; waiting: number } };

/**
 * `medic sync`: writes what was spooled while the shared store (Redis) was unreachable, learns
 * the runs that could not be learned when they ran (the embedder was down), and sends Chroma
 * the vectors it missed. Prints what it did; fails while anything still waits.
 * @example await syncCommand(defineMedicConfig({}), process.cwd(), { json: false });
 */
export async function syncCommand(config: MedicConfig, baseDir: string, options: { json?: boolean }): Promise<void> {
  const lines: string[] = [];
  const result: SyncResult = { applied: 0, left: 0, refused: [] };
  const waitingFor: string[] = [];
  if (config.store.kind === 'redis') {
    const store = openStore(config, baseDir, { spool: true }) as SpooledStore;
    try {
      const before = store.waiting;
      Object.assign(result, await store.replay());
      lines.push(`${store.location}: ${result.applied} of ${before} spooled writes written, ${result.left} still waiting (${store.spool.path})`);
      for (const why of result.refused) lines.push(`  refused and dropped: ${why}`);
      if (result.left) waitingFor.push(`${store.location}: ${result.left} writes`);
    } finally {
      await store.close();
    }
  } else {
    lines.push(`the store is ${config.store.kind}, which is written directly: nothing of it to sync (set MEDIC_REDIS_URL for a shared one)`);
  }
  const path = spoolPath(config, baseDir);
  const storeThere = config.store.kind === 'redis' ? result.left === 0 : config.store.kind === 'sqlite' && existsSync(storePath(config, baseDir));
  if (storeThere) {
    // Runs that could not be learned when they ran (their embedder was down): learned now, oldest first.
    const store = openStore(config, baseDir, { spool: true });
    try {
      const learning = await learnWaitingRuns(config, store, (message) => lines.push(`  ${message.replace(/^medic: /, '')}`), { spoolPath: path });
      result.learning = learning;
      lines.push(`learning: ${learning.learned} earlier runs of ${config.project} learned, ${learning.waiting} still waiting`);
      if (learning.waiting) waitingFor.push(`${learning.waiting} runs of ${config.project} to learn`);
    } finally {
      await store.close();
    }
  }
  if (config.vectors.kind === 'chroma' && existsSync(path)) {
    const spool = Spool.open(path);
    try {
      const vectors = await replayChromaSpool(spool, { url: config.vectors.url!, prefix: config.vectors.prefix });
      result.vectors = vectors;
      const elsewhere = vectors.elsewhere ? `; ${vectors.elsewhere} more kept for another Chroma server or prefix, left alone` : '';
      lines.push(`${config.vectors.url}: ${vectors.applied} vector writes sent to ${vectors.collections} collections, ${vectors.left} still waiting (${path})${elsewhere}`);
      for (const why of vectors.refused) lines.push(`  refused and dropped: ${why}`);
      if (vectors.left) waitingFor.push(`Chroma at ${config.vectors.url}: ${vectors.left} vector writes (${describeError(vectors.error).split('\n')[0]})`);
    } finally {
      spool.close();
    }
  }
  console.log(options.json ? JSON.stringify(result, (key, value: unknown) => (key === 'error' ? describeError(value) : value), 2) : lines.join('\n'));
  if (waitingFor.length) {
    throw new MedicStoreUnavailableError(`A server went away again during the sync; still waiting: ${waitingFor.join('; ')}.`, { fix: 'Check the server, then run `npx medic sync` again.' });
  }
}
