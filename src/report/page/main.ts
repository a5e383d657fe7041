// The learning report page: reads the data island, validates it with the schema the writer
// used, and draws each section. Bundled into one script by scripts/build-report-page.mjs.
import { prettifyError } from 'zod';
import { reportDataSchema, type ReportData } from '../schema.js';
import { h } from './dom.js';
import { heals, patterns, risk, selectors, strategies } from './learnSections.js';
import { llm } from './llmSection.js';
import { metrics, overview, tests } from './runSections.js';

/** Where the page's time goes (ms), for the benchmark: read, parse, validate, draw. */
const timings: Record<string, number> = {};
const lap = (name: string, since: number) => ((timings[name] = Math.round(performance.now() - since)), performance.now());

async function readIsland(): Promise<ReportData> {
  let t = performance.now();
  const island = document.getElementById('medic-data');
  if (!island?.textContent) throw new Error('This report holds no data island (#medic-data); write it again with `npx medic report`.');
  const binary = atob(island.textContent.trim());
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const text = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
  t = lap('read', t);
  const json: unknown = JSON.parse(text);
  t = lap('parse', t);
  const parsed = reportDataSchema.safeParse(json);
  lap('validate', t);
  if (!parsed.success) throw new Error(`This report's data does not match this page's schema (written by another version of playwright-medic?):\n${prettifyError(parsed.error)}`);
  return parsed.data;
}

const SECTIONS: Array<[string, string, (data: ReportData) => HTMLElement]> = [
  ['overview', 'Overview', overview],
  ['heals', 'Heals', heals],
  ['patterns', 'Failure patterns', patterns],
  ['tests', 'Flaky & broken', tests],
  ['selectors', 'Selectors', selectors],
  ['risk', 'Risk', risk],
  ['strategies', 'Strategies', strategies],
  ['llm', 'LLM', llm],
  ['metrics', 'Metrics', metrics],
];

async function main(): Promise<void> {
  const started = performance.now();
  const app = document.getElementById('app')!;
  try {
    const data = await readIsland();
    document.title = `medic report · ${data.project}`;
    const nav = h('nav', {}, h('strong', {}, 'playwright-medic'), ...SECTIONS.map(([id, label]) => h('a', { href: `#${id}` }, label)));
    const header = h('header', {}, nav, h('p', { class: 'meta' }, `project ${data.project} · ${data.store} · written ${data.generatedAt.replace('T', ' ').slice(0, 19)} UTC · ${data.runs.length} runs · ${data.tests.length} tests`));
    const drawn = SECTIONS.map(([id, , draw]) => {
      const t = performance.now();
      const el = draw(data);
      lap(id, t);
      return el;
    });
    app.replaceChildren(header, h('main', {}, ...drawn));
    if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
  } catch (error) {
    app.replaceChildren(h('pre', { class: 'error', role: 'alert' }, error instanceof Error ? error.message : String(error)));
    document.documentElement.dataset.error = 'true';
  }
  document.documentElement.dataset.renderMs = String(Math.round(performance.now() - started));
  document.documentElement.dataset.timings = JSON.stringify(timings);
  document.documentElement.dataset.ready = 'true';
}

void main();
