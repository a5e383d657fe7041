import { dirname } from 'node:path';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { resolveMedicConfig, type MedicConfig } from '../src/config/index.js';
import { describeError } from '../src/errors.js';
import { gitInfo } from '../src/run/git.js';
import type { KnowledgeStore } from '../src/store/KnowledgeStore.js';
import { openStore } from '../src/store/open.js';
import type { AttemptRecord } from '../src/store/records.js';
import { toAttempt } from './attempt.js';
import { formatRunSummary } from './summary.js';

/**
 * Records every attempt of every test into the knowledge store. Never throws out of a hook:
 * a store problem becomes one warning and the run goes on.
 * @example reporter: [['list'], ['playwright-medic/reporter', defineMedicConfig({})]]
 */
export default class MedicReporter implements Reporter {
  private readonly config: MedicConfig;
  private store: KnowledgeStore | undefined;
  private runId = '';
  private rootDir = process.cwd();
  /** Store writes in order; Playwright does not await onTestEnd. */
  private queue: Promise<void> = Promise.resolve();
  private failed = false;
  private readonly recorded: AttemptRecord[] = [];
  private written = 0;

  constructor(options?: unknown) {
    // Invalid options stop the run before it starts, with the message naming the fix.
    this.config = resolveMedicConfig(withoutRunnerKeys(options));
  }

  printsToStdio(): boolean {
    return false;
  }

  onBegin(config: FullConfig, suite: Suite): void {
    this.guard(() => {
      this.rootDir = config.rootDir;
      const baseDir = config.configFile ? dirname(config.configFile) : config.rootDir;
      this.runId = crypto.randomUUID();
      const git = gitInfo(baseDir);
      const store = openStore(this.config, baseDir);
      this.store = store;
      this.enqueue(() =>
        store.startRun({
          id: this.runId,
          project: this.config.project,
          startedAt: new Date().toISOString(),
          endedAt: null,
          status: 'running',
          gitSha: git.sha,
          gitBranch: git.branch,
          playwrightVersion: config.version,
          shard: config.shard ? { current: config.shard.current, total: config.shard.total } : null,
          workers: config.workers,
          configFile: config.configFile ?? null,
          plannedTests: suite.allTests().length,
        }),
      );
    });
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    this.guard(() => {
      const attempt = toAttempt(test, result, this.runId, this.rootDir);
      this.recorded.push(attempt);
      this.enqueue(async (store) => {
        await store.recordAttempt(attempt);
        this.written++;
      });
    });
  }

  async onEnd(result: FullResult): Promise<void> {
    this.guard(() => this.enqueue((store) => store.finishRun(this.runId, { endedAt: new Date().toISOString(), status: result.status })));
    await this.queue;
    await this.store?.close().catch(() => {});
    const unrecorded = this.recorded.length - this.written;
    if (this.failed && this.written > 0 && unrecorded > 0) console.warn(`medic: ${unrecorded} attempt(s) of this run were not recorded.`);
    if (!this.failed && this.config.report.summary && !this.config.quiet) {
      console.log(formatRunSummary(this.recorded, this.store?.location ?? ''));
    }
  }

  private enqueue(write: (store: KnowledgeStore) => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (this.failed || !this.store) return;
      try {
        await write(this.store);
      } catch (error) {
        this.warn(error);
      }
    });
  }

  private guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.warn(error);
    }
  }

  private warn(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    console.warn(`medic: the knowledge store is unusable; this run goes on without recording.\n${describeError(error)}`);
  }
}

/** Playwright adds `configDir` and private `_…` keys to every reporter's options. */
function withoutRunnerKeys(options: unknown): unknown {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return options;
  return Object.fromEntries(Object.entries(options).filter(([key]) => key !== 'configDir' && !key.startsWith('_')));
}
