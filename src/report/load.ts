import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import type { HealEvent } from '../learning/heals.js';
import { changedAttempts } from '../learning/history.js';
import { MedicError } from '../errors.js';
import type { RunRecord } from '../store/records.js';
import { storeMemo } from '../llm/memo.js';
import { summarySchema, SUMMARIES_RECORD } from '../llm/records.js';
import { readSpend } from '../llm/spend.js';
import type { ReportInput } from './build.js';

/** A name as one path segment, distinct names staying distinct (`a/b` and `a_b` do not meet). */
const safe = (name: string) => encodeURIComponent(name).replace(/\*/g, '%2A').replace(/^\.+/, (dots) => '%2E'.repeat(dots.length));

/** The folder of one project's kept screenshots under `dir`. */
export const screenshotsOf = (dir: string, project: string) => join(dir, safe(project));

/** Where the reporter keeps a heal's screenshot: `<dir>/<project>/<runId>/<heal id>.png`. */
export function screenshotPath(dir: string, heal: Pick<HealEvent, 'project' | 'runId' | 'id'>): string {
  return join(screenshotsOf(dir, heal.project), safe(heal.runId), `${safe(heal.id)}.png`);
}

/** The folder name of a run's screenshots (see `pruneScreenshots`). */
export const runFolder = (runId: string) => safe(runId);

/** Screenshots bigger than this stay out of the report, and all of them together stop at MAX_SCREENSHOTS_BYTES (it must open fast). */
const MAX_SCREENSHOT_BYTES = 1_000_000;
const MAX_SCREENSHOTS_BYTES = 8_000_000;

/**
 * The runs a report covers, newest first: up to `runs` run groups (the shards of a run count as
 * one run) ending with the run (or run group) `runId`, or with the newest. Undefined when the
 * project has no such run.
 */
export function reportWindow(all: readonly RunRecord[], runs: number, runId?: string): RunRecord[] | undefined {
  const key = (r: RunRecord) => r.group ?? r.id;
  const start = runId ? all.findIndex((r) => r.id === runId || key(r) === runId) : 0;
  if (start < 0 || (runId === undefined && all.length === 0)) return runId === undefined ? [] : undefined;
  const groups = new Set<string>();
  const out: RunRecord[] = [];
  // A group's shards are all kept, even when they started on either side of another run.
  const focus = all[start] ? key(all[start]) : undefined;
  for (const r of all.slice(start)) {
    if (!groups.has(key(r)) && groups.size >= runs) continue;
    groups.add(key(r));
    out.push(r);
  }
  if (focus !== undefined) for (const r of all.slice(0, start)) if (key(r) === focus) out.push(r);
  return out;
}

/**
 * The records a report is made of: the project's `runs` runs up to `runId` (default: the newest)
 * with their attempts and heals, its failure patterns, catalog, predictions, strategy
 * executions, and the LLM layer's summaries and spend record (entries that do not parse are
 * dropped); screenshots read from `screenshots` when kept there (within a size budget).
 * @example buildReportData({ ...(await loadReportInput(store, { project: 'shop', runs: 30 })), now: new Date(), reviewId })
 */
export async function loadReportInput(
  store: KnowledgeStore,
  options: { project: string; runs: number; runId?: string; screenshots?: string },
): Promise<Omit<ReportInput, 'now' | 'reviewId'>> {
  const runs = reportWindow(await store.listRuns({ project: options.project }), options.runs, options.runId);
  if (!runs) throw new MedicError('MEDIC_REPORT', `Project "${options.project}" has no run ${options.runId} in ${store.location}.`, { fix: 'See `npx medic runs` for the run ids.' });
  const [attempts, heals, patterns, selectors, predictions, executions, summaries, spend] = await Promise.all([
    Promise.all(runs.map((run) => store.listAttempts({ runId: run.id }))).then((lists) => lists.flat()),
    Promise.all(runs.map((run) => store.listHeals({ runId: run.id }))).then((lists) => lists.flat()),
    store.listFailurePatterns({ project: options.project }),
    store.listSelectors({ project: options.project }),
    store.listPredictions({ project: options.project }),
    store.listStrategyExecutions({ project: options.project }),
    storeMemo(store, options.project, SUMMARIES_RECORD, summarySchema)
      .entries()
      .then((entries) => entries.map(([, summary]) => summary)),
    readSpend(store, options.project),
  ]);
  const dir = options.screenshots;
  let budget = MAX_SCREENSHOTS_BYTES;
  return {
    project: options.project,
    store: store.location,
    ...(options.runId ? { runId: options.runId } : {}),
    runs,
    attempts,
    heals,
    patterns,
    selectors,
    predictions,
    executions,
    summaries,
    spend,
    changed: changedAttempts(heals),
    screenshot: (heal) => {
      if (!dir) return null;
      const file = screenshotPath(dir, heal);
      if (!existsSync(file)) return null;
      const size = statSync(file).size;
      if (size > MAX_SCREENSHOT_BYTES || size > budget) return null;
      budget -= size;
      return `data:image/png;base64,${readFileSync(file).toString('base64')}`;
    },
  };
}
