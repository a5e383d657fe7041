import type { MedicConfig } from '../config/schema.js';
import { describeError } from '../errors.js';
import { Spool } from '../resilience/spool.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { openEmbedder } from '../vector/openEmbedder.js';
import { openVectorIndex } from '../vector/openIndex.js';
import { VECTOR_COLLECTIONS } from './collections.js';
import { learnFailures } from './patternLearner.js';
import { learnStrategies } from './strategyLearner.js';
import { learnSuccesses } from './successLearner.js';

/** What one run taught: the failure patterns it touched and how many of them are new. */
export type Learned = { touched: number; created: number };

/**
 * Everything a recorded run teaches — failure patterns and their known fixes, success
 * patterns, strategy executions — learned under the project's lock (shards ending together
 * each see the others' merges). Each part that fails is one warning; the run's records stay.
 * The reporter calls it at the end of a run; a replayed spool (`medic sync`) for runs recorded
 * while the store was away. With Chroma, what it cannot take waits in the spool at `spoolPath`.
 * @example const learned = await learnRun(config, store, runId, console.warn, { spoolPath: '.medic/spool.db' });
 */
export async function learnRun(
  config: Pick<MedicConfig, 'project' | 'vectors' | 'embedder'>,
  store: KnowledgeStore,
  runId: string,
  warn: (message: string) => void,
  options: { spoolPath?: string } = {},
): Promise<Learned | undefined> {
  let learned: Learned | undefined;
  const learn = async () => {
    const embedder = openEmbedder(config, process.env, store);
    let warned = false;
    const warnOnce = (message: string) => {
      if (!warned) warn(message);
      warned = true;
    };
    const spool = config.vectors.kind === 'chroma' && options.spoolPath ? openVectorSpool(options.spoolPath, warnOnce) : undefined;
    const index = (collection: string) => openVectorIndex(config, store, collection, embedder, warnOnce, spool);
    try {
      const failures = await learnFailures({ store, embedder, index: index(VECTOR_COLLECTIONS.failures) }, runId);
      learned = { touched: failures.touched.length, created: failures.created.length };
    } catch (error) {
      warn(`medic: could not learn failure patterns from this run (its records are kept): ${describeError(error)}`);
    }
    try {
      await learnSuccesses({ store, embedder, index: index(VECTOR_COLLECTIONS.successes) }, runId);
    } catch (error) {
      warn(`medic: could not learn success patterns from this run (its records are kept): ${describeError(error)}`);
    }
    try {
      await learnStrategies(store, runId);
    } catch (error) {
      warn(`medic: could not record how the healing strategies did in this run (its records are kept): ${describeError(error)}`);
    } finally {
      spool?.close();
    }
  };
  try {
    await store.exclusive(`learn:${config.project}`, learn);
  } catch (error) {
    warn(`medic: could not learn from this run (its records are kept): ${describeError(error)}`);
  }
  return learned;
}

/** The spool for Chroma's missed writes; undefined (they stay in the local index only) when it cannot be opened. */
function openVectorSpool(path: string, warn: (message: string) => void): Spool | undefined {
  try {
    return Spool.open(path);
  } catch (error) {
    warn(`medic: vectors Chroma misses cannot be kept for later: ${describeError(error)}`);
    return undefined;
  }
}
