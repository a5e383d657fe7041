import { isDeepStrictEqual } from 'node:util';
import { describeError, isMedicError, MedicPackError } from '../errors.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { modelKey } from '../store/models.js';
import type { RunRecord } from '../store/records.js';
import type { VectorRecord } from '../vector/records.js';
import { renamePack } from './rename.js';
import { parsePack, PACK_KINDS, recordLabel, type Pack, type PackCounts, type PackKind } from './schema.js';

export type ImportOptions = {
  /** Import the pack's one project under this name (see renamePack). */
  as?: string;
  /** Where the pack came from (its file), for messages. */
  source?: string;
  /** Writes vectors: by default into the store (the local index); the CLI's also fills Chroma (see indexWriter). */
  writeVectors?: (records: VectorRecord[]) => Promise<void>;
};

export type ImportResult = {
  /** Records written (added or replaced) of each kind; runs: started or finished. */
  written: PackCounts;
  /** Runs the store held already, as the pack has them (or further along). */
  runsUnchanged: number;
  /** The pack's models the store holds a later fit of (kept: an import never turns a model back). */
  modelsUnchanged: number;
};

/** Records per write call: one store transaction each. */
const BATCH = 500;

type RunStep = { run: RunRecord; step: 'start' | 'finish' | 'keep' };

/**
 * Writes a pack into a store through its write methods, runs before what refers to them.
 * Validated first (parsePack): a pack of another format or version, an invalid record, a run
 * that conflicts with the store's or one the pack's attempts need and nobody has, refuses the
 * whole import before anything is written. Idempotent: every record replaces the store's of
 * its key, and a run the store holds already is kept (or finished as the pack has it), so
 * importing a pack twice leaves the store as importing it once.
 * @example const { written } = await importPack(store, readPackFile('knowledge.json.gz'), { as: 'shop-v2' });
 */
export async function importPack(store: KnowledgeStore, input: unknown, options: ImportOptions = {}): Promise<ImportResult> {
  const where = options.source ?? '(in memory)';
  let pack = parsePack(input, where);
  if (options.as !== undefined) pack = renamePack(pack, options.as);
  const steps = await planRuns(store, pack, where);
  await checkRunsKnown(store, pack, where);

  const written = Object.fromEntries(PACK_KINDS.map((kind) => [kind, 0])) as PackCounts;
  const writeVectors = options.writeVectors ?? ((records) => store.putVectors(records));
  const stage = async (kind: PackKind, write: () => Promise<void>) => {
    try {
      await write();
    } catch (error) {
      const inner = isMedicError(error) ? { message: describeError(error).split('\nFix: ')[0], fix: error.fix } : { message: describeError(error), fix: undefined };
      throw new MedicPackError(`Importing ${where} into ${store.location} stopped while writing ${kind} (${written[kind]} of ${pack[kind].length} written): ${inner.message}`, {
        fix: `${inner.fix ? `${inner.fix.replace(/\.$/, '')}; then import` : 'Import'} the pack again: an import writes nothing twice.`,
        cause: error,
      });
    }
  };

  await stage('runs', async () => {
    for (const { run, step } of steps) {
      if (step === 'start') await store.startRun(run);
      else if (step === 'finish') await store.finishRun(run.id, { endedAt: run.endedAt, status: run.status, errors: run.errors });
      if (step !== 'keep') written.runs++;
    }
  });
  await stage('attempts', async () => {
    for (const attempt of pack.attempts) {
      await store.recordAttempt(attempt);
      written.attempts++;
    }
  });
  const inBatches = <T>(kind: PackKind, records: T[], write: (batch: T[]) => Promise<void>) =>
    stage(kind, async () => {
      for (let i = 0; i < records.length; i += BATCH) {
        const batch = records.slice(i, i + BATCH);
        await write(batch);
        written[kind] += batch.length;
      }
    });
  await inBatches('heals', pack.heals, (batch) => store.recordHeals(batch));
  await inBatches('selectors', pack.selectors, (batch) => store.putSelectors(batch));
  await inBatches('failurePatterns', pack.failurePatterns, (batch) => store.putFailurePatterns(batch));
  await inBatches('successPatterns', pack.successPatterns, (batch) => store.putSuccessPatterns(batch));
  await stage('strategyExecutions', async () => {
    // A run's executions replace what the store has of that run: all of them in one call.
    const byRun = new Map<string, Pack['strategyExecutions']>();
    for (const e of pack.strategyExecutions) byRun.set(e.runId, [...(byRun.get(e.runId) ?? []), e]);
    for (const [runId, executions] of byRun) {
      await store.recordStrategyExecutions(runId, executions);
      written.strategyExecutions += executions.length;
    }
  });
  // Predictions need no run in the store (nor does checkRunsKnown ask for one): the run only says what judged them.
  await inBatches('predictions', pack.predictions, (batch) => store.recordPredictions(batch));
  let modelsUnchanged = 0;
  await stage('models', async () => {
    // Each replaces the store's model of its (project, name) whole, as a refit would, unless the
    // store's was fitted later: a pack exported before the store's last refit must not undo it.
    const stored = new Map((await store.listModels()).map((m) => [modelKey(m), Date.parse(m.at)]));
    for (const model of pack.models) {
      if ((stored.get(modelKey(model)) ?? -Infinity) > Date.parse(model.at)) {
        modelsUnchanged++;
        continue;
      }
      await store.putModel(model);
      written.models++;
    }
  });
  await inBatches('vectors', pack.vectors, writeVectors);
  return { written, runsUnchanged: steps.filter((s) => s.step === 'keep').length, modelsUnchanged };
}

const ENDS: readonly (keyof RunRecord)[] = ['endedAt', 'status', 'errors'];

/** What to do with each run: start it, finish it as the pack has it, or keep the store's; a run that is another under the same id refuses the import. */
async function planRuns(store: KnowledgeStore, pack: Pack, where: string): Promise<RunStep[]> {
  const steps: RunStep[] = [];
  for (const [i, run] of pack.runs.entries()) {
    const stored = await store.getRun(run.id);
    if (!stored) {
      steps.push({ run, step: 'start' });
      continue;
    }
    const start = (r: RunRecord) => Object.fromEntries(Object.entries(r).filter(([key]) => !ENDS.includes(key as keyof RunRecord)));
    if (!isDeepStrictEqual(start(stored), start(run))) {
      throw new MedicPackError(
        `The pack ${where} is refused: ${recordLabel('runs', i, run)} is not the run of that id in ${store.location} (project ${JSON.stringify(stored.project)}, started ${stored.startedAt}). Nothing was imported.`,
        { fix: 'A run id names one run: import into another store, or with --as <project> to copy the runs under new ids.' },
      );
    }
    // The store's own record of a run that has ended knows more than a pack exported while it ran.
    const same = isDeepStrictEqual(stored, run) || (run.status === 'running' && stored.status !== 'running');
    steps.push({ run, step: same ? 'keep' : 'finish' });
  }
  return steps;
}

/** Every run an attempt or a heal names must come with the pack or be in the store already (they are refused otherwise, half-way through). */
async function checkRunsKnown(store: KnowledgeStore, pack: Pack, where: string): Promise<void> {
  const known = new Set(pack.runs.map((r) => r.id));
  for (const kind of ['attempts', 'heals'] as const) {
    for (const [i, record] of pack[kind].entries()) {
      if (known.has(record.runId)) continue;
      if (await store.getRun(record.runId)) {
        known.add(record.runId);
        continue;
      }
      throw new MedicPackError(
        `The pack ${where} is refused: ${recordLabel(kind, i, record)} is of run ${JSON.stringify(record.runId)}, which neither the pack nor ${store.location} holds. Nothing was imported.`,
        { fix: 'Export the run with its records (medic export, with --project of the run’s project), or remove the record from the file.' },
      );
    }
  }
}
