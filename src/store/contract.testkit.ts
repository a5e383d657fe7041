// The adapter contract: one suite every KnowledgeStore adapter must pass.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMedicStoreError } from '../errors.js';
import type { KnowledgeStore } from './KnowledgeStore.js';
import { learningContract } from './contract.learning.testkit.js';
import { modelContract } from './contract.models.testkit.js';
import { reviewContract } from './contract.review.testkit.js';
import { riskContract } from './contract.risk.testkit.js';
import { vectorContract } from './contract.vector.testkit.js';
import type { AttemptRecord, RunRecord } from './records.js';

export function makeRun(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id: 'run-1',
    project: 'default',
    startedAt: '2026-11-24T10:00:00.000Z',
    endedAt: null,
    status: 'running',
    gitSha: 'abc123',
    gitBranch: 'main',
    playwrightVersion: '1.65.1',
    shard: null,
    workers: 4,
    configFile: '/repo/playwright.config.ts',
    plannedTests: 3,
    errors: [],
    ...overrides,
  };
}

export function makeAttempt(overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    runId: 'run-1',
    testKey: 'chromium › a.spec.ts › suite › works',
    testId: 'id-1',
    title: 'works',
    titlePath: ['suite', 'works'],
    projectName: 'chromium',
    file: 'a.spec.ts',
    line: 3,
    column: 5,
    retry: 0,
    status: 'passed',
    expectedStatus: 'passed',
    outcome: 'expected',
    startedAt: '2026-11-24T10:00:01.000Z',
    durationMs: 120,
    workerIndex: 0,
    parallelIndex: 0,
    error: null,
    annotations: [],
    tags: [],
    steps: [],
    locators: [],
    ...overrides,
  };
}

/** Every adapter's test calls this once: runs, attempts, the selector catalog and heals. */
export function storeContract(name: string, open: () => Promise<KnowledgeStore>): void {
  learningContract(name, open);
  vectorContract(name, open);
  riskContract(name, open);
  modelContract(name, open);
  reviewContract(name, open);
  describe(`KnowledgeStore contract: ${name}`, () => {
    let store: KnowledgeStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('keeps a run and returns a copy of it', async () => {
      await store.startRun(makeRun());
      const run = await store.getRun('run-1');
      expect(run).toEqual(makeRun());
      run!.status = 'failed';
      expect((await store.getRun('run-1'))!.status).toBe('running');
      expect(await store.getRun('missing')).toBeUndefined();
    });

    it('finishes a run, and refuses to finish an unknown one', async () => {
      await store.startRun(makeRun());
      await store.finishRun('run-1', { endedAt: '2026-11-24T10:05:00.000Z', status: 'failed' });
      expect(await store.getRun('run-1')).toMatchObject({ status: 'failed', endedAt: '2026-11-24T10:05:00.000Z', gitSha: 'abc123' });
      const error = await store.finishRun('nope', { endedAt: null, status: 'passed' }).catch((e: unknown) => e);
      expect(isMedicStoreError(error)).toBe(true);
    });

    it('lists runs newest first, by project, with a limit', async () => {
      await store.startRun(makeRun({ id: 'a', startedAt: '2026-11-24T09:00:00.000Z' }));
      await store.startRun(makeRun({ id: 'b', startedAt: '2026-11-24T11:00:00.000Z', project: 'other' }));
      await store.startRun(makeRun({ id: 'c', startedAt: '2026-11-24T10:00:00.000Z' }));
      expect((await store.listRuns()).map((r) => r.id)).toEqual(['b', 'c', 'a']);
      expect((await store.listRuns({ project: 'default' })).map((r) => r.id)).toEqual(['c', 'a']);
      expect((await store.listRuns({ limit: 1 })).map((r) => r.id)).toEqual(['b']);
    });

    it('records attempts once per (run, test, retry), replacing a repeat', async () => {
      await store.startRun(makeRun());
      await store.recordAttempt(makeAttempt({ status: 'failed', outcome: 'unexpected' }));
      await store.recordAttempt(makeAttempt({ retry: 1, outcome: 'flaky' }));
      await store.recordAttempt(makeAttempt({ status: 'failed', outcome: 'unexpected', durationMs: 99 }));
      const attempts = await store.listAttempts({ runId: 'run-1' });
      expect(attempts).toHaveLength(2);
      expect(attempts.find((a) => a.retry === 0)!.durationMs).toBe(99);
    });

    it('keeps every field of an attempt, error included', async () => {
      await store.startRun(makeRun());
      const attempt = makeAttempt({
        status: 'failed',
        outcome: 'unexpected',
        error: { message: 'Error: boom', stack: 'at x', category: 'assertion', signature: 'deadbeef', count: 2 },
        annotations: [{ type: 'issue', description: 'JIRA-1' }, { type: 'slow' }],
        tags: ['@smoke'],
      });
      await store.recordAttempt(attempt);
      expect(await store.listAttempts()).toEqual([attempt]);
    });

    it('filters attempts by run and test, newest first with a limit', async () => {
      await store.startRun(makeRun());
      await store.startRun(makeRun({ id: 'run-2', startedAt: '2026-11-24T11:00:00.000Z' }));
      await store.recordAttempt(makeAttempt());
      await store.recordAttempt(makeAttempt({ testId: 'id-2', testKey: 'other' }));
      await store.recordAttempt(makeAttempt({ runId: 'run-2' }));
      expect(await store.listAttempts({ runId: 'run-2' })).toHaveLength(1);
      const byTest = await store.listAttempts({ testKey: makeAttempt().testKey });
      expect(byTest.map((a) => a.runId)).toEqual(['run-1', 'run-2']);
      expect((await store.listAttempts({ testKey: makeAttempt().testKey, limit: 1 })).map((a) => a.runId)).toEqual(['run-2']);
    });

    it('refuses a second run with the same id, keeping the first', async () => {
      await store.startRun(makeRun());
      const error = await store.startRun(makeRun({ status: 'failed' })).catch((e: unknown) => e);
      expect(isMedicStoreError(error)).toBe(true);
      expect((error as Error).message).toMatch(/already in the knowledge store/);
      expect((await store.getRun('run-1'))!.status).toBe('running');
    });

    it('runs one holder of a lock at a time, others of other names alongside, and frees it when the action throws', async () => {
      const events: string[] = [];
      const hold = (name: string, tag: string, ms: number) =>
        store.exclusive(name, async () => {
          events.push(`${tag}+`);
          await new Promise((r) => setTimeout(r, ms));
          events.push(`${tag}-`);
          return tag;
        });
      const results = await Promise.all([hold('learn:a', 'a1', 40), hold('learn:a', 'a2', 10), hold('learn:b', 'b', 10)]);
      expect(results).toEqual(['a1', 'a2', 'b']);
      expect(events.indexOf('a2+')).toBeGreaterThan(events.indexOf('a1-')); // never both inside
      expect(events.indexOf('b+')).toBeLessThan(events.indexOf('a1-')); // another name does not wait
      await expect(store.exclusive('learn:a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await store.exclusive('learn:a', async () => 'free again')).toBe('free again');
    });

    it('shares open breakers until they expire, and forgets a closed one', async () => {
      const now = Date.now();
      const at = (ms: number) => new Date(now + ms).toISOString();
      const open = { state: 'open' as const, reason: 'ECONNREFUSED', openedAt: at(0), by: 'ci/1' };
      await store.putBreaker({ ...open, name: 'embedder', target: 'http://127.0.0.1:9/v1', until: at(60_000) });
      await store.putBreaker({ ...open, name: 'chroma', target: 'http://127.0.0.1:8000', until: at(60_000) });
      await store.putBreaker({ ...open, name: 'chroma', target: 'http://127.0.0.1:8001', until: at(1_500) });
      expect((await store.listBreakers()).map((b) => `${b.name} ${b.target}`)).toEqual(['chroma http://127.0.0.1:8000', 'chroma http://127.0.0.1:8001', 'embedder http://127.0.0.1:9/v1']);
      expect((await store.listBreakers())[0]).toEqual({ ...open, name: 'chroma', target: 'http://127.0.0.1:8000', until: at(60_000) });
      // Opened again by another process: replaced, not added.
      await store.putBreaker({ ...open, name: 'chroma', target: 'http://127.0.0.1:8000', until: at(90_000), by: 'ci/2' });
      await store.putBreaker({ ...open, name: 'embedder', target: 'http://127.0.0.1:9/v1', state: 'closed', until: at(0) });
      await new Promise((r) => setTimeout(r, Math.max(0, now + 1_600 - Date.now())));
      expect(await store.listBreakers()).toEqual([{ ...open, name: 'chroma', target: 'http://127.0.0.1:8000', until: at(90_000), by: 'ci/2' }]);
      await expect(store.putBreaker({ ...open, name: '', target: 'x', until: at(1000) })).rejects.toThrow(/name/);
    });

    it('refuses queries it cannot answer', async () => {
      await expect(store.listRuns({ limit: 0 })).rejects.toThrow(/limit/);
      await expect(store.listRuns({ limit: 1.5 })).rejects.toThrow(/limit/);
      await expect(store.listAttempts({ limit: -1 })).rejects.toThrow(/limit/);
    });

    it('refuses an attempt of an unknown run and an invalid record', async () => {
      const unknown = await store.recordAttempt(makeAttempt({ runId: 'nope' })).catch((e: unknown) => e);
      expect(isMedicStoreError(unknown)).toBe(true);
      await store.startRun(makeRun());
      await expect(store.recordAttempt({ ...makeAttempt(), retry: -1 })).rejects.toThrow(/retry/);
      await expect(store.startRun({ ...makeRun({ id: 'x' }), startedAt: 'yesterday' })).rejects.toThrow(/startedAt/);
      expect(await store.listAttempts()).toEqual([]);
    });
  });
}
