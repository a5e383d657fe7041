import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import type { MedicConfig } from '../config/index.js';
import type { HealEvent } from '../learning/heals.js';
import { reviewEntries } from '../review/queue.js';
import { buildReportData } from './build.js';
import { loadReportInput, screenshotsOf } from './load.js';
import { reportHtml } from './html.js';
import type { ReportData } from './schema.js';

/** The report written: where, its data, its size, the runs it read (every shard) and those of its run. */
export type WrittenReport = { file: string; data: ReportData; bytes: number; runIds: string[]; focusRunIds: string[]; oldestRunAt: string | undefined };

/** Writes `text` to `file` through a temporary file and a rename: a reader (or another shard writing) never sees half a file. */
export function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/**
 * Writes the learning report of a project's newest run (or `runId`) to `<report.dir>/index.html`
 * under `baseDir` (or to `file`), from the store's records; returns where, and its data.
 * @example const { file } = await writeLearningReport(store, config, process.cwd());
 */
export async function writeLearningReport(
  store: KnowledgeStore,
  config: Pick<MedicConfig, 'project' | 'report' | 'risk'>,
  baseDir: string,
  options: { runId?: string; runs?: number; file?: string; now?: Date } = {},
): Promise<WrittenReport> {
  const dir = resolve(baseDir, config.report.dir);
  const input = await loadReportInput(store, { project: config.project, runs: options.runs ?? config.report.runs, screenshots: join(dir, 'screenshots'), ...(options.runId ? { runId: options.runId } : {}) });
  // Each heal's review item, with the ID and state `medic review` shows (any unambiguous prefix of the ID works there).
  const items = new Map(reviewEntries(input.heals, [], { threshold: 1 }).flatMap((e) => (e.kind === 'heal' ? e.heals.map((h) => [h, e.item] as const) : [])));
  const reviewId = (heal: HealEvent) => items.get(heal)!.id;
  const reviewState = (heal: HealEvent) => {
    const state = items.get(heal)?.state;
    return state === 'accepted' || state === 'rejected' ? state : heal.review;
  };
  const data = buildReportData({ ...input, now: options.now ?? new Date(), reviewId, reviewState, topK: config.risk.topK || 10 });
  const html = reportHtml(data);
  const file = options.file ? resolve(options.file) : join(dir, 'index.html');
  writeAtomically(file, html);
  const focusRunIds = input.runs.filter((r) => (r.group ?? r.id) === data.runId).map((r) => r.id);
  const oldestRunAt = input.runs.map((r) => r.startedAt).sort()[0];
  return { file, data, bytes: Buffer.byteLength(html), runIds: input.runs.map((r) => r.id), focusRunIds, oldestRunAt };
}

/**
 * Removes a project's kept screenshots of runs that started before `before` (older than the
 * oldest run its report shows): a folder written since, by a shard still running or a run of
 * another store sharing the folder, is left alone.
 * @example pruneScreenshots(join(config.report.dir, 'screenshots'), 'shop', written.oldestRunAt);
 */
export function pruneScreenshots(screenshots: string, project: string, before: string | undefined): void {
  if (!before) return;
  const dir = screenshotsOf(screenshots, project);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  const cut = Date.parse(before);
  for (const entry of entries) {
    const path = join(dir, entry);
    if (statSync(path).mtimeMs < cut) rmSync(path, { recursive: true, force: true });
  }
}
