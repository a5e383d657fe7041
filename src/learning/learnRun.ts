import type { MedicConfig } from '../config/schema.js';
import { describeError } from '../errors.js';
import { Spool } from '../resilience/spool.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import type { RunRecord } from '../store/records.js';
import type { Embedder } from '../vector/embedder.js';
import { openEmbedder } from '../vector/openEmbedder.js';
import { openVectorIndex } from '../vector/openIndex.js';
import type { VectorIndex } from '../vector/VectorIndex.js';
import { VECTOR_COLLECTIONS } from './collections.js';
import { learnFailures } from './patternLearner.js';
import { learnStrategies } from './strategyLearner.js';
import { learnSuccesses } from './successLearner.js';

/** What one run taught: the failure patterns it touched and how many of them are new. */
export type Learned = { touched: number; created: number };

type Part = NonNullable<RunRecord['unlearned']>['parts'][number];
const PARTS: readonly Part[] = ['failures', 'successes', 'strategies'];
const WHAT: Record<Part, string> = { failures: 'failure patterns', successes: 'success patterns', strategies: 'how the healing strategies did' };
/** How many of a project's newest runs are looked at for learning that waits. */
const RUNS_LOOKED_AT = 200;
/** How many waiting runs one call learns at most (the oldest first; the rest at the next run), so a backlog does not hold the project's lock for long. */
const CATCH_UP_AT_MOST = 20;

type Learner = { store: KnowledgeStore; embedder: Embedder; index: (collection: string) => VectorIndex };

/**
 * Everything a recorded run teaches — failure patterns and their known fixes, success
 * patterns, strategy executions — learned under the project's lock (shards ending together
 * each see the others' merges). Each part that fails is one warning; the run's records stay,
 * and the part is kept on the run (`unlearned`) and learned before a later run of the project
 * learns (the embedder was down, say), so nothing it teaches is lost. The reporter calls it at
 * the end of a run; a replayed spool (`medic sync`) for runs recorded while the store was away.
 * With Chroma, what it cannot take waits in the spool at `spoolPath`.
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
  let run: RunRecord | undefined;
  let tried = false;
  try {
    await withLearner(config, store, warn, options, async (learner) => {
      run = await store.getRun(runId);
      // Runs whose learning waits come first: what they teach comes before what this one does.
      await learnWaiting(learner, run?.project ?? config.project, runId, warn);
      tried = true;
      const done = await learnParts(learner, runId, PARTS, (part, error) => warn(`medic: could not learn ${WHAT[part]} from this run (its records are kept; learned at a later run): ${describeError(error)}`));
      learned = done.learned;
      if (done.failed.length && run) await keepUnlearned(store, run, done.failed, warn);
    });
  } catch (error) {
    // The lock, say: nothing of this run was learned; it is kept for later, as far as the store lets.
    warn(`medic: could not learn from this run (its records are kept; learned at a later run): ${describeError(error)}`);
    run ??= await store.getRun(runId).catch(() => undefined);
    if (run && !tried) await keepUnlearned(store, run, PARTS.map((part) => ({ part, error })), warn);
  }
  return learned;
}

/**
 * Learns what waits on the project's earlier runs (`medic sync`); how many runs were learned.
 * @example const runs = await learnWaitingRuns(config, store, console.warn, { spoolPath });
 */
export async function learnWaitingRuns(
  config: Pick<MedicConfig, 'project' | 'vectors' | 'embedder'>,
  store: KnowledgeStore,
  warn: (message: string) => void,
  options: { spoolPath?: string } = {},
): Promise<{ learned: number; waiting: number }> {
  let result = { learned: 0, waiting: 0 };
  await withLearner(config, store, warn, options, async (learner) => {
    result = await learnWaiting(learner, config.project, undefined, warn);
  });
  return result;
}

/** Opens the embedder and the indexes once, under the project's lock. */
async function withLearner(
  config: Pick<MedicConfig, 'project' | 'vectors' | 'embedder'>,
  store: KnowledgeStore,
  warn: (message: string) => void,
  options: { spoolPath?: string },
  action: (learner: Learner) => Promise<void>,
): Promise<void> {
  await store.exclusive(`learn:${config.project}`, async () => {
    const embedder = openEmbedder(config, process.env, store);
    let warned = false;
    const warnOnce = (message: string) => {
      if (!warned) warn(message);
      warned = true;
    };
    const spool = config.vectors.kind === 'chroma' && options.spoolPath ? openVectorSpool(options.spoolPath, warnOnce) : undefined;
    try {
      await action({ store, embedder, index: (collection) => openVectorIndex(config, store, collection, embedder, warnOnce, spool) });
    } finally {
      spool?.close();
    }
  });
}

/** Learns `parts` of a run; the parts that failed, with their errors. */
async function learnParts(learner: Learner, runId: string, parts: readonly Part[], failed: (part: Part, error: unknown) => void): Promise<{ learned?: Learned; failed: { part: Part; error: unknown }[] }> {
  const { store, embedder } = learner;
  const out: { learned?: Learned; failed: { part: Part; error: unknown }[] } = { failed: [] };
  const learners: Record<Part, () => Promise<unknown>> = {
    failures: async () => {
      const f = await learnFailures({ store, embedder, index: learner.index(VECTOR_COLLECTIONS.failures) }, runId);
      out.learned = { touched: f.touched.length, created: f.created.length };
    },
    successes: () => learnSuccesses({ store, embedder, index: learner.index(VECTOR_COLLECTIONS.successes) }, runId),
    strategies: () => learnStrategies(store, runId),
  };
  for (const part of parts) {
    try {
      await learners[part]();
    } catch (error) {
      failed(part, error);
      out.failed.push({ part, error });
    }
  }
  return out;
}

/** Keeps the parts that failed on the run, to be learned later. */
async function keepUnlearned(store: KnowledgeStore, run: RunRecord, failed: { part: Part; error: unknown }[], warn: (message: string) => void): Promise<void> {
  try {
    const unlearned = { parts: failed.map((f) => f.part), error: describeError(failed[0]!.error).slice(0, 2000), at: new Date().toISOString() };
    await store.finishRun(run.id, { endedAt: run.endedAt, status: run.status, unlearned });
  } catch (error) {
    warn(`medic: could not note what is left to learn from this run: ${describeError(error)}`);
  }
}

/**
 * Learns the parts that wait on the project's runs (other than `exceptRunId`), oldest first, at
 * most CATCH_UP_AT_MOST of them; a run that still cannot be learned (its backend is still down)
 * keeps waiting, and the next one is tried. Each run is marked learned before it is learned, so
 * a store that fails in between loses that run's learning rather than counting it twice.
 */
async function learnWaiting(learner: Learner, project: string, exceptRunId: string | undefined, warn: (message: string) => void): Promise<{ learned: number; waiting: number }> {
  const { store } = learner;
  const waiting = (await store.listRuns({ project, limit: RUNS_LOOKED_AT })).filter((r) => r.unlearned && r.id !== exceptRunId).reverse();
  let learned = 0;
  let why = '';
  for (const run of waiting.slice(0, CATCH_UP_AT_MOST)) {
    try {
      await store.finishRun(run.id, { endedAt: run.endedAt, status: run.status, unlearned: null });
    } catch (error) {
      why ||= describeError(error);
      continue;
    }
    const done = await learnParts(learner, run.id, run.unlearned!.parts, () => undefined);
    if (done.failed.length) {
      why ||= describeError(done.failed[0]!.error);
      await keepUnlearned(store, run, done.failed, warn);
    } else learned++;
  }
  const still = waiting.length - learned;
  const runs = (n: number) => `${n} earlier run${n === 1 ? '' : 's'} of ${project}`;
  if (learned) warn(`medic: learned ${runs(learned)} that could not be learned when ${learned === 1 ? 'it' : 'they'} ran.`);
  if (still) warn(`medic: ${runs(still)} still wait${still === 1 ? 's' : ''} to be learned${why ? ` (${why.split('\n')[0]})` : ''}; tried again at the next run or with npx medic sync.`);
  return { learned, waiting: still };
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
