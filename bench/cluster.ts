// Clustering benchmark: how well failure patterns group the failures of a labelled corpus of real
// Playwright errors (bench/data/cluster-corpus.json, captured by `npm run capture:cluster` from
// replayed histories with injected faults), against two baselines run in the same command:
// grouping by the exact signature, and by the first line of the message (how a person skims a
// report). Prints purity, inverse purity, the adjusted Rand index and throughput.
//   npm run bench:cluster [-- --corpus <file>]
import { performance } from 'node:perf_hooks';
import { adjustedRandIndex, inversePurity, purity, type Assignment } from '../src/learning/clusterQuality.js';
import { existsSync } from 'node:fs';
import { learnFailures, patternOfFailure } from '../src/learning/patternLearner.js';
import { normalizeErrorMessage, signError } from '../src/learning/signature.js';
import type { AttemptRecord } from '../src/store/records.js';
import { MemoryStore } from '../src/store/memory.js';
import { hashingEmbedder } from '../src/vector/embedder.js';
import { localIndex } from '../src/vector/localIndex.js';
import { optionFrom, pct } from './args.js';
import { loadClusterCorpus, type ClusterCorpus } from './cluster-corpus.js';

const file = optionFrom(process.argv, 'corpus');
if (file === null || (file && !existsSync(file))) {
  console.error(file ? `bench:cluster: --corpus ${file} does not exist` : 'usage: npm run bench:cluster [-- --corpus <file of npm run capture:cluster>]');
  process.exit(2);
}
const corpus = loadClusterCorpus(file);
const failures = corpus.attempts.filter((a) => a.attempt.error && a.attempt.status !== a.attempt.expectedStatus);
const unlabelled = failures.filter((f) => !f.fault).length;
if (unlabelled) throw new Error(`the corpus has ${unlabelled} failures without a fault label: capture it again`);

type Method = { name: string; cluster: () => Promise<string[]> };

/** The reporter and the learner: each error signed, run by run into a fresh store, then each failure's pattern by its signature. */
async function medic(data: ClusterCorpus): Promise<string[]> {
  const store = new MemoryStore();
  const embedder = hashingEmbedder();
  const deps = { store, embedder, index: localIndex(store, 'failures', embedder) };
  const signed = new Map<AttemptRecord, AttemptRecord>();
  for (const run of data.runs) {
    await store.startRun(run);
    for (const { attempt } of data.attempts) {
      if (attempt.runId !== run.id) continue;
      const record = attempt.error ? { ...attempt, error: { ...attempt.error, ...signError(attempt.error) } } : attempt;
      signed.set(attempt, record);
      await store.recordAttempt(record);
    }
    await learnFailures(deps, run.id);
  }
  const patternOf = patternOfFailure(await store.listFailurePatterns({}));
  return failures.map(({ attempt }) => {
    const pattern = patternOf(signed.get(attempt)!);
    if (!pattern) throw new Error(`"${attempt.title}" (run ${attempt.runId}) joined no pattern: the learner and this bench disagree`);
    return pattern.id;
  });
}

const methods: Method[] = [
  { name: 'failure patterns', cluster: () => medic(corpus) },
  { name: 'exact signature', cluster: async () => failures.map(({ attempt }) => signError(attempt.error!).signature) },
  { name: 'first line', cluster: async () => failures.map(({ attempt }) => normalizeErrorMessage(attempt.error!.message).split('\n')[0]!) },
];

/** Repeats `run` for at least 1 s (and 3 times): messages per second. */
async function throughput(run: () => Promise<unknown>): Promise<number> {
  let reps = 0;
  const start = performance.now();
  while (reps < 3 || performance.now() - start < 1000) {
    await run();
    reps++;
  }
  return (reps * failures.length) / ((performance.now() - start) / 1000);
}

const faults = new Set(failures.map((f) => f.fault));
console.log(`corpus: ${failures.length} failures (${faults.size} injected faults) in ${corpus.attempts.length} attempts of ${corpus.runs.length} runs, Playwright ${corpus.playwrightVersion}`);
console.log('method             clusters  purity  inverse purity  adjusted Rand  messages/s');
const results: Record<string, { ari: number; purity: number }> = {};
for (const method of methods) {
  const clusters = await method.cluster();
  const items: Assignment[] = clusters.map((cluster, n) => ({ cluster, label: failures[n]!.fault! }));
  const figures = { purity: purity(items), inverse: inversePurity(items), ari: adjustedRandIndex(items) };
  results[method.name] = { ari: figures.ari, purity: figures.purity };
  const rate = await throughput(method.cluster);
  console.log(
    `${method.name.padEnd(18)} ${String(new Set(clusters).size).padStart(8)}  ${pct(figures.purity).padStart(6)}  ${pct(figures.inverse).padStart(14)}  ${figures.ari.toFixed(3).padStart(13)}  ${Math.round(rate).toString().padStart(10)}`,
  );
}
const ours = results['failure patterns']!;
for (const baseline of ['exact signature', 'first line']) {
  const b = results[baseline]!;
  console.log(`adjusted Rand, failure patterns vs ${baseline}: ${ours.ari.toFixed(3)} vs ${b.ari.toFixed(3)} (${b.ari > 0 ? `${(ours.ari / b.ari).toFixed(2)}×` : 'baseline ≤ 0'})`);
}
