import type { TestRisk } from './riskReport.js';

type Listed = Pick<TestRisk, 'projectName' | 'file' | 'titlePath'>;

/**
 * A test as a line of a Playwright `--test-list` file: `[project] › file › describe › title`.
 * Playwright matches the file relative to its rootDir and the titles exactly.
 * @example testListLine({ projectName: 'chromium', file: 'cart.spec.ts', titlePath: ['cart', 'adds'] }) // '[chromium] › cart.spec.ts › cart › adds'
 */
export function testListLine(t: Listed): string {
  return [...(t.projectName ? [`[${t.projectName}]`] : []), t.file, ...t.titlePath].join(' › ');
}

/** Whether Playwright can read the test back from its line (its list format splits on `›`). */
export const listable = (t: Listed) => ![t.file, ...t.titlePath].some((part) => part.includes('›') || part.includes('\n'));

/**
 * A `--test-list` file of tests, riskiest first (Playwright runs a list in its own order: the
 * order is for people; run the top K as a stage of its own to see risky tests first).
 * @example writeFileSync('.medic/risky.txt', testListFile(report.tests.slice(0, 20)));
 */
export function testListFile(tests: readonly TestRisk[], header = 'playwright-medic: tests riskiest first (npx playwright test --test-list <this file>)'): string {
  const lines = tests.filter(listable).map((t) => `${testListLine(t)}`);
  return `# ${header}\n${lines.join('\n')}\n`;
}

/** A `--grep` regular expression that matches these tests by their own titles (at the end of the full title, before any tags). */
export function grepOf(tests: readonly Pick<TestRisk, 'titlePath'>[]): string {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const titles = [...new Set(tests.map((t) => t.titlePath.at(-1) ?? ''))].filter(Boolean);
  return titles.length ? `(?:${titles.map(escape).join('|')})(?: @\\S+)*$` : '';
}
