import { dirname, join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestError, TestResult } from '@playwright/test/reporter';
import { medicConfigSchema, resolveMedicConfig, type MedicConfig } from '../src/config/index.js';
import { describeError } from '../src/errors.js';
import { ciBuildId, gitInfo } from '../src/run/git.js';
import type { KnowledgeStore } from '../src/store/KnowledgeStore.js';
import { openStore, spoolPath } from '../src/store/open.js';
import { SpooledStore } from '../src/store/spooledStore.js';
import type { AttemptRecord, RunRecord } from '../src/store/records.js';
import type { HealEvent } from '../src/learning/heals.js';
import { signError } from '../src/learning/signature.js';
import { sourceHashes } from '../src/apply/sources.js';
import { toAttempt } from './attempt.js';
import { learningOf, toHealEvent } from './learning.js';
import { formatRunSummary } from './summary.js';
import { keepScreenshots } from './screenshots.js';
import { pruneScreenshots, writeLearningReport } from '../src/report/write.js';
import { writeCtrf } from '../src/report/ctrf.js';
import { learnRun } from '../src/learning/learnRun.js';
import { RUN_ID_ENV } from '../src/llm/worker.js';
import { summarizeRun } from '../src/llm/summaries.js';
import { llmRunLine } from '../src/llm/runLine.js';
import { readSpend } from '../src/llm/spend.js';
import { sharedRiskReport } from '../src/risk/handoff.js';
import { judgePredictions } from '../src/risk/judge.js';
import { refitRiskModel } from '../src/risk/learnModel.js';
import { formatRiskOutcome } from '../src/risk/riskReport.js';

/**
 * Records every attempt of every test into the knowledge store. Never throws out of a hook:
 * a store problem becomes one warning and the run goes on.
 * @example reporter: [['list'], ['playwright-medic/reporter', defineMedicConfig({})]]
 */
export default class MedicReporter implements Reporter {
  private readonly config: MedicConfig;
  private fullConfig: FullConfig | undefined;
  private plannedTests = 0;
  private startedAt = new Date();
  private store: KnowledgeStore | undefined;
  /** Set once the store could not be opened: nothing of this run is recorded. */
  private unusable = false;
  /** The Playwright config's folder: the store's and the spool's paths are relative to it. */
  private baseDir = '';
  private runId = '';
  private run: RunRecord | undefined;
  private runStarted = false;
  /** Store writes in order; Playwright does not await onTestEnd. */
  private queue: Promise<void> = Promise.resolve();
  private readonly attempts: AttemptRecord[] = [];
  private readonly heals: HealEvent[] = [];
  /** Each spec's files (it and its local imports) with their sha256, read once per run: heals keep them, and `medic apply` refuses a file changed since. */
  private readonly sources = new Map<string, Record<string, string> | undefined>();
  private readonly importGraph = new Map<string, string[]>();
  private records = 0;
  private failedWrites = 0;
  private firstWriteError: unknown;
  private readonly runErrors: RunRecord['errors'] = [];
  /** How this run's risk predictions did, for the summary. */
  private riskLine: string | undefined;
  private screenshotWarned = false;
  /** Where this run's learning report was written, for the summary. */
  private reportLine: string | undefined;
  private llmLine: string | undefined;
  /** Where this run's LLM spending is counted: its run group, or the run. */
  private spendKey = '';
  /** Failure patterns this run joined, and how many of them it started. */
  private patterns: { touched: number; created: number } | undefined;

  constructor(options?: unknown) {
    // Invalid options stop the run before it starts, with the message naming the fix.
    this.config = resolveMedicConfig(medicKeysOnly(options));
  }

  printsToStdio(): boolean {
    return false;
  }

  onBegin(config: FullConfig, suite: Suite): void {
    this.fullConfig = config;
    this.plannedTests = suite.allTests().length;
    this.startedAt = new Date();
    // The workers start after this: they count their LLM spending toward this run's budget (the
    // group's, when shards of one build are one run).
    this.runId = crypto.randomUUID();
    this.spendKey = this.config.runGroup ?? (config.shard ? ciBuildId() : null) ?? this.runId;
    process.env[RUN_ID_ENV] = this.spendKey;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    this.guard(() => {
      const store = this.openRun(); // the run is created with its first attempt: `--list` records nothing
      if (!store) return;
      const { messages, invalid } = learningOf(result);
      const attempt = { ...toAttempt(test, result, this.runId, this.fullConfig!.rootDir), locators: [...new Set(messages.flatMap((m) => m.locators))] };
      this.attempts.push(attempt);
      this.enqueue(async () => {
        await this.startRun(store);
        await store.recordAttempt(attempt);
      });
      for (const error of invalid) this.enqueue(() => Promise.reject(error));
      const where = { project: this.config.project, runId: this.runId, testKey: attempt.testKey, testId: attempt.testId, retry: attempt.retry };
      const healed: HealEvent[] = [];
      for (const message of messages) {
        // Each observation says which run it belongs to: the store counts a selector once per page per run (or run group).
        const run = this.run?.group ?? this.runId;
        if (message.selectors.length) this.enqueue(() => store.recordSelectors(this.config.project, message.selectors.map((o) => ({ ...o, run }))));
        if (message.heals.length) {
          const events = message.heals.map((heal) => ({ ...toHealEvent(heal, where), sources: this.sourcesOf(attempt.file) }));
          this.heals.push(...events);
          healed.push(...events);
          this.enqueue(() => store.recordHeals(events));
        }
      }
      this.keepScreenshots(result, healed);
    });
  }

  /** Errors outside tests: kept on the run, which is recorded even when no test ran. */
  onError(error: TestError): void {
    this.guard(() => {
      const message = stripVTControlCharacters(error.message ?? error.value ?? 'unknown error');
      const stack = error.stack ? stripVTControlCharacters(error.stack) : undefined;
      this.runErrors.push({ message, ...signError({ message, stack }) });
    });
  }

  async onEnd(result: FullResult): Promise<void> {
    try {
      if (this.runErrors.length) this.openRun();
      const store = this.store;
      if (store) {
        this.enqueue(async () => {
          await this.startRun(store);
          await store.finishRun(this.runId, { endedAt: new Date().toISOString(), status: result.status, errors: this.runErrors });
        });
        // What the global setup predicted for the tests this run ran, with how each ended; then
        // the model is refitted on them (kept only if it predicts the held-back runs better).
        const risk = sharedRiskReport();
        const predictions = risk && risk.project === this.config.project ? judgePredictions(risk, this.attempts, this.runId) : [];
        if (predictions.length) {
          this.enqueue(() => store.recordPredictions(predictions));
          // The refit is learning, not a record: it waits while the store is away (the next run refits), and its failure is one warning.
          this.queue = this.queue.then(async () => {
            if (store instanceof SpooledStore && store.spooled) return;
            const refit = await refitRiskModel(store, this.config.project, new Date()).catch((error: unknown) => {
              console.warn(`medic: the risk model was not refitted: ${describeError(error)}`);
              return undefined;
            });
            if (refit) this.riskLine = formatRiskOutcome(predictions, this.config.risk.topK || 10, refit.replaced ? refit.reason : `model ${risk!.model} kept (${refit.reason})`);
          });
        }
        // What the run teaches: not a record of the run, and a problem here loses none of them.
        this.queue = this.queue.then(async () => {
          if (store instanceof SpooledStore && store.spooled && !(await this.replaySpool(store))) return;
          const learned = await learnRun(
            this.config,
            store,
            this.runId,
            (message) => {
              if (this.failedWrites === 0) console.warn(message);
            },
            { spoolPath: spoolPath(this.config, this.baseDir) },
          );
          if (learned) this.patterns = learned;
          // With an LLM configured: a root-cause hypothesis for each new pattern without a working fix.
          if (this.config.llm) {
            const { summarized } = await summarizeRun(this.config, store, this.runId, (message) => console.warn(message), { spendKey: this.spendKey || this.runId });
            const spend = await readSpend(store, this.config.project).catch(() => undefined);
            if (spend) this.llmLine = llmRunLine(spend, this.spendKey || this.runId, this.config.llm, new Date(), summarized);
          }
        });
        // The learning report, from what the store now holds; its failure is one warning.
        if (this.config.report.html) {
          this.queue = this.queue.then(async () => {
            if (store instanceof SpooledStore && store.spooled) return;
            try {
              const written = await writeLearningReport(store, this.config, this.baseDir, { runId: this.runId });
              pruneScreenshots(join(resolve(this.baseDir, this.config.report.dir), 'screenshots'), this.config.project, written.oldestRunAt);
              this.reportLine = `  learning report: ${written.file} (npx medic report --open)`;
              if (this.config.report.ctrf) {
                const ctrf = await writeCtrf(store, written.focusRunIds, join(dirname(written.file), 'ctrf.json'));
                this.reportLine += `\n  CTRF: ${ctrf}`;
              }
            } catch (error) {
              console.warn(`medic: the learning report was not written: ${describeError(error)}`);
            }
          });
        }
      }
      await this.queue;
      await store?.close().catch(() => {});
      if (this.failedWrites > 0) {
        console.warn(
          `medic: ${this.failedWrites} of ${this.records} records of this run could not be written to ${store?.location}; the rest were kept.\n` +
            describeError(this.firstWriteError),
        );
      } else if (store && this.config.report.summary && !this.config.quiet) {
        console.log(formatRunSummary(this.attempts, store.location, this.runErrors.length, this.heals, this.patterns));
        if (this.riskLine) console.log(this.riskLine);
        if (this.llmLine) console.log(this.llmLine);
        if (this.reportLine) console.log(this.reportLine);
      }
    } catch (error) {
      console.warn(`medic: could not finish recording this run: ${describeError(error)}`);
    }
  }

  /** The heals' screenshots, kept for the learning report: not records, so a failure here is one warning. */
  private keepScreenshots(result: TestResult, heals: HealEvent[]): void {
    if (!heals.some((h) => h.screenshot) || !this.config.report.html) return;
    const dir = join(resolve(this.baseDir, this.config.report.dir), 'screenshots');
    this.queue = this.queue.then(() =>
      keepScreenshots(result, heals, dir).catch((error: unknown) => {
        if (!this.screenshotWarned) console.warn(`medic: a heal's screenshot was not kept for the report: ${describeError(error)}`);
        this.screenshotWarned = true;
      }),
    );
  }

  /** Opens the store and starts the run on first use; undefined when the store is unusable. */
  private openRun(): KnowledgeStore | undefined {
    if (this.store || this.unusable || !this.fullConfig) return this.store;
    const config = this.fullConfig;
    const baseDir = config.configFile ? dirname(config.configFile) : config.rootDir;
    this.baseDir = baseDir;
    try {
      this.store = openStore(this.config, baseDir, { spool: true });
    } catch (error) {
      this.unusable = true;
      console.warn(`medic: the knowledge store is unusable; this run goes on without recording.\n${describeError(error)}`);
      return undefined;
    }
    this.runId ||= crypto.randomUUID();
    const git = gitInfo(baseDir);
    const run: RunRecord = {
      id: this.runId,
      project: this.config.project,
      startedAt: this.startedAt.toISOString(),
      endedAt: null,
      status: 'running',
      gitSha: git.sha,
      gitBranch: git.branch,
      playwrightVersion: config.version,
      shard: config.shard ? { current: config.shard.current, total: config.shard.total } : null,
      group: this.config.runGroup ?? (config.shard ? ciBuildId() : null),
      workers: config.workers,
      configFile: config.configFile ?? null,
      plannedTests: this.plannedTests,
      errors: [],
    };
    this.run = run;
    return this.store;
  }

  /** Writes the run record before the first record that needs it; a failed try is retried by the next. */
  private async startRun(store: KnowledgeStore): Promise<void> {
    if (this.runStarted || !this.run) return;
    await store.startRun(this.run);
    this.runStarted = true;
  }

  /** One failed write skips that record only; it is counted and reported once at the end. */
  /**
   * The server went away during the run: write what was spooled if it is back (true), else
   * leave the run's learning in the spool after its records and say where they wait (false).
   */
  private async replaySpool(store: SpooledStore): Promise<boolean> {
    const replayed = await store.replay().catch((error: unknown) => ({ applied: 0, left: store.waiting, refused: [describeError(error)] }));
    for (const why of replayed.refused) console.warn(`medic: a spooled write was refused and dropped: ${why}`);
    if (!store.spooled && replayed.left === 0) {
      console.warn(`medic: ${store.location} is back: ${replayed.applied} spooled writes of this run are written.`);
      return true;
    }
    store.deferLearning(this.runId);
    console.warn(`medic: ${store.location} is still unreachable: ${store.waiting} writes wait in ${store.spool.path}; they are written at the next run, or now with \`npx medic sync\`.`);
    return false;
  }

  private enqueue(write: () => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      this.records++;
      try {
        await write();
      } catch (error) {
        this.failedWrites++;
        this.firstWriteError ??= error;
      }
    });
  }

  /** The hashes of a spec's files (see `sources`); undefined when they cannot be read: such heals are only not applied by `medic apply`. */
  private sourcesOf(file: string): Record<string, string> | undefined {
    if (!this.sources.has(file)) {
      let hashes: Record<string, string> | undefined;
      try {
        hashes = sourceHashes(this.fullConfig!.rootDir, file, this.importGraph);
      } catch {
        hashes = undefined;
      }
      this.sources.set(file, hashes);
    }
    return this.sources.get(file);
  }

  private guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.records++;
      this.failedWrites++;
      this.firstWriteError ??= error;
    }
  }
}

const MEDIC_KEYS = new Set(Object.keys(medicConfigSchema.shape));

/** Playwright adds its own keys to every reporter's options (configDir, onlyFailures, _mode…). */
function medicKeysOnly(options: unknown): unknown {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return options;
  return Object.fromEntries(Object.entries(options).filter(([key]) => MEDIC_KEYS.has(key)));
}
