import type { ReportData, ReportHeal, ReportPattern, ReportSelector, ReportStrategy } from '../schema.js';
import { card, duration, h, pct, section, when } from './dom.js';
import { calibrationChart, trend } from './charts.js';
import { table } from './table.js';

const all = <T,>(): [string, (row: T) => boolean] => ['all', () => true];
const code = (text: string | null) => (text ? h('code', {}, text) : h('span', { class: 'muted' }, '—'));

function llmNote(llm: NonNullable<ReportHeal['llm']>): string {
  const who = llm.model ? `model ${llm.model}` : 'no model answered usably';
  const calls = llm.cached ? 'a cached decision, no call' : `${llm.calls} call${llm.calls === 1 ? '' : 's'}, $${llm.costUsd.toFixed(4)}`;
  return `LLM: ${who} (${calls})`;
}

function healDetails(heal: ReportHeal, screenshot: string | undefined): HTMLElement {
  const max = Math.max(0.0001, ...heal.explanation.map((e) => Math.abs(e.contribution)));
  return h(
    'div',
    { class: 'heal-details' },
    h('p', {}, heal.reason),
    heal.llm ? h('p', { 'data-llm': '' }, llmNote(heal.llm)) : null,
    h('p', {}, `test: ${heal.testKey} · page: ${heal.pageKey} · margin ${heal.margin.toFixed(2)} · review ID `, h('code', {}, heal.reviewId)),
    heal.explanation.length
      ? h(
          'table',
          { class: 'explanation' },
          h('tr', {}, h('th', {}, 'attribute'), h('th', {}, 'similarity'), h('th', {}, 'weight'), h('th', {}, 'contribution')),
          ...heal.explanation.map((e) =>
            h(
              'tr',
              {},
              h('td', {}, e.attribute),
              h('td', { class: 'num' }, e.similarity.toFixed(2)),
              h('td', { class: 'num' }, e.weight.toFixed(2)),
              h('td', {}, h('span', { class: `contribution ${e.contribution < 0 ? 'neg' : ''}`, style: `width:${Math.round((Math.abs(e.contribution) / max) * 120)}px` }), ` ${e.contribution.toFixed(3)}`),
            ),
          ),
        )
      : h('p', { class: 'muted' }, heal.strategy === 'llm' ? 'No per-attribute explanation: the model chose this element (its reason is above).' : 'No per-attribute explanation (a known fix or a position pick).'),
    screenshot ? h('img', { src: screenshot, alt: `the healed element of ${heal.from}`, class: 'shot' }) : h('p', { class: 'muted' }, 'No screenshot kept for this heal.'),
  );
}

/** The heals of this run: old → new locator, strategy, confidence, explanation, screenshot, review state. */
export function heals(data: ReportData): HTMLElement {
  const healed = data.heals.filter((x) => x.outcome === 'healed').length;
  const pending = data.heals.filter((x) => x.review === 'pending').length;
  const body = data.heals.length
    ? table<ReportHeal>({
        id: 'heals-table',
        rows: data.heals,
        text: (x) => `${x.testKey} ${x.step} ${x.from} ${x.to ?? ''} ${x.strategy} ${x.llm?.model ?? ''} ${x.outcome} ${x.review} ${x.reviewId}`.toLowerCase(),
        columns: [
          { label: 'outcome', sort: (x) => x.outcome, cell: (x) => h('span', { class: `tag ${x.outcome}` }, x.outcome) },
          { label: 'test', sort: (x) => x.testKey, cell: (x) => h('span', { title: x.testKey }, x.testKey.split(' › ').slice(-1)[0] ?? x.testKey) },
          { label: 'step', sort: (x) => x.step },
          { label: 'old locator', sort: (x) => x.from, cell: (x) => code(x.from) },
          { label: 'new locator', sort: (x) => x.to ?? '', cell: (x) => code(x.to) },
          { label: 'strategy', sort: (x) => x.strategy, cell: (x) => (x.strategy === 'llm' && x.llm?.model ? `llm (${x.llm.model})` : x.strategy) },
          { label: 'confidence', sort: (x) => x.confidence, cell: (x) => x.confidence.toFixed(2), className: 'num' },
          { label: 'review', sort: (x) => x.review, cell: (x) => h('span', { class: `tag ${x.review}` }, x.review) },
        ],
        sortBy: 0,
        selects: [
          { label: 'outcome', options: [all<ReportHeal>(), ...(['healed', 'suggested', 'failed', 'abstained'] as const).map((o): [string, (x: ReportHeal) => boolean] => [o, (x) => x.outcome === o])] },
          { label: 'review', options: [all<ReportHeal>(), ...(['pending', 'accepted', 'rejected'] as const).map((r): [string, (x: ReportHeal) => boolean] => [r, (x) => x.review === r])] },
        ],
        details: (x) => healDetails(x, data.screenshots[x.reviewId]),
      })
    : null;
  return section('heals', 'Heals', `${healed} healed of ${data.heals.length} heal attempts in this run · ${pending} waiting for review (npx medic review). Click a row for its explanation and screenshot.`, body, 'No locator needed healing in this run.');
}

/** A pattern's LLM summary: a hypothesis, not a finding, so it says which model made it. */
function summary(s: NonNullable<ReportPattern['summary']>): HTMLElement {
  return h(
    'div',
    { class: 'llm-summary', 'data-summary': '' },
    h('p', {}, h('strong', {}, 'Likely root cause: '), s.hypothesis),
    h('p', {}, h('strong', {}, 'Suggested fix: '), s.suggestedFix),
    h('p', { class: 'muted' }, `by ${s.model} · ${when(s.at)} · a model's hypothesis: check it before acting on it`),
  );
}

/** Failure patterns: new vs recurring, category, count, tests, example, known fixes and their success rates. */
export function patterns(data: ReportData): HTMLElement {
  const inRun = data.patterns.filter((p) => p.inRun);
  const fresh = inRun.filter((p) => p.isNew).length;
  const body = data.patterns.length
    ? table<ReportPattern>({
        id: 'patterns-table',
        rows: data.patterns,
        text: (p) => `${p.category} ${p.example} ${p.tests.join(' ')} ${p.summary ? `${p.summary.hypothesis} ${p.summary.suggestedFix}` : ''}`.toLowerCase(),
        columns: [
          { label: 'status', sort: (p) => (p.isNew ? 0 : p.inRun ? 1 : 2), cell: (p) => h('span', { class: `tag ${p.isNew ? 'new' : 'recurring'}` }, p.isNew ? 'new' : p.inRun ? 'recurring' : 'earlier') },
          { label: 'category', sort: (p) => p.category },
          { label: 'failures', sort: (p) => p.count, className: 'num' },
          { label: 'runs', sort: (p) => p.runs, className: 'num' },
          { label: 'tests', sort: (p) => p.tests.length, className: 'num' },
          { label: 'example', sort: (p) => p.example, cell: (p) => h('span', { class: 'message' }, p.example.split('\n')[0] ?? '') },
          {
            label: 'known fixes',
            sort: (p) => Math.max(0, ...p.fixes.map((f) => f.rate)),
            cell: (p) => (p.fixes.length ? h('span', {}, ...p.fixes.slice(0, 2).map((f) => h('div', {}, `${f.strategy.replace('_', ' ')} ${f.to ?? ''} · worked ${f.successes} of ${f.tries}`))) : h('span', { class: 'muted' }, 'none yet')),
          },
        ],
        selects: [
          { label: 'seen', options: [['in this run', (p) => p.inRun], all<ReportPattern>(), ['new', (p) => p.isNew]], initial: inRun.length ? 'in this run' : 'all' },
          { label: 'category', options: [all<ReportPattern>(), ...[...new Set(data.patterns.map((p) => p.category))].sort().map((c): [string, (p: ReportPattern) => boolean] => [c, (p) => p.category === c])] },
        ],
        details: (p) =>
          h('div', {}, p.summary ? summary(p.summary) : null, h('pre', { class: 'message' }, p.example), h('p', {}, `first seen ${when(p.firstSeen)} · last seen ${when(p.lastSeen)}`), h('ul', {}, ...p.tests.map((t) => h('li', {}, t)))),
      })
    : null;
  const summarized = data.patterns.filter((p) => p.summary).length;
  const summaries = summarized ? ` ${summarized} with an LLM summary: click a row for its hypothesis and suggested fix.` : '';
  return section('patterns', 'Failure patterns', `${inRun.length} pattern${inRun.length === 1 ? '' : 's'} in this run (${fresh} new, ${inRun.length - fresh} recurring); ${data.patterns.length} known.${summaries}`, body, 'No failure recorded yet: nothing to group.');
}

const HEALTH_ORDER: Record<ReportSelector['health'], number> = { broken: 0, stale: 1, falling: 2, healthy: 3 };

/** The selector catalog's health: broken, stale, falling confidence. */
export function selectors(data: ReportData): HTMLElement {
  const count = (health: ReportSelector['health']) => data.selectors.filter((x) => x.health === health).length;
  const attention = data.selectors.length - count('healthy');
  const body = data.selectors.length
    ? table<ReportSelector>({
        id: 'selectors-table',
        rows: data.selectors,
        text: (x) => `${x.pageKey} ${x.code} ${x.health} ${x.fix ?? ''}`.toLowerCase(),
        columns: [
          { label: 'health', sort: (x) => HEALTH_ORDER[x.health], cell: (x) => h('span', { class: `tag ${x.health}` }, x.health) },
          { label: 'page', sort: (x) => x.pageKey },
          { label: 'locator', sort: (x) => x.code, cell: (x) => code(x.code) },
          { label: 'confidence', sort: (x) => x.confidence, cell: (x) => x.confidence.toFixed(2), className: 'num' },
          { label: 'trend', sort: (x) => x.trend, cell: (x) => `${x.trend >= 0 ? '+' : ''}${x.trend.toFixed(2)}`, className: 'num' },
          { label: 'used', sort: (x) => x.timesUsed, className: 'num' },
          { label: 'failures', sort: (x) => x.failureCount, className: 'num' },
          { label: 'last working', sort: (x) => x.lastWorking ?? '', cell: (x) => when(x.lastWorking) },
          { label: 'known fix', sort: (x) => x.fix ?? '', cell: (x) => code(x.fix) },
        ],
        selects: [
          {
            label: 'health',
            options: [['needs attention', (x) => x.health !== 'healthy'], all<ReportSelector>(), ...(['broken', 'stale', 'falling', 'healthy'] as const).map((s): [string, (x: ReportSelector) => boolean] => [s, (x) => x.health === s])],
            initial: attention ? 'needs attention' : 'all',
          },
        ],
      })
    : null;
  return section('selectors', 'Selector catalog health', `${count('broken')} broken · ${count('stale')} stale · ${count('falling')} falling confidence · ${count('healthy')} healthy.`, body, 'The catalog is empty: it fills as tests using the medic fixture run.');
}

/** The predictions made before this run against what happened. */
export function risk(data: ReportData): HTMLElement {
  const r = data.risk;
  if (!r) return section('risk', 'Risk predictions', 'No predictions recorded.', null, "Add globalSetup: 'playwright-medic/global-setup' to your Playwright config: before each run it scores every test's risk, and this section compares the scores with what happened.");
  const cards = h(
    'div',
    { class: 'cards' },
    card(`precision at top ${r.k}`, pct(r.precisionAtK), `of the ${Math.min(r.k, r.tests)} riskiest tests, the share that failed`),
    card(`recall at top ${r.k}`, r.failures ? pct(r.recallAtK) : '–', r.failures ? `of the ${r.failures} failures, the share the top ${r.k} held` : 'no test failed'),
    card('ROC AUC', r.auc === null ? '–' : r.auc.toFixed(2), r.auc === null ? 'needs both failures and passes' : 'chance a failing test scored above a passing one'),
    card('tests predicted', String(r.tests), `model: ${r.model}`),
  );
  const labels = r.history.map((x) => x.at.slice(0, 16).replace('T', ' '));
  const charts = h('div', { class: 'charts' }, calibrationChart(r.calibration), trend('ROC AUC per run', r.history.map((x) => x.auc), { max: 1, labels }), trend(`precision at top ${r.k} per run`, r.history.map((x) => x.precisionAtK), { max: 1, format: (v) => pct(v), labels }));
  const predictions = table({
    id: 'risk-table',
    rows: r.predictions,
    text: (p) => `${p.testKey} ${p.outcome} ${p.factors.map((f) => f.name).join(' ')}`.toLowerCase(),
    columns: [
      { label: 'risk', sort: (p) => p.score, cell: (p) => p.score.toFixed(2), className: 'num' },
      { label: 'test', sort: (p) => p.testKey },
      { label: 'outcome', sort: (p) => p.outcome, cell: (p) => h('span', { class: `tag ${p.outcome}` }, p.outcome) },
      { label: 'top factors', sort: (p) => p.factors[0]?.name ?? '', cell: (p) => p.factors.map((f) => `${f.name} ${f.value.toFixed(2)}`).join(' · ') || '—' },
    ],
    sortBy: 0,
    descending: true,
    selects: [{ label: 'outcome', options: [all(), ['failed or flaky', (p) => p.outcome === 'failed' || p.outcome === 'flaky'], ['passed', (p) => p.outcome === 'passed']] }],
  });
  const listed = r.predictions.length < r.tests ? ` The table lists the ${r.predictions.length} riskiest and every failure.` : '';
  return section('risk', 'Risk predictions', `Predicted before run ${r.runId.slice(0, 8)}: ${r.failures} of ${r.tests} tests failed.${listed}`, h('div', {}, cards, charts, predictions), '');
}

/** How each strategy and model did: success rate, time, cost. */
export function strategies(data: ReportData): HTMLElement {
  const body = data.strategies.length
    ? table<ReportStrategy>({
        id: 'strategies-table',
        rows: data.strategies,
        text: (x) => `${x.strategy} ${x.taskType}`.toLowerCase(),
        columns: [
          { label: 'strategy or model', sort: (x) => x.strategy },
          { label: 'task', sort: (x) => x.taskType },
          { label: 'tries', sort: (x) => x.tries, className: 'num' },
          { label: 'successes', sort: (x) => x.successes, className: 'num' },
          { label: 'success rate', sort: (x) => x.successRate, cell: (x) => pct(x.successRate), className: 'num' },
          { label: 'mean time', sort: (x) => x.meanMs, cell: (x) => duration(x.meanMs), className: 'num' },
          { label: 'cost', sort: (x) => x.costUsd ?? -1, cell: (x) => (x.costUsd === null ? 'unknown' : `$${x.costUsd.toFixed(4)}`), className: 'num' },
        ],
        sortBy: 2,
        descending: true,
      })
    : null;
  return section('strategies', 'Strategies and models', 'Each strategy and model at each task it was tried at (the newest executions the store keeps).', body, 'No strategy has been tried yet: they are recorded when a step breaks and medic tries to heal or retry it.');
}
