// The LLM layer through the real `openai` SDK against a local server that speaks the Chat
// Completions API with scripted answers (test/helpers/openaiServer.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineMedicConfig } from '../config/index.js';
import type { Candidate, Fingerprint } from '../healing/fingerprint.js';
import { executionsOfRun, type StrategyExecution } from '../learning/strategies.js';
import type { HealEvent } from '../learning/heals.js';
import { shownCandidates, startLlmServer, type LlmServer } from '../../test/helpers/openaiServer.js';
import { createLlm, type LlmConfig, type RepairRequest } from './llm.js';
import { memoryMemo } from './memo.js';
import { openaiClient } from './openaiClient.js';
import { seededRandom } from './select.js';
import { memoryLedger } from './spend.js';

const old: Fingerprint = { tag: 'button', text: 'Place order', testIds: { 'data-testid': 'submit-order' }, accessibleName: 'Place order', isButton: true };
const candidates: Candidate[] = [
  { index: 0, tag: 'button', text: 'Cancel', accessibleName: 'Cancel', isButton: true },
  { index: 1, tag: 'button', text: 'Buy now', accessibleName: 'Buy now', testIds: { 'data-testid': 'confirm-purchase' }, isButton: true },
  { index: 2, tag: 'select', name: 'country' },
];
const request = (overrides: Partial<RepairRequest> = {}): RepairRequest => ({ fingerprint: old, step: 'click', locator: "page.getByTestId('submit-order')", candidates, complexity: 'simple', runId: 'run-1', ...overrides });
/** Answers with the shown candidate whose text is `text` (null when none is). */
const pick = (text: string) => (r: Parameters<LlmServer['answer']>[0]) => {
  const i = shownCandidates(r).findIndex((c) => c.text === text);
  return { json: { index: i < 0 ? null : i, reason: i < 0 ? 'not there' : `the ${text} button does what the old one did` } };
};

let server: LlmServer;
let warnings: string[];
beforeEach(async () => {
  server = await startLlmServer(pick('Buy now'));
  warnings = [];
});
afterEach(() => server.close());

function layer(options: Partial<LlmConfig> = {}, executions: StrategyExecution[] = []) {
  // The ranker's support is tested on its own below; elsewhere any pick the checks allow is taken.
  const config = { ...defineMedicConfig({ llm: { baseURL: server.baseURL, models: ['small'] } }).llm!, minSupport: 0, ...options };
  const ledger = memoryLedger();
  const llm = createLlm(config, {
    client: openaiClient({ baseURL: server.baseURL, apiKey: 'k', timeoutMs: config.timeoutMs }),
    ledger,
    decisions: memoryMemo(),
    summaries: memoryMemo(),
    executions: () => executions,
    warn: (m) => warnings.push(m),
    random: seededRandom(7),
  });
  return { llm, ledger, executions };
}

describe('locator repair', () => {
  it('uses the candidate the model names, with the confidence learned for its repairs', async () => {
    const { llm } = layer();
    const out = await llm.repair(request());
    expect(out).toMatchObject({ kind: 'pick', model: 'small', candidate: { index: 1 }, confidence: 0.5, cached: false });
    expect(out.calls).toEqual([expect.objectContaining({ model: 'small', task: 'llm_repair', answer: 'pick' })]);
    // Compact and safe: the schema was asked for, candidates are numbered, the fingerprint is there.
    expect(server.requests[0]!.responseFormat).toMatchObject({ type: 'json_schema' });
    expect(shownCandidates(server.requests[0]!).map((c) => c.text)).toEqual(['Cancel', 'Buy now', undefined]);
  });

  it('respects "none"', async () => {
    server.answer = pick('Checkout');
    const out = await layer().llm.repair(request());
    expect(out).toMatchObject({ kind: 'none', model: 'small', reason: 'not there' });
  });

  it('rejects malformed answers, out-of-range indices and picks that contradict the element, escalating to the next model', async () => {
    const { llm } = layer({ models: ['a', 'b', 'c', 'd'] });
    const script: Record<string, (r: Parameters<LlmServer['answer']>[0]) => ReturnType<LlmServer['answer']>> = {
      a: () => ({ text: '{"index": 1, "reason": "trailing' }),
      b: () => ({ json: { index: 9, reason: 'no such' } }),
      c: (r) => ({ json: { index: shownCandidates(r).findIndex((x) => x.tag === 'select'), reason: 'a select' } }),
      d: pick('Buy now'),
    };
    server.answer = (r) => script[r.model]!(r);
    const out = await llm.repair(request());
    expect(out.calls.map((c) => [c.model, c.answer])).toEqual([
      ['a', 'malformed'],
      ['b', 'malformed'],
      ['c', 'contradicted'],
      ['d', 'pick'],
    ]);
    expect(out).toMatchObject({ kind: 'pick', model: 'd', candidate: { index: 1 } });
    expect(out.calls[2]!.error).toMatch(/select/);
  });

  it("refuses a pick the ranker finds too unlikely (llm.minSupport): a model chooses among what the ranker finds plausible", async () => {
    // Two alike buttons the ranker is torn between, and one it finds unlikely.
    const torn: Candidate[] = [
      { index: 0, tag: 'button', text: 'Place order', accessibleName: 'Place order', isButton: true, classes: ['btn'] },
      { index: 1, tag: 'button', text: 'Place order', accessibleName: 'Place order', isButton: true, classes: ['btn'] },
      { index: 2, tag: 'button', text: 'Cancel', accessibleName: 'Cancel', isButton: true },
    ];
    const { llm } = layer({ minSupport: 0.3, models: ['a', 'b'] });
    server.answer = (r) => (r.model === 'a' ? pick('Cancel')(r) : { json: { index: 1, reason: 'the second one is in the checkout form' } });
    const out = await llm.repair(request({ candidates: torn }));
    expect(out.calls.map((c) => [c.model, c.answer])).toEqual([
      ['a', 'unsupported'],
      ['b', 'pick'],
    ]);
    expect(out.calls[0]!.error).toMatch(/probability of 0\.\d\d, below llm\.minSupport 0\.3/);
    expect(out).toMatchObject({ kind: 'pick', candidate: { index: 1 } });
  });

  it('fails (no heal) when every model fails: 429, 500 and a timeout', async () => {
    const { llm } = layer({ models: ['a', 'b', 'c'], timeoutMs: 300, breakAfter: 10 });
    server.answer = (r) => (r.model === 'a' ? { status: 429 } : r.model === 'b' ? { status: 500 } : { delayMs: 2_000, then: { json: { index: 1, reason: 'late' } } });
    const out = await llm.repair(request());
    expect(out.kind).toBe('failed');
    expect(out.calls.map((c) => c.answer)).toEqual(['error', 'error', 'error']);
    expect(out.calls.map((c) => c.error)).toEqual([expect.stringMatching(/429/), expect.stringMatching(/500/), expect.stringMatching(/time/i)]);
  });

  it('makes no call when the test has no time left for one (the deadline), and bounds the call by it', async () => {
    const { llm } = layer({ timeoutMs: 30_000 });
    expect(await llm.repair(request({ deadline: Date.now() + 500 }))).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(/no time left in the test/), calls: [] });
    expect(server.requests).toHaveLength(0);
    server.answer = () => ({ delayMs: 5_000, then: { json: { index: 1, reason: 'late' } } });
    const started = Date.now();
    const slow = await llm.repair(request({ deadline: Date.now() + 1_300 }));
    expect(slow).toMatchObject({ kind: 'failed', calls: [expect.objectContaining({ answer: 'error', error: expect.stringMatching(/no answer within 1[0-9]{3} ms/) })] });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('answers the same element and candidates from its cache, without a call', async () => {
    const { llm } = layer();
    await llm.repair(request());
    const again = await llm.repair(request({ runId: 'run-2', step: 'dblclick' }));
    expect(again).toMatchObject({ kind: 'pick', cached: true, calls: [] });
    expect(server.requests).toHaveLength(1);
    await llm.repair(request({ candidates: candidates.slice(0, 2) }));
    expect(server.requests).toHaveLength(2); // other candidates: a new question
  });

  it('stops calling when the run budget or the day budget is spent, and says so once', async () => {
    server.answer = (r) => ({ ...pick('Buy now')(r), usage: { prompt_tokens: 1_000_000, completion_tokens: 0 } }); // $1 a call at this price
    const { llm, ledger } = layer({ budgetUsd: 1.5, dailyBudgetUsd: 2.5, prices: { small: { inputPerMTok: 1, outputPerMTok: 4 } } });
    const distinct = (i: number) => request({ fingerprint: { ...old, id: `order-${i}` } });
    expect((await llm.repair(distinct(1))).kind).toBe('pick');
    expect((await llm.repair(distinct(2))).kind).toBe('pick'); // $1 spent < $1.5: one more
    const stopped = await llm.repair(distinct(3));
    expect(stopped).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(/budget of this run is spent/), calls: [] });
    await llm.repair(distinct(4));
    expect(server.requests).toHaveLength(2);
    expect(warnings.filter((w) => /budget/.test(w))).toHaveLength(1);
    expect(await ledger.spent('run-1')).toEqual({ run: 2, day: 2 });
    // Another run of the same day: $0.5 left of the day.
    expect((await llm.repair(request({ runId: 'run-2', fingerprint: { ...old, id: 'order-5' } }))).kind).toBe('pick');
    expect(await llm.repair(request({ runId: 'run-2', fingerprint: { ...old, id: 'order-6' } }))).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(/budget of today/) });
  });

  it('opens the breaker after failures in a row (no calls), and closes it when the endpoint is back', async () => {
    const { llm } = layer({ breakAfter: 2, halfOpenAfterMs: 300 });
    server.answer = () => ({ status: 500 });
    const distinct = (i: number) => request({ fingerprint: { ...old, id: `order-${i}` } });
    expect((await llm.repair(distinct(1))).kind).toBe('failed');
    expect((await llm.repair(distinct(2))).kind).toBe('failed');
    const open = await llm.repair(distinct(3));
    expect(open).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(/breaker is open/) });
    expect(server.requests).toHaveLength(2);
    server.answer = pick('Buy now');
    await new Promise((r) => setTimeout(r, 350));
    expect((await llm.repair(distinct(4))).kind).toBe('pick');
    expect((await llm.repair(distinct(5))).kind).toBe('pick');
    expect(server.requests).toHaveLength(4);
  });

  it('starts with the cheapest model and shifts to the model that succeeds as its heals are learned', async () => {
    const executions: StrategyExecution[] = [];
    const { llm } = layer({ models: ['cheap', 'good'], prices: { cheap: { inputPerMTok: 0.1, outputPerMTok: 0.4 }, good: { inputPerMTok: 2, outputPerMTok: 8 } } }, executions);
    server.answer = (r) => (r.model === 'cheap' ? { text: 'I think it is the second one.' } : pick('Buy now')(r));
    const firstAsked: string[] = [];
    for (let i = 0; i < 20; i++) {
      const before = server.requests.length;
      const out = await llm.repair(request({ runId: `run-${i}`, fingerprint: { ...old, id: `order-${i}` } }));
      firstAsked.push(server.requests[before]!.model);
      // What the reporter learns from the run's heal (src/learning/strategies.ts executionsOfRun).
      const heal = { strategy: out.kind === 'pick' ? 'llm' : 'relocate', outcome: out.kind === 'pick' ? 'healed' : 'abstained', review: 'pending', category: 'selector_missing', from: { selector: '#x', code: 'x' }, durationMs: 1, at: new Date().toISOString(), llm: { cached: false, calls: out.calls } } as unknown as HealEvent;
      executions.push(...executionsOfRun('p', `run-${i}`, [heal], []));
    }
    expect(firstAsked[0]).toBe('cheap');
    expect(firstAsked.slice(10).filter((m) => m === 'good').length).toBeGreaterThanOrEqual(8);
  });
});

describe('failure summaries', () => {
  const pattern = { id: 'fp-1', project: 'p', category: 'timeout', signatures: ['Timeout waiting for getByRole(button)'], count: 3, firstSeen: '2026-12-01T00:00:00.000Z', lastSeen: '2026-12-01T00:00:00.000Z', runs: ['r'], tests: ['a.spec.ts › buys'], features: [], examples: ['Timeout 5000ms exceeded. password=hunter2'], knownFixes: [] } as never;

  it('summarises a pattern once per pattern and model, masking secrets', async () => {
    server.answer = () => ({ json: { hypothesis: 'The checkout API got slower.', suggestedFix: 'Wait for the order response before clicking.' } });
    const { llm } = layer();
    const first = await llm.summarize(pattern, 'r');
    expect(first).toMatchObject({ kind: 'summary', cached: false, summary: { model: 'small', hypothesis: 'The checkout API got slower.' } });
    expect(JSON.stringify(server.requests[0]!.messages)).not.toContain('hunter2');
    expect(await llm.summarize(pattern, 'r2')).toMatchObject({ kind: 'summary', cached: true, calls: [] });
    expect(server.requests).toHaveLength(1);
  });
});
