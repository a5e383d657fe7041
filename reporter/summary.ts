import { countOutcomes, lastAttempts } from '../src/run/outcomes.js';
import type { AttemptRecord } from '../src/store/records.js';
import type { HealEvent } from '../src/learning/heals.js';

/** The end-of-run lines: what was recorded, how tests ended, what failed and how. Pure. */
export function formatRunSummary(
  attempts: readonly AttemptRecord[],
  location: string,
  errorsOutsideTests = 0,
  heals: readonly HealEvent[] = [],
  patterns?: { touched: number; created: number },
): string {
  const tests = lastAttempts(attempts).length;
  const outcomes = countOutcomes(attempts);
  const categories = new Map<string, number>();
  const signatures = new Set<string>();
  for (const attempt of attempts) {
    if (!attempt.error) continue;
    categories.set(attempt.error.category, (categories.get(attempt.error.category) ?? 0) + 1);
    signatures.add(attempt.error.signature);
  }
  const lines = [
    `medic: recorded ${attempts.length} attempt${attempts.length === 1 ? '' : 's'} of ${tests} test${tests === 1 ? '' : 's'} in ${location}`,
    `  ${outcomes.expected} as expected · ${outcomes.unexpected} unexpected · ${outcomes.flaky} flaky · ${outcomes.skipped} skipped`,
  ];
  if (categories.size) {
    const byCount = [...categories].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    lines.push(`  failed attempts by category: ${byCount.map(([name, n]) => `${name} ${n}`).join(', ')}`);
    lines.push(`  ${signatures.size} distinct failure signature${signatures.size === 1 ? '' : 's'} (the same signature in two runs is the same failure)`);
  }
  if (patterns && patterns.touched) {
    const recurring = patterns.touched - patterns.created;
    lines.push(`  failure patterns: ${patterns.created} new · ${recurring} recurring (see: medic failures)`);
  }
  lines.push(...formatHeals(heals));
  const flaky = lastAttempts(attempts).filter((a) => a.outcome === 'flaky');
  if (flaky.length) lines.push(`  flaky: ${flaky.slice(0, 3).map((a) => a.titlePath.slice(-1)[0] ?? a.title).join(' · ')}${flaky.length > 3 ? ` … and ${flaky.length - 3} more` : ''}`);
  if (errorsOutsideTests) lines.push(`  ${errorsOutsideTests} error${errorsOutsideTests === 1 ? '' : 's'} outside tests (see: medic attempts)`);
  return lines.join('\n');
}

/** The heals the summary names; the learning report shows them all. */
const SHOWN_HEALS = 5;

/** One line per heal the run made or suggested (the first few), then a count of the abstentions. */
function formatHeals(heals: readonly HealEvent[]): string[] {
  const shown = heals.filter((h) => h.outcome === 'healed' || h.outcome === 'suggested' || h.outcome === 'failed');
  const abstained = heals.length - shown.length;
  if (heals.length === 0) return [];
  const healed = heals.filter((h) => h.outcome === 'healed').length;
  const lines = [`  heals: ${healed} healed · ${heals.filter((h) => h.outcome === 'suggested').length} suggested · ${heals.filter((h) => h.outcome === 'failed').length} failed · ${abstained} abstained`];
  for (const h of shown.slice(0, SHOWN_HEALS)) {
    lines.push(`    ${h.outcome} ${h.testKey}: ${h.from.code} → ${h.to?.code ?? '?'} (${h.strategy.replace('_', ' ')}, confidence ${h.confidence.toFixed(2)})`);
  }
  if (shown.length > SHOWN_HEALS) lines.push(`    … and ${shown.length - SHOWN_HEALS} more (in the learning report)`);
  return lines;
}
