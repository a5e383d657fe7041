// `npm run bench:heal-llm -- --data <dir> [--llm oracle|wrong|random-wrong|both] [--cv] [--min-support N]`: the LLM layer
// (src/llm) on the locator-relocation cases the ranker abstains on, through the real plumbing
// (createLlm → openai SDK → a local Chat Completions server with scripted answers), beside the
// ranker alone on the same cases. `oracle` shows what the plumbing can add (bounded by the top-K
// recall); `wrong` shows what the validation keeps out when the model is plausibly wrong.
import { DEFAULT_MODEL, type RankerModel } from '../src/healing/model.js';
import { dataDirFrom, optionFrom, pct } from './args.js';
import { crossValidateInParallel } from './cv-parallel.js';
import { runMedic, summarize, type CaseResult, type Summary } from './evaluate.js';
import { askOnAbstained, BENCH_MODEL, LLM_MODES, summarizeLlm, withLlm, type LlmCaseResult, type LlmMode, type LlmSummary } from './llm-layer.js';
import { loadApps } from './load.js';

const argv = process.argv.slice(2);
const dir = dataDirFrom(argv, 'bench:heal-llm');
const asked = optionFrom(argv, 'llm') ?? 'both';
if (asked !== 'both' && !(LLM_MODES as readonly string[]).includes(asked)) {
  console.error(`bench:heal-llm: --llm ${asked} is not a mode; use --llm oracle, --llm wrong, --llm random-wrong or --llm both (all three, the default)`);
  process.exit(2);
}
const modes: LlmMode[] = asked === 'both' ? [...LLM_MODES] : [asked as LlmMode];
const cv = optionFrom(argv, 'cv') !== undefined;
// llm.minSupport (default: the shipped default); --min-support 0 shows what the ranker's support keeps out.
const minSupportArg = optionFrom(argv, 'min-support');
const minSupport = minSupportArg === undefined ? undefined : minSupportArg === null ? NaN : Number(minSupportArg);
if (minSupport !== undefined && !(minSupport >= 0 && minSupport <= 1)) {
  console.error(`bench:heal-llm: --min-support ${minSupportArg} is not a number from 0 to 1`);
  process.exit(2);
}

const apps = loadApps(dir);
const cases = apps.flatMap((a) => a.cases);
const precisionTarget = DEFAULT_MODEL.training?.precisionTarget ?? 0.99;

let ranked: CaseResult[];
let modelOf: ((c: { app: string }) => RankerModel) | undefined;
let rankerLabel: string;
if (cv) {
  const folds = await crossValidateInParallel(apps, { precision: precisionTarget });
  const byApp = new Map(folds.map((f) => [f.app, f.model]));
  ranked = folds.flatMap((f) => f.results);
  modelOf = (c) => byApp.get(c.app)!;
  rankerLabel = "nested leave-one-app-out cross-validation (OUT-OF-SAMPLE), each fold's model at its own default thresholds; the same fold model orders the top-K";
} else {
  ranked = runMedic(cases, DEFAULT_MODEL);
  rankerLabel = `the shipped model (IN-SAMPLE: fitted on these cases) at its default thresholds ${DEFAULT_MODEL.threshold} / ${DEFAULT_MODEL.minMargin}; pass --cv for out-of-sample`;
}

const runs = new Map<LlmMode, LlmCaseResult[]>();
for (const mode of modes) runs.set(mode, await askOnAbstained(cases, ranked, mode, { ...(modelOf ? { modelOf } : {}), ...(minSupport === undefined ? {} : { minSupport }) }));
const abstained = ranked.filter((r) => !r.heal).length;
const llmSummaries = new Map([...runs].map(([mode, results]) => [mode, summarizeLlm(results)]));
const shown = [...runs.values()][0]?.map((r) => r.shown) ?? [];

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}
const of = (n: number, total: number) => `${n}/${total} (${pct(total ? n / total : 0)})`;

console.log(`locator-relocation: ${apps.length} apps, ${cases.length} cases, from ${dir}`);
console.log(`ranker: ${rankerLabel}`);
console.log(
  `LLM layer: createLlm + openaiClient (openai SDK) → local Chat Completions server in this process, model ${BENCH_MODEL}, no price (free),` +
    ` top ${Math.max(0, ...shown)} candidates shown (llm.maxCandidates), one decision cache per mode`,
);

const modeHeader = modes.map((m) => `+ ${m} server`);
const cell = (pick: (s: LlmSummary) => string | number) => modes.map((m) => pick(llmSummaries.get(m)!));
console.log(`\n== The ${abstained} cases the ranker abstains on (strict: the exact element) ==`);
console.log(
  table(
    ['', 'ranker alone', ...modeHeader],
    [
      ['right element among the shown (top-K recall)', '—', ...cell((s) => of(s.recalled, s.abstained))],
      ['LLM heals', 0, ...cell((s) => s.heals)],
      ['  right', 0, ...cell((s) => s.correct)],
      ['  wrong (strict / lenient)', '0 / 0', ...cell((s) => `${s.wrong} / ${s.wrongLenient}`)],
      ['answered "none"', '—', ...cell((s) => s.none)],
      ['rejected by validation: contradicted', '—', ...cell((s) => s.contradicted)],
      ['rejected by validation: unsupported by the ranker', '—', ...cell((s) => s.unsupported)],
      ['rejected by validation: malformed', '—', ...cell((s) => s.malformed)],
      ['other failures (error, budget, breaker)', '—', ...cell((s) => s.otherFailures)],
      ['accuracy (right heals / cases)', pct(0), ...cell((s) => of(s.correct, s.abstained))],
    ],
  ),
);
const notes = modes.flatMap((m) => {
  const s = llmSummaries.get(m)!;
  return [s.ambiguous ? `${m}: ${s.ambiguous} cases where another shown candidate looks exactly like the right one` : '', s.cached ? `${m}: ${s.cached} cached decisions` : ''].filter(Boolean);
});
if (notes.length) console.log(notes.join('\n'));

const overall = new Map<string, Summary>([['ranker alone', summarize(ranked)], ...modes.map((m) => [`ranker + ${m} server`, summarize(withLlm(ranked, runs.get(m)!))] as [string, Summary])]);
console.log(`\n== All ${cases.length} cases at default thresholds (strict; lenient counts the parent/child too) ==`);
console.log(
  table(
    ['', 'coverage (heals)', 'precision strict / lenient', 'wrong heals strict / lenient'],
    [...overall].map(([name, s]) => [name, `${pct(s.coverage)} (${s.heals})`, `${pct(s.precision)} / ${pct(s.precisionLenient)}`, `${s.wrong} / ${s.wrongLenient}`]),
  ),
);

/** The server's picks of `results`: old → picked element (tag and type), and the attributes equal on both (compact JSON, box aside). */
function describePicks(title: string, results: readonly LlmCaseResult[]) {
  if (!results.length) return;
  const label = (c: Record<string, unknown>) => `${String(c.tag)}${c.type ? `[type=${String(c.type)}]` : ''}`;
  const pairs = new Map<string, number>();
  const at = new Map<string, number>();
  const equal = new Map<string, number>();
  for (const r of results) {
    const pair = `${label(r.old)} → ${label(r.answered!)}`;
    pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
    at.set(`#${r.answeredAt}`, (at.get(`#${r.answeredAt}`) ?? 0) + 1);
    for (const attr of new Set([...Object.keys(r.old), ...Object.keys(r.answered!)])) {
      if (attr !== 'box' && JSON.stringify(r.old[attr]) === JSON.stringify(r.answered![attr])) equal.set(attr, (equal.get(attr) ?? 0) + 1);
    }
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  console.log(`${title} (${results.length}); old → picked: ${sorted(pairs).map(([p, n]) => `${p} ${n}`).join(', ')}`);
  console.log(`  attributes equal on both: ${sorted(equal).map(([a, n]) => `${a} ${n}`).join(', ') || 'none'}`);
  console.log(`  place among the shown (#0: the ranker's best): ${[...at].sort((a, b) => a[0].localeCompare(b[0], 'en', { numeric: true })).map(([p, n]) => `${p} ${n}`).join(', ')}`);
}
const answered = (mode: LlmMode, keep: (r: LlmCaseResult) => boolean) => (runs.get(mode) ?? []).filter((r) => r.answered && keep(r));
console.log('\n== What the validation (contradiction of tag / input type; the ranker\'s support, llm.minSupport) let through and kept out ==');
describePicks('oracle server: right picks accepted', answered('oracle', (r) => r.outcome === 'pick'));
describePicks('oracle server: RIGHT picks rejected as contradicted', answered('oracle', (r) => r.rejected === 'contradicted'));
describePicks('wrong server: wrong picks accepted (wrong heals)', answered('wrong', (r) => r.outcome === 'pick'));
describePicks('oracle server: RIGHT picks rejected as unsupported', answered('oracle', (r) => r.rejected === 'unsupported'));
describePicks('wrong server: wrong picks rejected as contradicted', answered('wrong', (r) => r.rejected === 'contradicted'));
describePicks('wrong server: wrong picks rejected as unsupported', answered('wrong', (r) => r.rejected === 'unsupported'));

const oracle = llmSummaries.get('oracle');
/** The headline of a wrong-answer server: its heals (all wrong), what was rejected, and the precision of all heals with it. */
const wrongLine = (mode: LlmMode) => {
  const s = llmSummaries.get(mode);
  const all = overall.get(`ranker + ${mode} server`);
  if (!s || !all) return '';
  const target = all.precision >= precisionTarget ? `target ≥ ${pct(precisionTarget)}: met` : `target ≥ ${pct(precisionTarget)}: NOT met`;
  return ` | ${mode}: heals=${s.heals} rejected=${s.contradicted + s.unsupported + s.malformed} precision=${pct(all.precision)} (${target})`;
};
console.log(
  `\nllm: abstained=${abstained}` +
    (oracle ? ` recall@${Math.max(0, ...shown)}=${pct(oracle.abstained ? oracle.recalled / oracle.abstained : 0)} oracle_acc=${pct(oracle.accuracy)} (ranker 0)` : '') +
    wrongLine('wrong') +
    wrongLine('random-wrong'),
);
