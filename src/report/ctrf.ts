import { resolve } from 'node:path';
import { MedicError } from '../errors.js';
import { writeAtomically } from './write.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import type { AttemptRecord, RunRecord } from '../store/records.js';
import type { HealEvent } from '../learning/heals.js';
import { lastAttempts } from '../run/outcomes.js';

const STATUS: Record<AttemptRecord['status'], string> = { passed: 'passed', failed: 'failed', timedOut: 'failed', skipped: 'skipped', interrupted: 'other' };

/**
 * One run (all the shards of a run group) as a CTRF document (Common Test Report Format): each
 * test's last attempt, with medic's findings (heals, failure category and signature) under each
 * test's `extra`, and the run's under `extra.medic`. Pure.
 * @example ctrfOf([run], attempts, heals).results.summary.failed
 */
export function ctrfOf(shards: readonly RunRecord[], attempts: readonly AttemptRecord[], heals: readonly HealEvent[]) {
  const run = [...shards].sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1))[0]!;
  const ends = shards.map((s) => Date.parse(s.endedAt ?? s.startedAt));
  const finals = lastAttempts(attempts);
  const retries = new Map<string, number>();
  for (const a of attempts) retries.set(a.testId, Math.max(retries.get(a.testId) ?? 0, a.retry));
  const healsOf = new Map<string, HealEvent[]>();
  for (const h of heals) healsOf.set(h.testId, [...(healsOf.get(h.testId) ?? []), h]);
  const tests = finals.map((a) => ({
    name: a.title,
    status: a.outcome === 'flaky' ? 'passed' : STATUS[a.status],
    duration: Math.round(a.durationMs),
    start: Date.parse(a.startedAt),
    ...(a.error ? { message: a.error.message.slice(0, 4000), ...(a.error.stack ? { trace: a.error.stack.slice(0, 8000) } : {}) } : {}),
    filePath: a.file,
    line: a.line,
    suite: a.titlePath.slice(0, -1).join(' > '),
    retries: retries.get(a.testId) ?? 0,
    flaky: a.outcome === 'flaky',
    tags: a.tags,
    extra: {
      medic: {
        testKey: a.testKey,
        ...(a.error ? { category: a.error.category, signature: a.error.signature } : {}),
        heals: (healsOf.get(a.testId) ?? []).map((h) => ({ step: h.step, from: h.from.code, to: h.to?.code ?? null, strategy: h.strategy, outcome: h.outcome, confidence: h.confidence, review: h.review })),
      },
    },
  }));
  const count = (status: string) => tests.filter((t) => t.status === status).length;
  const start = Date.parse(run.startedAt);
  const stop = Math.max(start, ...ends);
  return {
    reportFormat: 'CTRF',
    specVersion: '0.0.0',
    timestamp: new Date().toISOString(),
    generatedBy: 'playwright-medic',
    runId: run.group ?? run.id,
    results: {
      tool: { name: 'playwright', version: run.playwrightVersion },
      summary: { tests: tests.length, passed: count('passed'), failed: count('failed'), pending: 0, skipped: count('skipped'), other: count('other'), flaky: tests.filter((t) => t.flaky).length, start, stop },
      tests,
      environment: { ...(run.gitBranch ? { branchName: run.gitBranch } : {}), ...(run.gitSha ? { commit: run.gitSha } : {}) },
      extra: { medic: { runIds: shards.map((s) => s.id), project: run.project, healed: heals.filter((h) => h.outcome === 'healed').length, suggested: heals.filter((h) => h.outcome === 'suggested').length, errorsOutsideTests: shards.reduce((n, s) => n + s.errors.length, 0) } },
    },
  };
}

/**
 * Writes a run of the store (the shards `runIds` of one run) as CTRF JSON to `file`; returns the file's absolute path.
 * @example await writeCtrf(store, written.focusRunIds, 'run.ctrf.json');
 */
export async function writeCtrf(store: KnowledgeStore, runIds: readonly string[], file: string): Promise<string> {
  const shards = (await Promise.all(runIds.map((id) => store.getRun(id)))).filter((r): r is RunRecord => r !== undefined);
  if (shards.length === 0) throw new MedicError('MEDIC_REPORT', 'There is no run to write as CTRF yet.', { fix: 'Run the suite with the medic reporter first (see `npx medic runs`).' });
  const [attempts, heals] = await Promise.all([
    Promise.all(shards.map((r) => store.listAttempts({ runId: r.id }))).then((l) => l.flat()),
    Promise.all(shards.map((r) => store.listHeals({ runId: r.id }))).then((l) => l.flat()),
  ]);
  const path = resolve(file);
  writeAtomically(path, `${JSON.stringify(ctrfOf(shards, attempts, heals), null, 2)}\n`);
  return path;
}
