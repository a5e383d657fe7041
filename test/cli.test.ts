import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAttempt, makeRun } from '../src/store/contract.testkit.js';
import { openSqliteStore } from '../src/store/sqliteOpen.js';
import { learnFailures } from '../src/learning/patternLearner.js';
import { learnStrategies } from '../src/learning/strategyLearner.js';
import { learnSuccesses } from '../src/learning/successLearner.js';
import { hashingEmbedder } from '../src/vector/embedder.js';
import { localIndex } from '../src/vector/localIndex.js';
import { repoRoot } from './helpers/inlineProject.js';

const dir = mkdtempSync(join(tmpdir(), 'medic-cli-'));
const run = (env: NodeJS.ProcessEnv, args: string[]) =>
  spawnSync(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'main.js'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, MEDIC_STORE_PATH: '', MEDIC_STORE_KIND: '', MEDIC_REDIS_URL: '', ...env } });
const medic = (...args: string[]) => run({}, args);

beforeAll(async () => {
  const store = openSqliteStore({ path: join(dir, '.medic', 'medic.db') });
  await store.startRun(makeRun({ id: 'aaaa1111-old', startedAt: '2026-11-23T10:00:00.000Z', status: 'passed' }));
  await store.startRun(makeRun({ id: 'bbbb2222-new', status: 'failed' }));
  await store.recordAttempt(makeAttempt({ runId: 'aaaa1111-old' }));
  await store.recordAttempt(
    makeAttempt({
      runId: 'bbbb2222-new',
      status: 'failed',
      outcome: 'unexpected',
      error: { message: "Error: locator.click: Timeout 500ms exceeded.\nCall log: …", stack: null, category: 'selector_missing', signature: '0123456789abcdef', count: 1 },
    }),
  );
  await store.recordAttempt(makeAttempt({ runId: 'bbbb2222-new', testId: 'id-2', testKey: 'chromium › b.spec.ts › ok' }));
  const embedder = hashingEmbedder();
  await learnFailures({ store, embedder, index: localIndex(store, 'failures', embedder) }, 'bbbb2222-new');
  for (const runId of ['aaaa1111-old', 'bbbb2222-new']) await learnSuccesses({ store, embedder, index: localIndex(store, 'successes', embedder) }, runId);
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('medic CLI', () => {
  it('lists runs newest first with outcome counts', () => {
    const result = medic('runs');
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Runs in .*medic\.db/);
    expect(lines[1]).toMatch(/^bbbb2222 .* failed .* 2 tests .* 1 ok · 1 failed · 0 flaky · 0 skipped/);
    expect(lines[2]).toMatch(/^aaaa1111 .* passed .* 1 tests/);
    const json = JSON.parse(medic('runs', '--json', '-n', '1').stdout);
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({ id: 'bbbb2222-new', tests: 2, outcomes: { expected: 1, unexpected: 1 } });
  });

  it("shows a run's failed attempts with category and signature", () => {
    const result = medic('attempts', '--failed');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Run bbbb2222-new \(failed\), 1 attempt/);
    expect(result.stdout).toMatch(/selector_missing 0123456789 {2}Error: locator\.click: Timeout 500ms exceeded\./);
    expect(medic('attempts', '--run', 'aaaa', '--json').stdout).toMatch(/"runId": "aaaa1111-old"/);
  });

  it('lists failure patterns with their counts and known fixes', () => {
    const result = medic('failures');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/1 failure pattern\(s\) in .*medic\.db/);
    expect(result.stdout).toMatch(/ {3}1× {2}selector_missing +fp-\w+ {2}1 test\(s\), 1 run\(s\)/);
    expect(result.stdout).toMatch(/Error: locator\.click: Timeout 500ms exceeded\.\n.*signature 0123456789abcdef; features: a\.spec\.ts › suite\n +no known fix yet/);
    expect(JSON.parse(medic('failures', '--json', '--category', 'selector_missing').stdout)[0]).toMatchObject({ count: 1, tests: ['chromium › a.spec.ts › suite › works'] });
    expect(medic('failures', '--category', 'timeout').stdout).toMatch(/No failure patterns/);
  });

  it('finds the success patterns like a query, with what worked', () => {
    const result = medic('patterns', 'suite', 'works');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Success patterns like "suite works" in .*medic\.db, best first:\n {2}a\.spec\.ts › suite {2}success 0\.60 \(2 passed, 1 failed\) {2}\d+ ms {2}similarity 0\.\d\d\n {6}tests: chromium › a\.spec\.ts › suite › works; chromium › b\.spec\.ts › ok\n/);
    const json = JSON.parse(medic('patterns', 'suite', '--json', '-n', '1').stdout);
    expect(json).toHaveLength(1);
    expect(json[0].pattern).toMatchObject({ feature: 'a.spec.ts › suite', passes: 2, failures: 1 });
    expect(medic('patterns', 'anything', '--project', 'other').stdout).toMatch(/No success pattern in .* is like "anything"/);
    expect(medic('patterns').stderr).toMatch(/missing required argument 'query'/);
  });

  it('lists flaky and broken tests with history strips and quarantine suggestions', async () => {
    const store = openSqliteStore({ path: join(dir, 'flaky', 'medic.db') });
    const boom = { message: 'Error: boom', stack: null, category: 'assertion', signature: 's', count: 1 };
    for (let i = 0; i < 6; i++) {
      const runId = `run-${i}`;
      await store.startRun(makeRun({ id: runId, startedAt: `2026-11-2${i}T10:00:00.000Z`, status: 'passed' }));
      const t = (name: string) => ({ runId, testKey: `chromium › a.spec.ts › ${name}`, testId: `id-${name}`, title: name });
      await store.recordAttempt(makeAttempt(t('steady')));
      if (i % 2 === 1) {
        await store.recordAttempt(makeAttempt({ ...t('wobbly'), status: 'failed', outcome: 'unexpected', error: boom }));
        await store.recordAttempt(makeAttempt({ ...t('wobbly'), retry: 1, outcome: 'flaky' }));
      } else await store.recordAttempt(makeAttempt(t('wobbly')));
      await store.recordAttempt(makeAttempt({ ...t('dead'), status: i < 2 ? 'passed' : 'failed', outcome: i < 2 ? 'expected' : 'unexpected', error: i < 2 ? null : boom }));
      if (i >= 2) await store.recordAttempt(makeAttempt({ ...t('dead'), retry: 1, status: 'failed', outcome: 'unexpected', error: boom, durationMs: 30 }));
      await learnStrategies(store, runId);
    }
    await store.close();
    const result = medic('--store', 'flaky/medic.db', 'flaky');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Flakiness over the last 20 run\(s\)/);
    expect(result.stdout).toMatch(/broken +0\.20 +✓✓✗✗✗✗ +chromium › a\.spec\.ts › dead\n +failed the last 4 of 6 runs/);
    expect(result.stdout).toMatch(/flaky +0\.50 +✓↻✓↻✓↻ +chromium › a\.spec\.ts › wobbly\n +passed on retry in 3 of 6 runs/);
    expect(result.stdout).not.toMatch(/steady/);
    expect(result.stdout).toMatch(/Suggested for quarantine \(1, .*\n +chromium › a\.spec\.ts › wobbly/);
    const json = JSON.parse(medic('--store', 'flaky/medic.db', 'flaky', '--all', '--json', '-n', '2').stdout);
    expect(json.map((t: { title: string; state: string }) => `${t.title}:${t.state}`)).toEqual(['wobbly:flaky', 'dead:unknown', 'steady:unknown']);
    expect(medic('--store', 'flaky/medic.db', 'flaky', '--project', 'other').stdout).toMatch(/No test results/);
    // The retries are in the strategy tracker: 3 that passed (wobbly), 4 that did not (dead).
    const strategies = medic('--store', 'flaky/medic.db', 'strategies');
    expect(strategies.status).toBe(0);
    expect(strategies.stdout).toMatch(/ {2}assertion:\n {4}retry +score \d\.\d\d {2}3\/7 succeeded \(rate 0\.44\) {2}\d+ ms {2}\$0\.0000\n/);
    const byTask = JSON.parse(medic('--store', 'flaky/medic.db', 'strategies', '--json', '--task', 'assertion').stdout);
    expect(byTask.assertion[0]).toMatchObject({ strategy: 'retry', tries: 7, successes: 3 });
    expect(medic('--store', 'flaky/medic.db', 'strategies', '--task', 'timeout').stdout).toMatch(/No strategy executions/);
  });

  it('says what is wrong with bad arguments and a bad store', () => {
    const badLimit = medic('runs', '--limit', '0');
    expect(badLimit.status).not.toBe(0);
    expect(badLimit.stderr).toMatch(/expected a whole number above 0, got "0"/);
    const unknownRun = medic('attempts', '--run', 'zzz');
    expect(unknownRun.status).toBe(1);
    expect(unknownRun.stderr).toMatch(/no run starts with "zzz" \(see: medic runs\)/);
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad', 'x.db'), 'garbage'.repeat(100));
    const corrupt = medic('--store', 'bad/x.db', 'runs');
    expect(corrupt.status).toBe(1);
    expect(corrupt.stderr).toMatch(/^medic: The knowledge store .*x\.db is not a readable SQLite database/);
  });

  it('reads the store named by --store over MEDIC_STORE_PATH, and never creates one', () => {
    const viaEnv = run({ MEDIC_STORE_PATH: join(dir, 'nowhere', 'medic.db') }, ['runs']);
    expect(viaEnv.status).toBe(1);
    expect(viaEnv.stderr).toMatch(/There is no knowledge store at .*nowhere\/medic\.db yet\.\nFix: Run your suite/);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
    const flagWins = run({ MEDIC_STORE_PATH: join(dir, 'nowhere', 'medic.db') }, ['--store', '.medic/medic.db', 'runs']);
    expect(flagWins.status).toBe(0);
    expect(flagWins.stdout).toMatch(/bbbb2222/);
    const memory = run({ MEDIC_STORE_KIND: 'memory' }, ['runs']);
    expect(memory.stderr).toMatch(/MEDIC_STORE_KIND is "memory", which keeps nothing to read/);
  });
});
