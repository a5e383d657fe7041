#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineMedicConfig } from '../config/index.js';
import { describeError, isMedicError, MedicConfigError } from '../errors.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import type { RunRecord } from '../store/records.js';
import { openStore, spoolPath } from '../store/open.js';
import { Spool } from '../resilience/spool.js';
import { openSqliteStore } from '../store/sqliteOpen.js';
import { assessFlakiness } from '../learning/flakiness.js';
import { loadHistory } from '../learning/history.js';
import { rankOptionsSchema, rankStrategies, type StrategyScore } from '../learning/strategies.js';
import { findSimilarSuccess } from '../learning/successLearner.js';
import { runDoctor } from '../doctor/doctor.js';
import { formatDoctor } from '../doctor/report.js';
import { openEmbedder } from '../vector/openEmbedder.js';
import { openVectorIndex } from '../vector/openIndex.js';
import { formatAttempts, formatFailures, formatFlaky, formatHeals, formatRuns, formatStrategies, formatSuccesses, summarizeRun } from './format.js';
import { VECTOR_COLLECTIONS } from '../learning/collections.js';
import { registerReview } from './review.js';
import { registerApply } from './apply.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a whole number above 0, got "${value}"`);
  return n;
}

type StoreFlags = { store?: string };

/** `--list` of `medic risk` and `medic plan`. */
const LIST_HELP =
  "list the suite with Playwright first (`playwright test --list`, with this config file if given) so tests that never ran are scored too; spec paths are then read from the config's rootDir";

/** Whose knowledge: --project, else MEDIC_PROJECT, else "default". */
const projectOf = (options: { project?: string }) => options.project ?? defineMedicConfig({}).project;

/** The store to read: --store (a SQLite file), else the configured one (MEDIC_REDIS_URL, MEDIC_STORE_PATH), else .medic/medic.db here. Read-only for SQLite. */
async function withStore<T>(flags: StoreFlags, action: (store: KnowledgeStore) => Promise<T>): Promise<T> {
  const config = defineMedicConfig({});
  if (config.store.kind === 'memory' && flags.store === undefined) {
    throw new MedicConfigError('The medic command reads a stored knowledge base; MEDIC_STORE_KIND is "memory", which keeps nothing to read.', {
      fix: 'Unset MEDIC_STORE_KIND, or pass --store <path of a medic.db>.',
    });
  }
  const store =
    config.store.kind === 'redis' && flags.store === undefined
      ? openStore(config, process.cwd())
      : openSqliteStore({ path: resolve(flags.store ?? config.store.path), busyTimeoutMs: config.store.busyTimeoutMs, readonly: true });
  try {
    return await action(store);
  } finally {
    await store.close();
  }
}

/** The run whose id starts with `prefix`, else the newest; a clear error when there is none. */
async function findRun(store: KnowledgeStore, prefix: string | undefined): Promise<RunRecord> {
  const runs = await store.listRuns();
  const run = prefix ? runs.find((r) => r.id.startsWith(prefix)) : runs[0];
  if (!run) throw new InvalidArgumentError(prefix ? `no run starts with "${prefix}" (see: medic runs)` : 'no runs recorded yet');
  return run;
}

export function buildCli(): Command {
  const program = new Command('medic')
    .description('playwright-medic: what your Playwright suite has taught it')
    .option('--store <path>', 'the SQLite knowledge store to read (default: the Redis server of MEDIC_REDIS_URL, else MEDIC_STORE_PATH, else .medic/medic.db in this folder)')
    .showHelpAfterError();

  program
    .command('runs')
    .description('list recorded runs, newest first')
    .option('-n, --limit <n>', 'how many runs', positiveInt, 10)
    .option('--json', 'print JSON')
    .action(async (options: { limit: number; json?: boolean }) => {
      await withStore(program.opts<StoreFlags>(), async (store) => {
        const runs = await store.listRuns({ limit: options.limit });
        const summaries = await Promise.all(runs.map(async (run) => summarizeRun(run, await store.listAttempts({ runId: run.id }))));
        console.log(options.json ? JSON.stringify(summaries, null, 2) : formatRuns(summaries, store.location));
      });
    });

  program
    .command('attempts')
    .description("list one run's attempts (the newest run by default)")
    .option('--run <id>', 'run id (a unique prefix is enough)')
    .option('--failed', 'only attempts that did not end as expected')
    .option('--json', 'print JSON')
    .action(async (options: { run?: string; failed?: boolean; json?: boolean }) => {
      await withStore(program.opts<StoreFlags>(), async (store) => {
        const run = await findRun(store, options.run);
        let attempts = await store.listAttempts({ runId: run.id });
        if (options.failed) attempts = attempts.filter((a) => a.status !== a.expectedStatus && a.status !== 'skipped');
        console.log(options.json ? JSON.stringify(attempts, null, 2) : formatAttempts(run, attempts));
      });
    });

  program
    .command('heals')
    .description("list one run's heals (the newest run by default): old and new locator, strategy, confidence, why")
    .option('--run <id>', 'run id (a unique prefix is enough)')
    .option('--all', 'also the abstentions (a broken locator with no safe candidate)')
    .option('--json', 'print JSON')
    .action(async (options: { run?: string; all?: boolean; json?: boolean }) => {
      await withStore(program.opts<StoreFlags>(), async (store) => {
        const run = await findRun(store, options.run);
        let heals = (await store.listHeals({ runId: run.id })).reverse();
        if (!options.all) heals = heals.filter((h) => h.outcome !== 'abstained');
        console.log(options.json ? JSON.stringify(heals, null, 2) : formatHeals(run, heals));
      });
    });

  program
    .command('failures')
    .description('list the failure patterns learnt from failing tests, most frequent first, with their known fixes')
    .option('-n, --limit <n>', 'how many patterns', positiveInt, 20)
    .option('--category <name>', 'only this failure category (selector_missing, timeout, assertion, network, …)')
    .option('--json', 'print JSON')
    .action(async (options: { limit: number; category?: string; json?: boolean }) => {
      await withStore(program.opts<StoreFlags>(), async (store) => {
        const all = await store.listFailurePatterns(options.category ? { category: options.category } : {});
        const top = all.sort((a, b) => b.count - a.count || (b.lastSeen > a.lastSeen ? 1 : -1)).slice(0, options.limit);
        console.log(options.json ? JSON.stringify(top, null, 2) : formatFailures(top, store.location));
      });
    });

  program
    .command('flaky')
    .description('flaky and broken tests over the last runs: pass-on-retry, flips, a 0–1 score, quarantine suggestions')
    .option('-n, --runs <n>', 'how many of the newest runs count', positiveInt, 20)
    .option('--project <name>', 'whose runs (default: MEDIC_PROJECT, else "default")')
    .option('--all', 'also the stable tests and those with too few runs to judge')
    .option('--json', 'print JSON')
    .action(async (options: { runs: number; project?: string; all?: boolean; json?: boolean }) => {
      await withStore(program.opts<StoreFlags>(), async (store) => {
        const project = projectOf(options);
        const { runs, attempts, changed } = await loadHistory(store, { project, runs: options.runs });
        const all = assessFlakiness(runs, attempts, { window: options.runs }, changed);
        const tests = options.all ? all : all.filter((t) => t.state === 'flaky' || t.state === 'broken');
        console.log(options.json ? JSON.stringify(tests, null, 2) : formatFlaky(tests, store.location, options.runs, all.length));
      });
    });

  program
    .command('patterns')
    .description('the success patterns most like a query ("test checkout", a title, a locator): what worked, the most successful first')
    .argument('<query...>', 'what to look for')
    .option('-n, --limit <n>', 'how many nearest patterns to consider', positiveInt, 5)
    .option('--project <name>', 'whose patterns (default: MEDIC_PROJECT, else "default")')
    .option('--json', 'print JSON')
    .action(async (words: string[], options: { limit: number; project?: string; json?: boolean }) => {
      await withStore(program.opts<StoreFlags>(), async (store) => {
        const query = words.join(' ');
        const project = projectOf(options);
        const config = defineMedicConfig({});
        const embedder = openEmbedder(config, process.env, store);
        // Vectors Chroma missed wait in the spool: while they do, the local index answers.
        const path = spoolPath(config, process.cwd());
        const spool = config.vectors.kind === 'chroma' && existsSync(path) ? Spool.open(path) : undefined;
        const index = openVectorIndex(config, store, VECTOR_COLLECTIONS.successes, embedder, console.warn, spool);
        const found = await findSimilarSuccess({ store, embedder, index }, project, query, { k: options.limit }).finally(() => spool?.close());
        console.log(options.json ? JSON.stringify(found, null, 2) : formatSuccesses(found, query, store.location));
      });
    });

  program
    .command('strategies')
    .description('how each healing strategy and retry did per task (failure category): success rate, time, cost, score')
    .option('--task <type>', 'only this task type (selector_missing, strict_mode, timeout, …)')
    .option('--project <name>', 'whose executions (default: MEDIC_PROJECT, else "default")')
    .option('--json', 'print JSON')
    .action(async (options: { task?: string; project?: string; json?: boolean }) => {
      await withStore(program.opts<StoreFlags>(), async (store) => {
        const project = projectOf(options);
        const executions = await store.listStrategyExecutions({ project, ...(options.task ? { taskType: options.task } : {}) });
        const rankings = new Map<string, StrategyScore[]>();
        for (const task of [...new Set(executions.map((e) => e.taskType))].sort()) rankings.set(task, rankStrategies(executions, task, { minSamples: 1 }));
        const minSamples = rankOptionsSchema.parse({}).minSamples;
        console.log(options.json ? JSON.stringify(Object.fromEntries(rankings), null, 2) : formatStrategies(rankings, store.location, minSamples));
      });
    });

  program
    .command('risk')
    .description("each known test's risk of failing in the next run (0–1), riskiest first, with the factors behind it")
    .option('-n, --limit <n>', 'how many tests to show', positiveInt, 10)
    .option('--project <name>', 'whose tests (default: MEDIC_PROJECT, else "default")')
    .option('--root-dir <dir>', "the Playwright config's rootDir, where git and the spec files are read (default: this folder)")
    .option('--json', 'print every prediction as JSON')
    .option('--list [config]', LIST_HELP)
    .action(async (options: { limit: number; project?: string; rootDir?: string; json?: boolean; list?: boolean | string }) => {
      const { riskCommand } = await import('./plan.js');
      await withStore(program.opts<StoreFlags>(), (store) => riskCommand(store, { ...options, project: projectOf(options) }));
    });

  program
    .command('plan')
    .description('write a --test-list file of the tests, riskiest first (the top K with --top), or print a --grep of the top K')
    .option('-o, --out <file>', 'the test list file to write (default: print it)')
    .option('--top <k>', 'only the K riskiest tests', positiveInt)
    .option('--grep', 'print a --grep pattern of the chosen tests instead of a list')
    .option('--project <name>', 'whose tests (default: MEDIC_PROJECT, else "default")')
    .option('--root-dir <dir>', "the Playwright config's rootDir, where git and the spec files are read (default: this folder)")
    .option('--json', 'print what was written as JSON')
    .option('--list [config]', LIST_HELP)
    .action(async (options: { out?: string; top?: number; grep?: boolean; project?: string; rootDir?: string; json?: boolean; list?: boolean | string }) => {
      const { planCommand } = await import('./plan.js');
      await withStore(program.opts<StoreFlags>(), (store) => planCommand(store, { ...options, project: projectOf(options) }));
    });

  program
    .command('report')
    .description('write the HTML learning report of the newest run (or --run): one offline file, by default .medic/report/index.html')
    .option('--open', 'open it in the browser')
    .option('--run <id>', 'the run the report is about (an id prefix; default: the newest)')
    .option('--runs <n>', 'how many runs its trends cover (default: report.runs, 30)', positiveInt)
    .option('-o, --out <file>', 'where to write it (default: <report.dir>/index.html)')
    .option('--dir <folder>', "the report folder, where the reporter keeps the heals' screenshots (default: report.dir, .medic/report)")
    .option('--ctrf <file>', "also write the run as CTRF JSON (Common Test Report Format), medic's findings under extra")
    .option('--project <name>', 'whose runs (default: MEDIC_PROJECT, else "default")')
    .option('--json', 'print what was written as JSON')
    .action(async (options: { open?: boolean; run?: string; runs?: number; out?: string; ctrf?: string; dir?: string; project?: string; json?: boolean }) => {
      const { reportCommand } = await import('./report.js');
      await withStore(program.opts<StoreFlags>(), (store) => reportCommand(store, defineMedicConfig({}), { ...options, project: projectOf(options) }));
    });

  program
    .command('export')
    .description('write the knowledge store (or one project of it) to a versioned pack file: JSON, gzip when the name ends in .gz')
    .argument('<file>', 'the pack file to write, e.g. knowledge.json.gz')
    .option('--project <name>', 'only this project (default: every project)')
    .option('--json', 'print JSON')
    .action(async (file: string, options: { project?: string; json?: boolean }) => {
      const { exportCommand } = await import('./pack.js');
      await withStore(program.opts<StoreFlags>(), (store) => exportCommand(store, file, options));
    });

  program
    .command('import')
    .description('write a pack file (medic export) into the configured store, and into Chroma when vectors.kind is chroma; importing twice changes nothing')
    .argument('<file>', 'the pack file to read')
    .option('--as <name>', "import the pack's project under this name (new run and pattern ids derived from it)")
    .option('--json', 'print JSON')
    .action(async (file: string, options: { as?: string; json?: boolean }) => {
      const { importCommand } = await import('./pack.js');
      await importCommand(program.opts<StoreFlags>(), file, options);
    });

  program
    .command('migrate')
    .description('copy the configured store (or --store) into a Redis server, with the configured keyPrefix (and vectors into Chroma when configured), then verify the copy')
    .requiredOption('--to <redis-url>', 'the Redis to copy into, e.g. redis://127.0.0.1:6379')
    .option('--json', 'print JSON')
    .action(async (options: { to: string; json?: boolean }) => {
      const { migrateCommand } = await import('./pack.js');
      const flags = program.opts<StoreFlags>();
      await withStore(flags, (store) => migrateCommand(store, flags, options));
    });

  program
    .command('sync')
    .description('write what was spooled while the shared store (Redis) was unreachable, learn from the runs it completes, and send Chroma the vectors it missed')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { syncCommand } = await import('./sync.js');
      await syncCommand(defineMedicConfig({}), process.cwd(), options);
    });

  program
    .command('doctor')
    .description('check everything configured (store, vector index, embedder, LLM endpoint, breakers, spool, disk): a fix for each problem, exit 1 on any')
    .option('--fix', 'do what is safe: replay the spool, run a pending store migration (after a backup)')
    .option('--json', 'print JSON')
    .action(async (options: { fix?: boolean; json?: boolean }) => {
      const report = await runDoctor({ baseDir: process.cwd(), fix: options.fix === true });
      console.log(options.json ? JSON.stringify(report, null, 2) : formatDoctor(report));
      if (!report.ok) process.exitCode = 1;
    });

  registerReview(program);
  registerApply(program, withStore);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv);
    return Number(process.exitCode ?? 0); // a command that found problems (doctor) sets it
  } catch (error) {
    console.error(`medic: ${isMedicError(error) ? error.message : describeError(error)}`);
    return 1;
  }
}

process.exitCode = await main(process.argv);
