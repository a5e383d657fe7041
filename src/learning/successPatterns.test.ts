import { describe, expect, it } from 'vitest';
import { makeAttempt, makeRun } from '../store/contract.testkit.js';
import { MemoryStore } from '../store/memory.js';
import type { AttemptRecord } from '../store/records.js';
import { hashingEmbedder } from '../vector/embedder.js';
import { localIndex } from '../vector/localIndex.js';
import { findSimilarSuccess, learnSuccesses, type SuccessDeps } from './successLearner.js';
import { mergeSuccess, successRate, successText } from './successPatterns.js';

const o = (over: Partial<Parameters<typeof mergeSuccess>[1]> = {}) => ({
  project: 'shop', feature: 'cart.spec.ts › cart', testKey: 'chromium › cart.spec.ts › cart › adds', passed: true,
  steps: ['navigate to', 'click', 'expect toHaveText'], locators: ["page.getByRole('button', { name: 'Add' })"], durationMs: 100, at: '2026-12-01T10:00:00.000Z', ...over,
});

describe('mergeSuccess', () => {
  it('lets a new flow in after many old ones, dropping the least recently seen', () => {
    let p = mergeSuccess(undefined, o({ steps: ['old 0'] }), 'sp-1');
    for (let i = 1; i < 40; i++) p = mergeSuccess(p, o({ steps: [`old ${i % 25}`], at: new Date(Date.UTC(2026, 11, 1, 10, i)).toISOString() }), 'sp-1');
    expect(p.sequences.length).toBe(20);
    for (let i = 0; i < 3; i++) p = mergeSuccess(p, o({ steps: ['new flow'], at: new Date(Date.UTC(2026, 11, 2, 10, i)).toISOString() }), 'sp-1');
    expect(p.sequences[0]).toMatchObject({ steps: ['new flow'], count: 3 });
    expect(p.sequences).toHaveLength(20);
  });

  it('counts passes and failures, keeps the sequences, locators and assertion styles of passes, and their mean time', () => {
    let p = mergeSuccess(undefined, o(), 'sp-1');
    p = mergeSuccess(p, o({ durationMs: 300, at: '2026-12-02T10:00:00.000Z' }), 'sp-1');
    p = mergeSuccess(p, o({ testKey: 'chromium › cart.spec.ts › cart › removes', steps: ['navigate to', 'click', 'expect toBeHidden', 'expect toHaveText'], locators: ['page.locator(\'.remove\')'] }), 'sp-1');
    p = mergeSuccess(p, o({ passed: false, steps: ['click'], durationMs: 9999, at: '2026-11-30T10:00:00.000Z' }), 'sp-1');
    expect(p).toMatchObject({ passes: 3, failures: 1, firstSeen: '2026-11-30T10:00:00.000Z', lastSeen: '2026-12-02T10:00:00.000Z', meanMs: 500 / 3 });
    expect(p.tests).toHaveLength(2);
    expect(p.sequences.map(({ steps, count }) => ({ steps, count }))).toEqual([
      { steps: ['navigate to', 'click', 'expect toHaveText'], count: 2 },
      { steps: ['navigate to', 'click', 'expect toBeHidden', 'expect toHaveText'], count: 1 },
    ]);
    expect(p.sequences[0]!.lastAt).toBe('2026-12-02T10:00:00.000Z');
    expect(p.locators.map(({ value, count }) => [value, count])).toEqual([["page.getByRole('button', { name: 'Add' })", 2], ["page.locator('.remove')", 1]]);
    expect(p.assertions.map(({ value, count }) => [value, count])).toEqual([['toHaveText', 3], ['toBeHidden', 1]]);
    expect(successRate(p)).toBeCloseTo(4 / 6);
    expect(successText(p)).toBe("cart › cart\ncart adds\ncart removes\npage.getByRole('button', { name: 'Add' })\npage.locator('.remove')");
  });
});

const attempt = (runId: string, file: string, describe: string, title: string, over: Partial<AttemptRecord> = {}) =>
  makeAttempt({ runId, file, titlePath: [describe, title], title, testKey: `chromium › ${file} › ${describe} › ${title}`, testId: `${file}-${title}`, steps: ['click', 'expect toBeVisible'], ...over });

describe('learnSuccesses and findSimilarSuccess', () => {
  it('learns per feature from each run, and finds the best like a query, the more successful first', async () => {
    const store = new MemoryStore();
    const embedder = hashingEmbedder();
    const deps: SuccessDeps = { store, embedder, index: localIndex(store, 'successes', embedder) };
    const boom = { message: 'x', stack: null, category: 'assertion', signature: 's', count: 1 };
    for (let i = 0; i < 4; i++) {
      const runId = `run-${i}`;
      await store.startRun(makeRun({ id: runId, project: 'shop', startedAt: `2026-12-0${i + 1}T10:00:00.000Z` }));
      await store.recordAttempt(attempt(runId, 'checkout.spec.ts', 'checkout', 'pays by card', { locators: ["page.getByLabel('Card number')"] }));
      // Guest checkout fails half the time.
      await store.recordAttempt(attempt(runId, 'checkout.spec.ts', 'guest checkout', 'pays as a guest', i % 2 ? { status: 'failed', outcome: 'unexpected', error: boom } : {}));
      await store.recordAttempt(attempt(runId, 'login.spec.ts', 'login', 'signs in', { locators: ["page.getByLabel('Password')"] }));
      await store.recordAttempt(attempt(runId, 'login.spec.ts', 'login', 'is skipped', { status: 'skipped', expectedStatus: 'skipped', outcome: 'skipped' }));
      expect(await learnSuccesses(deps, runId)).toHaveLength(3);
    }
    const patterns = await store.listSuccessPatterns({ project: 'shop' });
    expect(patterns.map((p) => `${p.feature}:${p.passes}/${p.failures}`).sort()).toEqual(['checkout.spec.ts › checkout:4/0', 'checkout.spec.ts › guest checkout:2/2', 'login.spec.ts › login:4/0']);
    const found = await findSimilarSuccess(deps, 'shop', 'test checkout');
    expect(found.map((f) => f.pattern.feature)).toEqual(['checkout.spec.ts › checkout', 'checkout.spec.ts › guest checkout']);
    expect(found[0]!.successRate).toBeCloseTo(5 / 6);
    expect((await findSimilarSuccess(deps, 'shop', 'sign in with a password'))[0]!.pattern.feature).toBe('login.spec.ts › login');
    expect(await findSimilarSuccess(deps, 'other', 'test checkout')).toEqual([]);
    expect(await learnSuccesses(deps, 'no-such-run')).toEqual([]);
  });
});
