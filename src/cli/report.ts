import { spawn } from 'node:child_process';
import { InvalidArgumentError } from 'commander';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import type { MedicConfig } from '../config/index.js';
import { writeLearningReport } from '../report/write.js';
import { writeCtrf } from '../report/ctrf.js';

export type ReportFlags = { project: string; run?: string; runs?: number; out?: string; open?: boolean; json?: boolean; ctrf?: string; dir?: string };

/** Opens a file in the system's browser; false when there is no way to (a server, a container). */
function openInBrowser(file: string): Promise<boolean> {
  const [command, args] = process.platform === 'darwin' ? ['open', [file]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', file]] : ['xdg-open', [file]];
  return new Promise((done) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.once('error', () => done(false));
    child.once('spawn', () => (child.unref(), done(true)));
  });
}

/** `medic report`: writes the learning report of the newest run (or --run), optionally opens it, optionally a CTRF JSON file too. */
export async function reportCommand(store: KnowledgeStore, config: MedicConfig, flags: ReportFlags): Promise<void> {
  let runId: string | undefined;
  if (flags.run) {
    const runs = (await store.listRuns({ project: flags.project })).filter((r) => r.id.startsWith(flags.run!) || r.group === flags.run);
    const groups = new Set(runs.map((r) => r.group ?? r.id));
    if (groups.size === 0) throw new InvalidArgumentError(`no run of project "${flags.project}" starts with "${flags.run}" (see: medic runs)`);
    if (groups.size > 1) throw new InvalidArgumentError(`"${flags.run}" starts ${groups.size} runs of project "${flags.project}": give more of its id (see: medic runs)`);
    runId = runs[0]!.id;
  }
  const report = flags.dir ? { ...config.report, dir: flags.dir } : config.report;
  const written = await writeLearningReport(store, { ...config, report, project: flags.project }, process.cwd(), {
    ...(runId ? { runId } : {}),
    ...(flags.runs ? { runs: flags.runs } : {}),
    ...(flags.out ? { file: flags.out } : {}),
  });
  const ctrf = flags.ctrf ? await writeCtrf(store, written.focusRunIds, flags.ctrf) : undefined;
  const opened = flags.open ? await openInBrowser(written.file) : false;
  const { data } = written;
  if (flags.json) {
    console.log(JSON.stringify({ file: written.file, bytes: written.bytes, runId: data.runId, runs: data.runs.length, tests: data.tests.length, heals: data.heals.length, patterns: data.patterns.length, selectors: data.selectors.length, ctrf: ctrf ?? null, opened }, null, 2));
    return;
  }
  const lines = [`medic report: wrote ${written.file} (${Math.round(written.bytes / 1024)} KB): ${data.runs.length} runs, ${data.tests.length} tests, ${data.heals.length} heals in run ${data.runId?.slice(0, 8) ?? '(none yet)'}`];
  if (ctrf) lines.push(`  CTRF: ${ctrf}`);
  if (flags.open && !opened) lines.push('  could not open a browser here: open the file yourself');
  console.log(lines.join('\n'));
}
