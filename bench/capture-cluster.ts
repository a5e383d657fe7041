// Captures the labelled corpus of bench:cluster: replays the history of
// test/helpers/replayHistory.ts (real Playwright runs, a fresh project each time) and writes the
// failing attempts the reporter recorded, with their injected faults, to bench/data/cluster-corpus.json.
//   npm run capture:cluster [-- --replays 2]     (needs a built dist/ and a Chromium; ~3 min a replay)
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AttemptRecord } from '../src/store/records.js';
import { openSqliteStore } from '../src/store/sqliteOpen.js';
import { labelledFailures, replayHistory } from '../test/helpers/replayHistory.js';
import { optionFrom } from './args.js';
import { CORPUS_FILE, clusterCorpusSchema, type ClusterCorpus } from './cluster-corpus.js';

const option = optionFrom(process.argv, 'replays');
const replays = option === undefined ? 2 : Number(option);
if (!Number.isInteger(replays) || replays < 1) {
  console.error('usage: npm run capture:cluster -- [--replays <n ≥ 1>]');
  process.exit(2);
}

const runs: ClusterCorpus['runs'] = [];
const attempts: ClusterCorpus['attempts'] = [];
for (let r = 0; r < replays; r++) {
  const { project, store: path } = await replayHistory(undefined, (run) => console.log(`replay ${r + 1}/${replays}: run ${run.index + 1} (${run.run.app}, ${run.run.mode}) exited ${run.code}`));
  const store = openSqliteStore({ path, readonly: true });
  const recorded = (await store.listRuns({ project: 'shop' })).reverse();
  runs.push(...recorded);
  const key = (a: AttemptRecord) => `${a.runId} ${a.testId} ${a.retry}`;
  const faultOf = new Map<string, string>();
  for (const f of await labelledFailures(store)) {
    if (!f.fault) throw new Error(`replay ${r + 1}, run ${f.run + 1}: "${f.attempt.title}" failed with no fault injected: ${f.attempt.error?.message.split('\n')[0]}`);
    faultOf.set(key(f.attempt), f.fault);
  }
  for (const run of recorded) {
    for (const attempt of await store.listAttempts({ runId: run.id })) {
      const fault = faultOf.get(key(attempt));
      attempts.push({ ...(fault ? { fault } : {}), attempt });
    }
  }
  await store.close();
  project.remove();
}
const playwrightVersion = (createRequire(import.meta.url)('@playwright/test/package.json') as { version: string }).version;
const corpus = clusterCorpusSchema.parse({ version: 1, playwrightVersion, runs, attempts });
writeFileSync(CORPUS_FILE, `${JSON.stringify(corpus, null, 1)}\n`);
console.log(`wrote ${attempts.length} attempts (${attempts.filter((a) => a.fault).length} labelled failures) of ${runs.length} runs to ${CORPUS_FILE.pathname}`);
