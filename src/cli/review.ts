// `medic review`: the human review queue (src/review), interactive in a terminal; thin.
import { InvalidArgumentError, type Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { defineMedicConfig } from '../config/index.js';
import { MedicConfigError, MedicStoreError } from '../errors.js';
import { rankThresholds } from '../healing/rank.js';
import { decide, type DecisionResult } from '../review/decide.js';
import { decisionProblem, resolveIds, reviewEntries, reviewQueue, type Decision, type ReviewEntry, type ReviewItem } from '../review/queue.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { openStore } from '../store/open.js';
import { openSqliteStore } from '../store/sqliteOpen.js';

type ReviewOptions = { accept?: string[]; reject?: string[]; all?: boolean; project?: string; threshold?: number; limit?: number; json?: boolean };

function confidenceArgument(value: string): number {
  const n = Number(value);
  if (!(value.trim() !== '' && n >= 0 && n <= 1)) throw new InvalidArgumentError(`expected a confidence from 0 to 1, got "${value}"`);
  return n;
}

function countArgument(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a whole number above 0, got "${value}"`);
  return n;
}

/**
 * Adds `medic review` to the CLI.
 * @example registerReview(program); // medic review --reject 3f2a1c9
 */
export function registerReview(program: Command): void {
  program
    .command('review')
    .description('the human review queue (low-confidence heals, abstentions, failures with no known fix): accept or reject; interactive in a terminal')
    .option('--accept <id...>', 'accept items: a heal becomes the known fix of its locator on its page, used first; a failure is acknowledged')
    .option('--reject <id...>', 'reject items: a heal is never used again for that locator and page; a failure is dismissed until it changes')
    .option('--all', 'also list the pending heals that healed confidently')
    .option('--project <name>', 'whose items (default: MEDIC_PROJECT, else "default")')
    .option('--threshold <confidence>', 'the healing threshold heals are judged by; below it + 0.1 a heal is listed (default: MEDIC_HEALING_THRESHOLD, else the fitted one)', confidenceArgument)
    .option('-n, --limit <n>', 'list at most this many items', countArgument)
    .option('--json', 'print the items (and the decisions made) as JSON')
    .action(async (options: ReviewOptions) => {
      const config = defineMedicConfig({});
      const project = options.project ?? config.project;
      const threshold = options.threshold ?? rankThresholds({ ...(config.healing.threshold === undefined ? {} : { threshold: config.healing.threshold }) }).threshold;
      await withWritableStore(program.opts<{ store?: string }>(), async (store) => {
        const load = async () => reviewEntries(await store.listHeals({ project }), await store.listFailurePatterns({ project }), { threshold });
        const listed = async () => reviewQueue(await load(), { all: options.all === true }).slice(0, options.limit);
        if (options.accept?.length || options.reject?.length) {
          const decisions = asked(await load(), options.accept ?? [], options.reject ?? []);
          const results = await decide(store, project, decisions);
          if (options.json) return void console.log(JSON.stringify({ project, store: store.location, decisions: results, items: (await listed()).map((e) => e.item) }, null, 2));
          for (const result of results) console.log(describeDecision(result));
          return;
        }
        const queue = await listed();
        if (options.json) return void console.log(JSON.stringify({ project, store: store.location, decisions: [], items: queue.map((e) => e.item) }, null, 2));
        if (process.stdin.isTTY && process.stdout.isTTY) return reviewInTerminal(store, project, queue);
        console.log(formatQueue(queue, project, store.location));
      });
    });
}

/** The decisions the flags ask for; every problem with them at once, before anything is written. */
function asked(entries: readonly ReviewEntry[], accept: readonly string[], reject: readonly string[]): { entry: ReviewEntry; decision: Decision }[] {
  const accepted = resolveIds(entries, accept);
  const rejected = resolveIds(entries, reject);
  const decisions = [...accepted.found.map((entry) => ({ entry, decision: 'accept' as const })), ...rejected.found.map((entry) => ({ entry, decision: 'reject' as const }))];
  const problems = [
    ...accepted.problems,
    ...rejected.problems,
    ...accepted.found.filter((e) => rejected.found.includes(e)).map((e) => `${e.item.id} is both accepted and rejected: choose one`),
    ...decisions.map((d) => decisionProblem(d.entry, d.decision)).filter((p): p is string => p !== undefined),
  ];
  if (problems.length) throw new InvalidArgumentError(`nothing was recorded:\n  ${problems.join('\n  ')}`);
  return decisions;
}

/** The store to review in, opened for writing: --store (a SQLite file), else the configured one; never created here. */
async function withWritableStore<T>(flags: { store?: string }, action: (store: KnowledgeStore) => Promise<T>): Promise<T> {
  const config = defineMedicConfig({});
  if (config.store.kind === 'memory' && flags.store === undefined) {
    throw new MedicConfigError('medic review records decisions in a stored knowledge base; MEDIC_STORE_KIND is "memory", which keeps nothing.', {
      fix: 'Unset MEDIC_STORE_KIND, or pass --store <path of a medic.db>.',
    });
  }
  let store: KnowledgeStore;
  if (config.store.kind === 'redis' && flags.store === undefined) store = openStore(config, process.cwd());
  else {
    const path = resolve(flags.store ?? config.store.path);
    if (!existsSync(path)) {
      throw new MedicStoreError(`There is no knowledge store at ${path} yet: nothing to review.`, {
        fix: "Run your suite with the reporter ['playwright-medic/reporter'] first, or pass the store's path with --store.",
      });
    }
    store = openSqliteStore({ path, busyTimeoutMs: config.store.busyTimeoutMs });
  }
  try {
    return await action(store);
  } finally {
    await store.close();
  }
}

/** One item, a few lines. */
function formatItem(item: ReviewItem): string {
  const head = `${item.id}  ${item.kind}  ${item.state}${item.why ? ` — ${item.why}` : ''}`;
  const more = item.tests > 1 ? ` (and ${item.tests - 1} more test${item.tests > 2 ? 's' : ''})` : '';
  const seen = `${item.seen} time${item.seen === 1 ? '' : 's'} in ${item.runs} run${item.runs === 1 ? '' : 's'}, last ${item.at}`;
  if (item.kind === 'failure') {
    return [head, `  test      ${item.test}${more}`, `  category  ${item.step}`, `  message   ${item.reason}`, `  seen      ${seen} (pattern ${item.patternId})`].join('\n');
  }
  const to = item.to ? `${item.to}   ${item.strategy?.replace('_', ' ')}, ${item.outcome}, confidence ${item.confidence?.toFixed(2)}` : `(none: ${item.outcome})`;
  return [
    head,
    `  test      ${item.test}${more}`,
    `  step      ${item.step} on ${item.pageKey}`,
    `  from      ${item.from}`,
    `  to        ${to}`,
    `  reason    ${item.reason || '—'}`,
    `  seen      ${seen} (run ${item.runId?.slice(0, 8)})`,
  ].join('\n');
}

function formatQueue(queue: readonly ReviewEntry[], project: string, location: string): string {
  if (queue.length === 0) return `Nothing to review in project "${project}" (${location}).`;
  const lines = [`${queue.length} item${queue.length === 1 ? '' : 's'} to review in project "${project}" (${location}):`, ''];
  for (const entry of queue) lines.push(formatItem(entry.item), '');
  lines.push('Decide with: medic review --accept ID... / --reject ID... (or run medic review in a terminal)');
  return lines.join('\n');
}

/** What a decision did, in one sentence. */
function describeDecision(r: DecisionResult): string {
  const marked = `${r.heals} heal${r.heals === 1 ? '' : 's'} in ${r.runs} run${r.runs === 1 ? '' : 's'} marked`;
  if (r.kind === 'failure') return `${r.state} ${r.id}: failure pattern ${r.patternId} ${r.state === 'dismissed' ? 'is not listed again until it changes' : 'is known; not listed again until it changes'}`;
  if (!r.to) return `dismissed ${r.id}: the abstention of ${r.from} on ${r.pageKey} (${marked})`;
  if (r.state === 'accepted') return `accepted ${r.id}: ${r.to} is the known fix of ${r.from} on ${r.pageKey}, used first from the next run (${marked})`;
  return `rejected ${r.id}: ${r.to} is never used for ${r.from} on ${r.pageKey} again (${marked}; its strategy counts a failure)`;
}

const CHOICES: Record<string, Decision | 'skip' | 'quit'> = { a: 'accept', r: 'reject', s: 'skip', q: 'quit' };

/** The interactive loop: each item, then a/r/s/q; end of input is quit. */
async function reviewInTerminal(store: KnowledgeStore, project: string, queue: readonly ReviewEntry[]): Promise<void> {
  if (queue.length === 0) return void console.log(`Nothing to review in project "${project}" (${store.location}).`);
  console.log(`${queue.length} item${queue.length === 1 ? '' : 's'} to review in project "${project}" (${store.location}).`);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const ended = new AbortController();
  rl.on('close', () => ended.abort());
  let decided = 0;
  try {
    for (const [i, entry] of queue.entries()) {
      console.log(`\n[${i + 1}/${queue.length}] ${formatItem(entry.item)}`);
      const prompt =
        entry.kind === 'failure'
          ? 'Acknowledge, dismiss (r), skip or quit? [a/r/s/q] '
          : entry.item.to
            ? 'Accept, reject, skip or quit? [a/r/s/q] '
            : 'Dismiss (r), skip or quit? [r/s/q] ';
      let choice: Decision | 'skip' | 'quit' | undefined;
      while (!choice) {
        const answer = await rl.question(prompt, { signal: ended.signal }).catch(() => 'q');
        choice = CHOICES[answer.trim().toLowerCase().slice(0, 1)];
        const problem = choice && choice !== 'skip' && choice !== 'quit' ? decisionProblem(entry, choice) : undefined;
        if (problem) console.log(problem);
        if (problem) choice = undefined;
      }
      if (choice === 'quit') break;
      if (choice === 'skip') continue;
      const [result] = await decide(store, project, [{ entry, decision: choice }]);
      console.log(describeDecision(result!));
      decided++;
    }
  } finally {
    rl.close();
  }
  console.log(`\n${decided} decision${decided === 1 ? '' : 's'} recorded.`);
}
