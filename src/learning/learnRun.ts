import type { MedicConfig } from '../config/schema.js';
import { describeError } from '../errors.js';
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
 * while the store was away.
 * @example const learned = await learnRun(config, store, runId, console.warn);
 */
export async function learnRun(config: Pick<MedicConfig, 'project' | 'vectors' | 'embedder'>, store: KnowledgeStore, runId: string, warn: (message: string) => void): Promise<Learned | undefined> {
  let learned: Learned | undefined;
  const learn = async () => {
    const embedder = openEmbedder(config);
    let warned = false;
    const warnOnce = (message: string) => {
      if (!warned) warn(message);
      warned = true;
    };
    const index = (collection: string) => openVectorIndex(config, store, collection, embedder, warnOnce);
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
    }
  };
  try {
    await store.exclusive(`learn:${config.project}`, learn);
  } catch (error) {
    warn(`medic: could not learn from this run (its records are kept): ${describeError(error)}`);
  }
  return learned;
}
