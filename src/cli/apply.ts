// `medic apply`: accepted heals become the code (src/apply); thin.
import { InvalidArgumentError, type Command } from 'commander';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineMedicConfig } from '../config/index.js';
import { MedicApplyError } from '../errors.js';
import type { HealEvent } from '../learning/heals.js';
import { planApply, type ApplyPlan, type ChangeReport } from '../apply/plan.js';
import { changeKey, selectHeals } from '../apply/select.js';
import { loadTypeScript } from '../apply/typescript.js';
import { localImports } from '../risk/imports.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import type { AttemptRecord } from '../store/records.js';

export type ApplyFlags = { project: string; rootDir?: string; pending?: boolean; run?: string; dryRun?: boolean; force?: boolean; json?: boolean };
type WithStore = <T>(flags: { store?: string }, action: (store: KnowledgeStore) => Promise<T>) => Promise<T>;

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Changes `selectHeals` refused (rejected in review), as reports. */
function refusedReports(refused: ReturnType<typeof selectHeals>['refused']): ChangeReport[] {
  const out = new Map<string, ChangeReport>();
  for (const { heal, reason } of refused) {
    const report = out.get(changeKey(heal)) ?? { from: heal.from.code, to: heal.to!.code.replace(/^page\./, ''), heals: 0, review: 'pending' as const, status: 'skipped' as const, places: [], reasons: [reason], notes: [] };
    report.heals++;
    if (heal.review === 'accepted') report.review = 'accepted';
    out.set(changeKey(heal), report);
  }
  return [...out.values()];
}

function formatChange(change: ChangeReport): string {
  const head = `  ${change.status.padEnd(15)} ${change.from} → ${change.to}  (${change.heals} heal${change.heals === 1 ? '' : 's'}${change.review === 'pending' ? ', not reviewed' : ''})`;
  const lines = [head, ...change.places.map((p) => `      at ${p}`), ...change.reasons.map((r) => `      ${r}`), ...change.notes.map((n) => `      (${n})`)];
  return lines.join('\n');
}

/** The summary of a plan: counts, then each change with where it was written or why not. */
export function formatApply(plan: ApplyPlan, options: { dryRun: boolean; rootDir: string }): string {
  const count = (status: ChangeReport['status'][]) => plan.changes.filter((c) => status.includes(c.status)).length;
  const applied = count(['applied', 'partly applied']);
  const pending = plan.changes.filter((c) => c.review === 'pending' && c.places.length).length;
  const verb = options.dryRun ? 'would apply' : 'applied';
  const lines = [
    `medic apply: ${verb} ${applied} of ${plan.changes.length} changes in ${plan.files.length} file${plan.files.length === 1 ? '' : 's'} under ${options.rootDir}` +
      `; ${count(['skipped'])} skipped, ${count(['already applied'])} already applied${options.dryRun ? ' (dry run: nothing written)' : ''}`,
    ...plan.changes.map(formatChange),
  ];
  if (pending) lines.push(`${pending} of these changes come from heals nobody reviewed (--pending): check the diff; the heals stay pending in \`medic review\`.`);
  return lines.join('\n');
}

/**
 * `medic apply`: writes the accepted heals (with --pending, also the unreviewed ones that healed)
 * into the specs and page objects, or with --dry-run prints the unified diff. Exit code 1 when
 * heals were chosen and none could be applied (nothing applied, something skipped).
 */
export async function applyCommand(store: KnowledgeStore, flags: ApplyFlags): Promise<void> {
  const ts = await loadTypeScript();
  const rootDir = resolve(flags.rootDir ?? process.cwd());
  let runId: string | undefined;
  if (flags.run) {
    runId = (await store.listRuns({ project: flags.project })).find((r) => r.id.startsWith(flags.run!))?.id;
    if (!runId) throw new InvalidArgumentError(`no run of project "${flags.project}" starts with "${flags.run}" (see: medic runs)`);
  }
  const heals = await store.listHeals({ project: flags.project, ...(runId ? { runId } : {}) });
  const { chosen, refused } = selectHeals(heals, { pending: flags.pending === true });
  const runs = new Set(chosen.map((h) => h.runId));
  const attempts: AttemptRecord[] = [];
  for (const run of runs) attempts.push(...(await store.listAttempts({ runId: run })));
  const runHeals: HealEvent[] = heals.filter((h) => runs.has(h.runId));
  const specs = [...new Set(attempts.filter((a) => chosen.some((h) => h.runId === a.runId && h.testId === a.testId)).map((a) => a.file))].sort();
  if (specs.length && !specs.some((spec) => existsSync(resolve(rootDir, spec)))) {
    throw new MedicApplyError(`None of the spec files of these heals (${specs.slice(0, 3).join(', ')}${specs.length > 3 ? ', …' : ''}) is in ${rootDir}: their paths are relative to the Playwright config's rootDir.`, {
      fix: 'Pass --root-dir <that folder>: the testDir of playwright.config when it sets one (e.g. --root-dir e2e), else the config\'s folder.',
    });
  }
  const plan = planApply(ts, {
    heals: chosen,
    runHeals,
    attempts,
    rootDir,
    read: (path) => readText(resolve(rootDir, path)),
    importsOf: (() => {
      const cache = new Map<string, string[]>();
      return (spec: string) => localImports(rootDir, spec, cache);
    })(),
    force: flags.force === true,
  });
  plan.changes.push(...refusedReports(refused));

  const written: string[] = [];
  if (!flags.dryRun) {
    // A file saved while we planned (an editor): write nothing, say which.
    const moved = plan.files.filter((file) => readText(resolve(rootDir, file.path)) !== file.before).map((f) => f.path);
    if (moved.length) throw new MedicApplyError(`${moved.join(', ')} changed while medic apply ran; nothing was written.`, { fix: 'Run medic apply again.' });
    for (const file of plan.files) {
      writeFileSync(resolve(rootDir, file.path), file.after);
      written.push(file.path);
    }
  }
  const appliedAny = plan.changes.some((c) => c.places.length);
  if (plan.changes.some((c) => c.status === 'skipped') && !appliedAny) process.exitCode = 1;
  if (flags.json) {
    console.log(JSON.stringify({ rootDir, dryRun: flags.dryRun === true, written, files: plan.files.map((f) => ({ path: f.path, diff: f.diff })), changes: plan.changes }, null, 2));
    return;
  }
  if (!chosen.length && !refused.length) {
    console.log(
      `medic apply: no ${flags.pending ? 'accepted or pending healed' : 'accepted'} heals for project "${flags.project}" in ${store.location}` +
        (flags.pending ? '' : ' (accept them with medic review, or pass --pending to apply the heals not reviewed yet)'),
    );
    return;
  }
  if (flags.dryRun) for (const file of plan.files) process.stdout.write(file.diff);
  console.log(formatApply(plan, { dryRun: flags.dryRun === true, rootDir }));
}

/**
 * Adds `medic apply` to the CLI; `withStore` opens the configured store (read-only).
 * @example registerApply(program, withStore); // medic apply --pending --dry-run
 */
export function registerApply(program: Command, withStore: WithStore): void {
  program
    .command('apply')
    .description('write accepted heals into the specs and page objects (only the locator expressions change); --dry-run prints the diff')
    .option('--dry-run', 'print a unified diff of the changes and write nothing')
    .option('--pending', 'also the heals not reviewed yet that healed (or were suggested); they stay pending in medic review')
    .option('--run <id>', 'only the heals of this run (a unique id prefix)')
    .option('--force', 'also rewrite files changed since the heal was recorded, and heals recorded without file hashes')
    .option('--project <name>', 'whose heals (default: MEDIC_PROJECT, else "default")')
    .option('--root-dir <dir>', "the Playwright config's rootDir (its testDir when set), where the spec files are (default: this folder)")
    .option('--json', 'print the plan (changes, diffs, files written) as JSON')
    .action(async (options: Omit<ApplyFlags, 'project'> & { project?: string }) => {
      const project = options.project ?? defineMedicConfig({}).project;
      await withStore(program.opts<{ store?: string }>(), (store) => applyCommand(store, { ...options, project }));
    });
}
