// `npm run fit:heal -- --data <dir>`: fits the ranker on the benchmark apps and writes the
// model the package ships (src/healing/model.generated.ts).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dataDirFrom, pct } from './args.js';
import { fitOnApps } from './evaluate.js';
import { loadApps } from './load.js';

const PRECISION_TARGET = 0.99;
const dir = dataDirFrom(process.argv.slice(2), 'fit:heal');
const apps = loadApps(dir);
const cases = apps.reduce((n, a) => n + a.cases.length, 0);
console.log(`fitting on ${apps.length} apps, ${cases} cases from ${dir}`);
const started = performance.now();
const { model, operating, l2Trials } = fitOnApps(apps, { precision: PRECISION_TARGET });
for (const t of l2Trials) console.log(`  l2=${t.l2}: out-of-fold log-loss ${t.nll.toFixed(4)} (temperature ${t.temperature.toFixed(3)})`);
console.log(`chosen l2=${model.training?.l2}, temperature ${model.temperature}, family credit ${model.familyCredit ?? 0}`);
console.log(
  `default thresholds (out-of-fold, strict precision ≥ ${pct(PRECISION_TARGET)}): threshold ${model.threshold}, minMargin ${model.minMargin}` +
    ` → heals ${operating.heals}/${cases} (${pct(operating.coverage)}), ${operating.wrong} wrong, precision ${pct(operating.precision)}`,
);
const target = fileURLToPath(new URL('../src/healing/model.generated.ts', import.meta.url));
const body = JSON.stringify(model, null, 2);
writeFileSync(
  target,
  `// Written by \`npm run fit:heal\` (bench/fit.ts); do not edit by hand.\nimport type { RankerModel } from './model.js';\n\nexport const GENERATED_MODEL: RankerModel = ${body};\n`,
);
console.log(`wrote ${target} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
