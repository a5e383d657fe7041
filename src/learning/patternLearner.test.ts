import { describe, expect, it } from 'vitest';
import { makeHeal } from '../store/contract.learning.testkit.js';
import { makeAttempt, makeRun } from '../store/contract.testkit.js';
import { MemoryStore } from '../store/memory.js';
import type { AttemptRecord } from '../store/records.js';
import { hashingEmbedder } from '../vector/embedder.js';
import { localIndex } from '../vector/localIndex.js';
import { categorizeError } from './categorize.js';
import { isNewIn } from './failurePatterns.js';
import { featureOf, learnFailures, suggestFixStrategy, type PatternDeps } from './patternLearner.js';
import { failureSignature } from './signature.js';

const missing = (locator: string) =>
  `TimeoutError: locator.click: Timeout 5000ms exceeded.\nCall log:\n  - waiting for ${locator}\n`;
const refused = (path: string) => `Error: page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:4455${path}\nCall log:\n  - navigating to "http://127.0.0.1:4455${path}"`;
const wrongTotal = 'Error: expect(locator).toHaveText(expected) failed\n\nLocator: locator(\'#total\')\nExpected: "$74.00"\nReceived: "$59.00"';

function failing(runId: string, test: string, message: string, at: string, extra: Partial<AttemptRecord> = {}): AttemptRecord {
  const stack = `Error\n    at /work/e2e/${test}.spec.ts:12:5`;
  const category = categorizeError({ message, stack });
  return makeAttempt({
    runId,
    testKey: `chromium › ${test}.spec.ts › ${test} › works`,
    testId: `id-${test}`,
    file: `${test}.spec.ts`,
    titlePath: [test, 'works'],
    status: 'failed',
    outcome: 'unexpected',
    startedAt: at,
    error: { message, stack, category, signature: failureSignature({ message, stack }, category), count: 1 },
    ...extra,
  });
}
const passing = (runId: string, test: string, at: string, extra: Partial<AttemptRecord> = {}) =>
  makeAttempt({ runId, testKey: `chromium › ${test}.spec.ts › ${test} › works`, testId: `id-${test}`, file: `${test}.spec.ts`, titlePath: [test, 'works'], startedAt: at, ...extra });

async function setUp() {
  const store = new MemoryStore();
  const embedder = hashingEmbedder();
  const deps: PatternDeps = { store, embedder, index: localIndex(store, 'failures', embedder) };
  return { store, deps };
}

describe('learnFailures', () => {
  it('groups one cause across tests and runs, keeps causes apart, and says what is new', async () => {
    const { store, deps } = await setUp();
    await store.startRun(makeRun({ id: 'r1', project: 'shop' }));
    for (const a of [
      failing('r1', 'cart', missing("locator('#cart-count')"), '2026-12-01T10:00:01.000Z'),
      failing('r1', 'checkout', wrongTotal, '2026-12-01T10:00:02.000Z'),
      passing('r1', 'catalog', '2026-12-01T10:00:03.000Z'),
    ])
      await store.recordAttempt(a);
    const first = await learnFailures(deps, 'r1');
    expect(first.created).toHaveLength(2);
    await store.startRun(makeRun({ id: 'r2', project: 'shop', startedAt: '2026-12-02T10:00:00.000Z' }));
    // The same cart failure, and a near one (another selector of the same widget) in another test.
    await store.recordAttempt(failing('r2', 'cart', missing("locator('#cart-count')"), '2026-12-02T10:00:01.000Z'));
    await store.recordAttempt(failing('r2', 'badge', missing("locator('#cart-counter')"), '2026-12-02T10:00:02.000Z'));
    const second = await learnFailures(deps, 'r2');
    expect(second.created).toEqual([]);
    const patterns = await store.listFailurePatterns({ project: 'shop' });
    expect(patterns).toHaveLength(2);
    const cart = patterns.find((p) => p.category === 'selector_missing' || p.category === 'timeout')!;
    expect(cart.count).toBe(3);
    expect(cart.tests).toHaveLength(2);
    expect(cart.features).toEqual(['cart.spec.ts › cart', 'badge.spec.ts › badge']);
    expect(cart.runs).toEqual(['r1', 'r2']);
    expect(isNewIn(cart, 'r2')).toBe(false);
    expect(isNewIn(cart, 'r1')).toBe(true);
  });

  it('makes an outage one pattern, not one per test', async () => {
    const { store, deps } = await setUp();
    await store.startRun(makeRun({ id: 'r1', project: 'shop' }));
    const tests = ['cart', 'checkout', 'catalog', 'signin', 'product'];
    for (const [i, t] of tests.entries()) await store.recordAttempt(i < 4 ? failing('r1', t, refused(`/${t}`), `2026-12-01T10:00:0${i}.000Z`) : passing('r1', t, '2026-12-01T10:00:09.000Z'));
    const { created, touched } = await learnFailures(deps, 'r1');
    expect(created).toHaveLength(1);
    expect(touched[0]).toMatchObject({ category: 'network', count: 4, signatures: ['environment:network'] });
  });

  it('learns the heal that turned a failure into a pass as a known fix, and suggests it', async () => {
    const { store, deps } = await setUp();
    await store.startRun(makeRun({ id: 'r1', project: 'shop' }));
    const message = missing("locator('#cart-count')");
    await store.recordAttempt(failing('r1', 'cart', message, '2026-12-01T10:00:01.000Z'));
    await learnFailures(deps, 'r1');
    const before = await suggestFixStrategy(deps, 'shop', { message });
    expect(before).toMatchObject({ similarity: 1, confidence: 0, applyFirst: false });
    expect(before.analysis).toMatch(/nothing has fixed it yet/);

    for (const [day, run] of [[2, 'r2'], [3, 'r3'], [4, 'r4'], [5, 'r5']] as const) {
      await store.startRun(makeRun({ id: run, project: 'shop', startedAt: `2026-12-0${day}T10:00:00.000Z` }));
      // r2 passes after r1's failure; later runs fail first and pass on the retry, with the heal.
      const retry = day > 2 ? 1 : 0;
      if (retry) await store.recordAttempt(failing(run, 'cart', message, `2026-12-0${day}T10:00:00.500Z`));
      await store.recordAttempt(passing(run, 'cart', `2026-12-0${day}T10:00:01.000Z`, { retry }));
      await store.recordHeals([
        makeHeal({ id: `h-${run}`, runId: run, project: 'shop', testKey: 'chromium › cart.spec.ts › cart › works', testId: 'id-cart', retry, from: { selector: '#cart-count', code: "locator('#cart-count')" }, to: { selector: 'internal:testid=[data-testid="bag-count"s]', code: "page.getByTestId('bag-count')" } }),
      ]);
      await learnFailures(deps, run);
    }
    const after = await suggestFixStrategy(deps, 'shop', { message });
    expect(after.fix).toMatchObject({ strategy: 'relocate', to: "page.getByTestId('bag-count')" });
    expect(after.fix!.successes).toBeGreaterThanOrEqual(4);
    expect(after.confidence).toBeGreaterThan(0.8);
    expect(after.applyFirst).toBe(true);
    // An unknown failure gets an analysis with no confidence.
    const unknown = await suggestFixStrategy(deps, 'shop', { message: 'Error: page.evaluate: ReferenceError: widget is not defined' });
    expect(unknown).toMatchObject({ confidence: 0, applyFirst: false });
    expect(unknown.analysis).toMatch(/no known pattern/);
  });

  it('names a feature by file and first describe', () => {
    expect(featureOf({ file: 'e2e/demo/cart.spec.ts', titlePath: ['cart', 'adds'] })).toBe('cart.spec.ts › cart');
    expect(featureOf({ file: 'smoke.spec.ts', titlePath: ['loads'] })).toBe('smoke.spec.ts');
  });
});
