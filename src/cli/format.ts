import { countOutcomes, lastAttempts, type OutcomeCounts } from '../run/outcomes.js';
import type { HealEvent } from '../learning/heals.js';
import { bestKnownFix, fixRate, type FailurePattern } from '../learning/failurePatterns.js';
import type { AttemptRecord, RunRecord } from '../store/records.js';
import type { TestFlakiness } from '../learning/flakiness.js';
import type { StrategyScore } from '../learning/strategies.js';
import type { SimilarSuccess } from '../learning/successLearner.js';

export type RunSummary = RunRecord & {
  tests: number;
  attempts: number;
  outcomes: OutcomeCounts;
};

/** A run with the final outcome count of its tests (the last attempt of each test). */
export function summarizeRun(run: RunRecord, attempts: readonly AttemptRecord[]): RunSummary {
  return { ...run, tests: lastAttempts(attempts).length, attempts: attempts.length, outcomes: countOutcomes(attempts) };
}

export function formatRuns(runs: readonly RunSummary[], location: string): string {
  if (!runs.length) return `No runs recorded yet in ${location}. Add the reporter ['playwright-medic/reporter'] and run your suite.`;
  const rows = runs.map((run) =>
    [
      run.id.slice(0, 8),
      run.startedAt.replace('T', ' ').slice(0, 19),
      run.status.padEnd(11),
      `${run.tests} tests`.padEnd(10),
      `${run.outcomes.expected} ok · ${run.outcomes.unexpected} failed · ${run.outcomes.flaky} flaky · ${run.outcomes.skipped} skipped` +
        (run.errors.length ? ` · ${run.errors.length} error${run.errors.length === 1 ? '' : 's'} outside tests` : ''),
      run.gitBranch ? `${run.gitBranch}@${(run.gitSha ?? '').slice(0, 7)}` : (run.gitSha ?? '').slice(0, 7),
    ].join('  '),
  );
  return [`Runs in ${location} (newest first):`, ...rows].join('\n');
}

export function formatAttempts(run: RunRecord, attempts: readonly AttemptRecord[]): string {
  const lines = [`Run ${run.id} (${run.status}), ${attempts.length} attempt(s):`];
  for (const error of run.errors) lines.push(`  error outside tests: ${error.category} ${error.signature.slice(0, 10)}  ${error.message.split('\n')[0]}`);
  for (const a of attempts) {
    lines.push(`  ${a.status.padEnd(9)} ${a.outcome.padEnd(10)} #${a.retry}  ${a.testKey}  (${Math.round(a.durationMs)} ms)`);
    if (a.error) lines.push(`      ${a.error.category} ${a.error.signature.slice(0, 10)}  ${a.error.message.split('\n')[0]}`);
  }
  return lines.join('\n');
}

/** Each heal: where, from which locator to which, how, how sure, and the strongest reasons. */
export function formatHeals(run: RunRecord, heals: readonly HealEvent[]): string {
  const lines = [`Run ${run.id} (${run.status}), ${heals.length} heal(s):`];
  for (const h of heals) {
    lines.push(`  ${h.outcome.padEnd(10)} ${h.testKey}  (${h.step} on ${h.pageKey})`);
    lines.push(`      ${h.from.code}  →  ${h.to?.code ?? '(no safe candidate)'}`);
    const strongest = h.explanation
      .slice(0, 3)
      .map((c) => `${c.attribute} ${c.contribution >= 0 ? '+' : ''}${c.contribution.toFixed(2)}`)
      .join(', ');
    lines.push(`      ${h.strategy.replace('_', ' ')}, confidence ${h.confidence.toFixed(2)}, margin ${h.margin.toFixed(2)}${strongest ? `; ${strongest}` : ''}; review: ${h.review}`);
    if (h.outcome === 'abstained') lines.push(`      ${h.reason}`);
  }
  return lines.join('\n');
}

/** The top failure patterns: count, category, tests, when, an example, and the best known fix. */
export function formatFailures(patterns: readonly FailurePattern[], location: string): string {
  if (patterns.length === 0) return `No failure patterns in ${location} yet: they are learnt from failing tests at the end of each run.`;
  const lines = [`${patterns.length} failure pattern(s) in ${location}, most frequent first:`];
  for (const p of patterns) {
    const example = (p.examples[0] ?? '').split('\n')[0]!.slice(0, 160);
    lines.push(`  ${String(p.count).padStart(4)}×  ${p.category.padEnd(16)} ${p.id}  ${p.tests.length} test(s), ${p.runs.length} run(s), last ${p.lastSeen}`);
    lines.push(`        ${example}`);
    lines.push(`        signature ${p.signatures[0]}${p.signatures.length > 1 ? ` (+${p.signatures.length - 1} alike)` : ''}; features: ${p.features.slice(0, 3).join(', ')}`);
    const fix = bestKnownFix(p);
    lines.push(
      fix
        ? `        known fix: ${fix.strategy}${fix.to ? ` → ${fix.to}` : ''} (${fix.successes} of ${fix.tries}, rate ${fixRate(fix).toFixed(2)})`
        : '        no known fix yet',
    );
  }
  return lines.join('\n');
}

const STRIP = { pass: '✓', retry: '↻', fail: '✗', changed: '△' } as const;

/** Broken and flaky tests first, with their score, a history strip (oldest first) and why; quarantine suggestions last. */
export function formatFlaky(tests: readonly TestFlakiness[], location: string, runs: number, judged: number): string {
  if (judged === 0) return `No test results in ${location} yet: the reporter records them on every run.`;
  if (tests.length === 0) return `No flaky or broken test among ${judged} in the last ${runs} run(s) in ${location} (--all lists them all).`;
  const lines = [`Flakiness over the last ${runs} run(s) in ${location} (✓ passed · ↻ passed on retry · ✗ failed · △ failed on a changed element, oldest first):`];
  for (const t of tests) {
    lines.push(`  ${t.state.padEnd(7)} ${t.score.toFixed(2)}  ${t.history.map((r) => STRIP[r]).join('').padEnd(runs)}  ${t.testKey}`);
    lines.push(`          ${t.reason}`);
  }
  const quarantine = tests.filter((t) => t.quarantine);
  if (quarantine.length) {
    lines.push('', `Suggested for quarantine (${quarantine.length}, chronic flakes; nothing is skipped for you):`);
    for (const t of quarantine) lines.push(`  ${t.testKey}  (${t.reason})`);
    lines.push("  Tag them { tag: '@quarantine' } and run them in a non-blocking project (grep: /@quarantine/; grepInvert it in the others) until fixed.");
  }
  return lines.join('\n');
}

/** Per task type, its strategies best first: tries, success rate, mean time and cost, score. */
export function formatStrategies(rankings: ReadonlyMap<string, readonly StrategyScore[]>, location: string, minSamples: number): string {
  if (rankings.size === 0) return `No strategy executions in ${location} yet: every heal and retry of a run is recorded at its end.`;
  const lines = [`Strategies in ${location}, best first per task (score: success rate, speed and cost, weighted):`];
  for (const [task, ranking] of rankings) {
    lines.push(`  ${task}:`);
    for (const s of ranking) {
      const cost = s.meanCostUsd === null ? 'cost unknown' : `$${s.meanCostUsd.toFixed(4)}`;
      lines.push(
        `    ${s.strategy.padEnd(14)} score ${s.score.toFixed(2)}  ${s.successes}/${s.tries} succeeded (rate ${s.successRate.toFixed(2)})  ${Math.round(s.meanMs)} ms  ${cost}` +
          (s.tries < minSamples ? `  (fewer than ${minSamples} tries: not used to order)` : ''),
      );
    }
  }
  return lines.join('\n');
}

/** The success patterns like a query, best first: feature, success rate, how often it worked, what it does. */
export function formatSuccesses(found: readonly SimilarSuccess[], query: string, location: string): string {
  if (found.length === 0) return `No success pattern in ${location} is like "${query}": they are learnt from passing tests at the end of each run.`;
  const lines = [`Success patterns like "${query}" in ${location}, best first:`];
  for (const { pattern: p, similarity, successRate } of found) {
    lines.push(`  ${p.feature}  success ${successRate.toFixed(2)} (${p.passes} passed, ${p.failures} failed)  ${Math.round(p.meanMs)} ms  similarity ${similarity.toFixed(2)}`);
    if (p.sequences[0]) lines.push(`      steps: ${p.sequences[0].steps.join(' → ')}${p.sequences.length > 1 ? `  (+${p.sequences.length - 1} other sequence(s))` : ''}`);
    if (p.locators.length) lines.push(`      locators: ${p.locators.slice(0, 5).map((l) => l.value).join(', ')}`);
    if (p.assertions.length) lines.push(`      assertions: ${p.assertions.slice(0, 5).map((a) => `${a.value} ×${a.count}`).join(', ')}`);
    lines.push(`      tests: ${p.tests.slice(0, 3).join('; ')}${p.tests.length > 3 ? ` (+${p.tests.length - 3})` : ''}`);
  }
  return lines.join('\n');
}
