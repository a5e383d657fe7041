#!/usr/bin/env node
// `npm run demo`: runs the demo suite on the demo app v1 (it must pass), then on v2, where
// only the markup changed: first with healing off (as plain Playwright: it fails), then with
// healing on, and shows what playwright-medic recorded, healed and learned, and where.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteStore } from '../dist/src/store/sqliteOpen.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const playwright = fileURLToPath(new URL('../node_modules/@playwright/test/cli.js', import.meta.url));
const medic = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));

function run(title, command, args, env = {}) {
  console.log(`\n━━ ${title}\n$ ${[command === process.execPath ? 'node' : command, ...args].join(' ')}`);
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status;
}

const v1 = run('demo suite on app v1 (the version the specs were written for)', process.execPath, [playwright, 'test', '--retries=0'], { MEDIC_APP_VERSION: 'v1' });
if (v1 !== 0) {
  console.error('\ndemo: the suite failed on v1, where it must pass; see the output above.');
  process.exit(1);
}
const v2 = run('demo suite on app v2 (same features, changed markup), healing off as in plain Playwright', process.execPath, [playwright, 'test', '--retries=0'], {
  MEDIC_APP_VERSION: 'v2',
  MEDIC_HEALING_MODE: 'off',
});
if (v2 === 0) {
  console.error('\ndemo: the suite passed on v2, where the changed markup must break plain locators; the demo app lost its point.');
  process.exit(1);
}
// The v2 run must have failed on locators, not on something else (a server that did not start).
const store = openSqliteStore({ path: join(root, '.medic', 'medic.db'), readonly: true });
const [latest] = await store.listRuns({ limit: 1 });
const failures = latest ? (await store.listAttempts({ runId: latest.id })).filter((a) => a.error) : [];
await store.close();
const onLocators = failures.filter((a) => ['selector_missing', 'strict_mode', 'assertion'].includes(a.error.category));
if (onLocators.length === 0) {
  console.error('\ndemo: the v2 run failed, but not on locators or assertions; see the output above.');
  process.exit(1);
}
run('demo suite on app v2 again, healing on (the specs are unchanged)', process.execPath, [playwright, 'test', '--retries=0'], { MEDIC_APP_VERSION: 'v2' });
const after = openSqliteStore({ path: join(root, '.medic', 'medic.db'), readonly: true });
const [healRun] = await after.listRuns({ limit: 1 });
const heals = healRun ? await after.listHeals({ runId: healRun.id }) : [];
await after.close();
if (!heals.some((h) => h.outcome === 'healed')) {
  console.error('\ndemo: the healing run on v2 healed nothing; see the output above.');
  process.exit(1);
}
run('what playwright-medic has recorded', process.execPath, [medic, 'runs', '--limit', '3']);
run('the failures left in the healing run, by category and signature', process.execPath, [medic, 'attempts', '--failed']);
console.log('\ndemo: done. The knowledge store is .medic/medic.db; explore it with `npm run medic -- runs` and `npm run medic -- attempts --failed` (in your own project: `npx medic runs`).');
