import type { ReportData, ReportMetric, ReportTest } from '../schema.js';
import { card, duration, h, pct, section } from './dom.js';
import { strip, trend } from './charts.js';
import { table } from './table.js';

/** This run against the one before, and the trends over the runs the report holds. */
export function overview(data: ReportData): HTMLElement {
  const runs = data.runs;
  const index = runs.findIndex((r) => r.id === data.runId);
  const run = runs[index];
  const previous = index > 0 ? runs[index - 1] : undefined;
  if (!run) return section('overview', 'Overview', 'No run recorded yet.', null, 'Run your suite with the medic reporter (`npx playwright test`): this page fills in after the first run.');
  const passRate = (r: typeof run) => (r.tests - r.skipped ? (r.passed + r.flaky) / (r.tests - r.skipped) : null);
  const delta = (now: number | null, before: number | null | undefined, asPct = false) =>
    before === undefined || before === null || now === null ? 'no previous run' : `${now - before >= 0 ? '+' : ''}${asPct ? pct(now - before) : now - before} vs previous run`;
  const cards = h(
    'div',
    { class: 'cards' },
    card('pass rate', pct(passRate(run)), delta(passRate(run), previous ? passRate(previous) : undefined, true), run.failed ? 'bad' : 'good'),
    card('tests', String(run.tests), `${run.passed} passed · ${run.failed} failed · ${run.flaky} flaky · ${run.skipped} skipped`),
    card('tests healed', String(run.healed), delta(run.healed, previous?.healed), run.healed ? 'warn' : ''),
    card('new failure patterns', String(run.newFailures), delta(run.newFailures, previous?.newFailures), run.newFailures ? 'bad' : ''),
    card('flaky', String(run.flaky), delta(run.flaky, previous?.flaky), run.flaky ? 'warn' : ''),
    card('duration', duration(run.durationMs), `${run.branch ?? 'no branch'} ${run.sha ? run.sha.slice(0, 8) : ''}`),
  );
  const labels = runs.map((r) => r.startedAt.slice(0, 16).replace('T', ' '));
  const charts = h(
    'div',
    { class: 'charts' },
    trend('pass rate', runs.map(passRate), { max: 1, format: (v) => pct(v), labels }),
    trend('heals', runs.map((r) => r.healed), { bars: true, labels }),
    trend('new failure patterns', runs.map((r) => r.newFailures), { bars: true, labels }),
    trend('flaky tests', runs.map((r) => r.flaky), { bars: true, labels }),
  );
  return section('overview', 'Overview', `Run ${run.id.slice(0, 8)} of ${run.startedAt.replace('T', ' ').slice(0, 19)} (${run.status}), against ${runs.length - 1} earlier run${runs.length === 2 ? '' : 's'}.`, h('div', {}, cards, charts), '');
}

const STATUS_ORDER: Record<ReportTest['status'], number> = { failed: 0, flaky: 1, healed: 2, passed: 3, skipped: 4, 'not run': 5 };
const STATE_ORDER: Record<ReportTest['state'], number> = { broken: 0, flaky: 1, unknown: 2, stable: 3 };

/** Every test with its state, scores and history strip; flaky and broken ones first. */
export function tests(data: ReportData): HTMLElement {
  const flaky = data.tests.filter((t) => t.state === 'flaky').length;
  const broken = data.tests.filter((t) => t.state === 'broken').length;
  const body = data.tests.length
    ? table<ReportTest>({
        id: 'tests-table',
        rows: data.tests,
        text: (t) => `${t.title} ${t.file} ${t.status} ${t.state}`.toLowerCase(),
        columns: [
          { label: 'state', sort: (t) => STATE_ORDER[t.state], cell: (t) => h('span', { class: `tag ${t.state}` }, t.state) },
          { label: 'test', sort: (t) => t.title, cell: (t) => h('span', { title: t.reason }, t.title) },
          { label: 'file', sort: (t) => t.file },
          { label: 'this run', sort: (t) => STATUS_ORDER[t.status], cell: (t) => h('span', { class: `tag ${t.status.replace(' ', '-')}` }, t.status) },
          { label: 'flakiness', sort: (t) => (t.state === 'unknown' ? -1 : t.flakiness), cell: (t) => (t.state === 'unknown' ? h('span', { class: 'muted', title: t.reason }, '–') : pct(t.flakiness)), className: 'num' },
          { label: 'fail rate', sort: (t) => t.failRate, cell: (t) => pct(t.failRate), className: 'num' },
          { label: 'history (oldest → newest)', sort: (t) => t.history.split('').filter((c) => c === 'f' || c === 'k').length, cell: (t) => strip(t.history) },
        ],
        selects: [
          {
            label: 'state',
            options: [
              ['flaky or broken', (t) => t.state === 'flaky' || t.state === 'broken'],
              ['all', () => true],
              ['broken', (t) => t.state === 'broken'],
              ['flaky', (t) => t.state === 'flaky'],
              ['failed this run', (t) => t.status === 'failed'],
            ],
            initial: flaky + broken ? 'flaky or broken' : 'all',
          },
        ],
        details: (t) => h('p', {}, t.reason),
      })
    : null;
  return section('tests', 'Flaky and broken tests', `${broken} broken · ${flaky} flaky of ${data.tests.length} tests over ${data.runs.length} runs.`, body, 'No test has run yet.');
}

function metricValue(m: ReportMetric): string {
  if (m.value === null) return 'no data yet';
  if (m.unit === 'ratio') return pct(m.value, 1);
  if (m.unit === 'ms') return duration(m.value);
  return m.value.toFixed(2);
}

/** The product plan's success metrics, where data exists. */
export function metrics(data: ReportData): HTMLElement {
  const known = data.metrics.filter((m) => m.value !== null).length;
  const body = data.metrics.length ? h('div', { class: 'cards' }, ...data.metrics.map((m) => card(m.name, metricValue(m), m.detail, m.value === null ? 'muted' : ''))) : null;
  return section('metrics', 'Success metrics', `${known} of ${data.metrics.length} measured over the runs in this report.`, body, 'No metric yet.');
}
