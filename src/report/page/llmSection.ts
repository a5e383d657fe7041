import type { ReportData, ReportLlmTally } from '../schema.js';
import { card, duration, h, pct, section } from './dom.js';
import { table } from './table.js';

const money = (x: number) => `$${x.toFixed(4)}`;
const count = (n: number) => n.toLocaleString('en-US');

type Row = { model: string; scope: 'run' | 'window'; t: ReportLlmTally };

/** The LLM layer per model, in this run and over the report's runs: calls, valid answers, heals made and held, cost, latency, tokens. */
export function llm(data: ReportData): HTMLElement {
  const l = data.llm;
  const title = 'LLM';
  if (!l) return section('llm', title, 'No LLM calls on record.', null, 'No LLM calls: the LLM layer is off (configure llm in defineMedicConfig) or was never needed.');
  const run = l.models.reduce((sum, m) => ({ calls: sum.calls + m.run.calls, answered: sum.answered + m.run.answered, heals: sum.heals + m.run.heals, held: sum.held + m.run.held }), { calls: 0, answered: 0, heals: 0, held: 0 });
  const cards = h(
    'div',
    { class: 'cards' },
    card("this run's cost", money(l.runCostUsd), `${count(run.calls)} call${run.calls === 1 ? '' : 's'}, ${count(run.answered)} answered validly`),
    card("today's cost", money(l.todayCostUsd), `UTC day ${l.day}, every run of the project`),
    card('heals by a model', String(run.heals), run.heals ? `${run.held} held (healed, not rejected in review)` : 'none in this run'),
    card(`cost over ${data.runs.length} run${data.runs.length === 1 ? '' : 's'}`, money(l.windowCostUsd), 'every run in this report'),
  );
  const active = (t: ReportLlmTally) => t.calls > 0 || t.heals > 0;
  const rows: Row[] = l.models.flatMap((m) => [...(active(m.run) ? [{ model: m.model, scope: 'run' as const, t: m.run }] : []), { model: m.model, scope: 'window' as const, t: m.window }]);
  const everyRun = `all ${data.runs.length} runs`;
  const body = table<Row>({
    id: 'llm-table',
    rows,
    text: (r) => r.model.toLowerCase(),
    columns: [
      { label: 'model', sort: (r) => r.model, cell: (r) => h('code', {}, r.model) },
      { label: 'calls', sort: (r) => r.t.calls, className: 'num' },
      { label: 'valid answers', sort: (r) => r.t.answerRate ?? -1, cell: (r) => h('span', { title: `${r.t.answered} of ${r.t.calls} calls` }, r.t.answerRate === null ? '–' : `${pct(r.t.answerRate)} (${r.t.answered})`), className: 'num' },
      { label: 'heals made', sort: (r) => r.t.heals, className: 'num' },
      { label: 'held', sort: (r) => r.t.held, cell: (r) => (r.t.heals ? `${r.t.held} (${pct(r.t.held / r.t.heals)})` : '–'), className: 'num' },
      { label: 'cost', sort: (r) => r.t.costUsd, cell: (r) => money(r.t.costUsd), className: 'num' },
      { label: 'mean latency', sort: (r) => r.t.meanMs ?? -1, cell: (r) => duration(r.t.meanMs), className: 'num' },
      {
        label: 'tokens',
        sort: (r) => r.t.promptTokens + r.t.completionTokens,
        cell: (r) => h('span', { title: `${count(r.t.promptTokens)} prompt + ${count(r.t.completionTokens)} completion` }, count(r.t.promptTokens + r.t.completionTokens)),
        className: 'num',
      },
    ],
    sortBy: 1,
    descending: true,
    selects: [{ label: 'runs', options: [['this run', (r) => r.scope === 'run'], [everyRun, (r) => r.scope === 'window']], initial: rows.some((r) => r.scope === 'run') ? 'this run' : everyRun }],
  });
  return section(
    'llm',
    title,
    'Each model the LLM layer asked, for locator repairs and failure summaries: valid answers, the heals its choices made and how many held, cost, mean latency and tokens.',
    h('div', {}, cards, body),
    '',
  );
}
