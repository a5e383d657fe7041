// `npm run bench:heal -- --data <dir>`: our ranker against the Similo baseline on the
// locator-relocation benchmark — the shipped model on the data (in-sample), then the nested
// leave-one-app-out cross-validation (out-of-sample), per app, calibration, latency.
import { cpus, loadavg } from 'node:os';
import { medicConfigSchema } from '../src/config/schema.js';
import { DEFAULT_MODEL } from '../src/healing/model.js';
import { dataDirFrom, pct } from './args.js';
import { coverageCeiling, percentile, reliability, runMedic, runSimilo, summarize, withoutTheElement, type CaseResult, type Summary } from './evaluate.js';
import { loadApps } from './load.js';
import { crossValidateInParallel } from './cv-parallel.js';

const dir = dataDirFrom(process.argv.slice(2), 'bench:heal');
const apps = loadApps(dir);
const cases = apps.flatMap((a) => a.cases);
const model = DEFAULT_MODEL;
const precisionTarget = model.training?.precisionTarget ?? 0.99;

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

function row(name: string, s: Summary): (string | number)[] {
  return [
    name,
    `${pct(s.top1)} (${Math.round(s.top1 * s.cases)}/${s.cases})`,
    pct(s.top1Lenient),
    `${pct(s.coverage)} (${s.heals})`,
    `${pct(s.precision)} / ${pct(s.precisionLenient)}`,
    `${s.wrong} / ${s.wrongLenient}`,
  ];
}
const HEADER = ['', 'top-1 strict', 'top-1 lenient', 'coverage (heals)', 'precision strict / lenient', 'wrong heals strict / lenient'];

console.log(`locator-relocation: ${apps.length} apps, ${cases.length} cases, from ${dir}`);
console.log(
  `shipped model: ${model.training?.method ?? 'conditional logit'}; l2 ${model.training?.l2}, temperature ${model.temperature}, family credit ${model.familyCredit ?? 0},` +
    ` default threshold ${model.threshold}, minMargin ${model.minMargin}; fitted on ${model.training?.cases ?? '?'} cases of ${model.training?.groups?.length ?? '?'} apps`,
);

// Warm-up pass so the timings measure steady-state ranking, not JIT compilation; then each case
// is ranked REPEAT times and its median call time kept (other processes share the machine).
const REPEAT = 5;
runMedic(cases, model);
runSimilo(cases);
const medianPerCase = (runs: CaseResult[][]) => runs[0]!.map((_, i) => percentile(runs.map((r) => r[i]!.ms), 0.5));
const shippedRuns = Array.from({ length: REPEAT }, () => runMedic(cases, model));
const similoRuns = Array.from({ length: REPEAT }, () => runSimilo(cases));
const shipped = shippedRuns[0]!;
const similo = similoRuns[0]!;

console.log('\n== Shipped model on this data (IN-SAMPLE: it was fitted on these cases, so this is optimistic) ==');
console.log(table(HEADER, [row('medic (shipped)', summarize(shipped)), row('similo (always heals)', summarize(similo))]));

const cvStarted = performance.now();
// The config leaves the thresholds unset by default (the fitted ones apply); a set pair is compared too.
const configured = medicConfigSchema.parse({}).healing;
const configDefaults = configured.threshold !== undefined && configured.minMargin !== undefined ? { threshold: configured.threshold, minMargin: configured.minMargin } : undefined;
const folds = await crossValidateInParallel(apps, { precision: precisionTarget, ...(configDefaults ? { alsoAt: configDefaults } : {}) });
const cv = folds.flatMap((f) => f.results);
const cvSummary = summarize(cv);
const similoSummary = summarize(similo);

console.log(`\n== Leave-one-app-out cross-validation, nested (OUT-OF-SAMPLE; ${((performance.now() - cvStarted) / 1000).toFixed(0)} s) ==`);
console.log('For each app, the whole fit (weights, L2, temperature, thresholds for the precision target) uses the other apps only;');
console.log("the held-out app is then ranked with that fold's model and its own thresholds.");
const atConfig = summarize(folds.flatMap((f) => f.alsoAt));
console.log(
  table(HEADER, [
    row('medic (cross-validated)', cvSummary),
    ...(configDefaults ? [row(`  same, at config defaults ${configDefaults.threshold} / ${configDefaults.minMargin}`, atConfig)] : []),
    row('similo (no fitting)', similoSummary),
  ]),
);
const thresholds = folds.map((f) => f.model.threshold);
const margins = folds.map((f) => f.model.minMargin);
const credits = folds.map((f) => f.model.familyCredit ?? 0);
console.log(
  `fold thresholds: ${Math.min(...thresholds)}–${Math.max(...thresholds)}, minMargin ${Math.min(...margins)}–${Math.max(...margins)}` +
    `, family credit ${Math.min(...credits)}–${Math.max(...credits)} (shipped: ${model.threshold} / ${model.minMargin} / ${model.familyCredit ?? 0})`,
);

console.log('\n== Per app (medic: cross-validated; similo: no fitting) ==');
const byApp = (results: readonly CaseResult[], app: string) => summarize(results.filter((r) => r.app === app));
console.log(
  table(
    ['app', 'cases', 'candidates', 'medic top-1', 'medic lenient', 'medic heals', 'medic wrong', 'similo top-1', 'similo lenient'],
    apps.map((a) => {
      const m = byApp(cv, a.app);
      const s = byApp(similo, a.app);
      const count = (x: Summary) => Math.round(x.top1 * x.cases);
      return [
        a.app,
        a.cases.length,
        a.cases[0]?.candidates.length ?? 0,
        `${count(m)} (${pct(m.top1)})`,
        pct(m.top1Lenient),
        m.heals,
        m.wrong,
        `${count(s)} (${pct(s.top1)})`,
        pct(s.top1Lenient),
      ];
    }),
  ),
);

const rel = reliability(cv);
console.log('\n== Calibration (cross-validated confidence of the top candidate against how often it is right, strict) ==');
console.log(
  table(
    ['confidence', 'cases', 'mean confidence', 'share right'],
    rel.rows.map((r) => [`${r.from.toFixed(2)}–${r.to.toFixed(2)}`, r.n, r.meanConfidence.toFixed(3), r.accuracy.toFixed(3)]),
  ),
);
console.log(`expected calibration error: ${rel.ece.toFixed(3)}`);
const ceiling = coverageCeiling(cv, precisionTarget);
console.log(
  `coverage ceiling of this confidence ordering (oracle: the one threshold chosen with hindsight on these results, strict precision ≥ ${pct(precisionTarget)}):` +
    ` ${ceiling.heals}/${cv.length} (${pct(ceiling.coverage)}), ${ceiling.wrong} wrong, at confidence ≥ ${ceiling.threshold.toFixed(3)}`,
);

const removedShipped = summarize(runMedic(withoutTheElement(cases), model));
const removedCv = summarize(folds.flatMap((f) => f.removed));
console.log('\n== Element removed (simulated: the right element and its accepted parent/child taken off the page; any heal is wrong) ==');
console.log(
  table(
    ['', 'heals (all wrong)'],
    [
      ['medic (shipped, in-sample)', `${removedShipped.heals}/${cases.length} (${pct(removedShipped.coverage)})`],
      ['medic (cross-validated)', `${removedCv.heals}/${cases.length} (${pct(removedCv.coverage)})`],
      ['similo (always heals)', `${cases.length}/${cases.length} (100.0%)`],
    ],
  ),
);

const ms = medianPerCase(shippedRuns);
const similoMs = medianPerCase(similoRuns);
const candidates = cases.map((c) => c.candidates.length);
console.log(
  `\nlatency per case (performance.now around each rankCandidates call, shipped model, ${ms.length} cases × ${REPEAT} calls, median call per case;` +
    ` ${Math.min(...candidates)}–${Math.max(...candidates)} candidates; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs):` +
    ` median ${percentile(ms, 0.5).toFixed(2)} ms, p95 ${percentile(ms, 0.95).toFixed(2)} ms, max ${Math.max(...ms).toFixed(2)} ms` +
    ` (similo: median ${percentile(similoMs, 0.5).toFixed(2)} ms, p95 ${percentile(similoMs, 0.95).toFixed(2)} ms)`,
);

console.log('\nheadline — medic: nested leave-one-app-out cross-validation at each fold\'s default thresholds, strict; similo: strict top-1, no fitting:');
console.log(
  `medic: top1=${pct(cvSummary.top1)} precision=${pct(cvSummary.precision)} coverage=${pct(cvSummary.coverage)} wrong=${cvSummary.wrong} | similo: top1=${pct(similoSummary.top1)}`,
);
