import { describe, expect, it } from 'vitest';
import type { Candidate } from '../src/healing/fingerprint.js';
import { summarize, type CaseResult } from './evaluate.js';
import { askOnAbstained, plausibleWrong, summarizeLlm, withLlm } from './llm-layer.js';
import type { BenchCase } from './load.js';

const benchCase = (id: string, target: BenchCase['target'], candidates: Omit<Candidate, 'index'>[], expected: number): BenchCase => ({
  id,
  app: 'Synthetic',
  target,
  candidates: candidates.map((c, index) => ({ ...c, index })),
  expected,
  accept: [expected],
});
const CASES: BenchCase[] = [
  // Two buttons alike: the oracle names the right one, the wrong server the other button.
  benchCase('buttons', { tag: 'button', text: 'Buy', classes: ['btn'], xpath: '/html/body/button[1]' }, [
    { tag: 'button', text: 'Buy now', classes: ['btn'], xpath: '/html/body/button[1]' },
    { tag: 'button', text: 'Buy it', classes: ['btn'], xpath: '/html/body/button[2]' },
  ], 1),
  // The only other candidate is a <select>: the wrong pick contradicts the old <input type="text">.
  benchCase('input', { tag: 'input', type: 'text', name: 'q', xpath: '/html/body/input' }, [
    { tag: 'select', name: 'country', xpath: '/html/body/select' },
    { tag: 'input', type: 'search', name: 'query', xpath: '/html/body/form/input' },
  ], 1),
  // Ten look-alikes push the right link out of the top 8: the oracle cannot name it.
  benchCase('hidden', { tag: 'a', id: 'orders', text: 'Orders', href: '/orders', xpath: '/html/body/nav/a[1]' }, [
    ...Array.from({ length: 10 }, (_, i) => ({ tag: 'a', id: 'orders', text: 'Orders', href: '/orders', xpath: `/html/body/div[${i + 1}]/a` })),
    { tag: 'a', text: 'Purchases', href: '/purchases', xpath: '/html/body/nav/a[1]' },
  ], 10),
  // The ranker healed this one: the layer is not asked.
  benchCase('healed', { tag: 'a', text: 'Home' }, [{ tag: 'a', text: 'Home' }], 0),
];
const RANKED: CaseResult[] = CASES.map((c) => {
  const heal = c.id === 'healed';
  return { id: c.id, app: c.app, pick: heal ? 0 : undefined, heal, confidence: heal ? 0.99 : 0.4, margin: 0, strict: heal, lenient: heal, ms: 0 };
});

describe('the LLM layer on abstained cases (real createLlm, openai SDK, local server)', () => {
  it('oracle: heals the shown right elements, answers none when the right one is not shown', async () => {
    const results = await askOnAbstained(CASES, RANKED, 'oracle');
    expect(results.map((r) => r.id)).toEqual(['buttons', 'input', 'hidden']);
    expect(summarizeLlm(results)).toMatchObject({ abstained: 3, recalled: 2, heals: 2, correct: 2, wrong: 0, none: 1, contradicted: 0, otherFailures: 0 });
    expect(results.find((r) => r.id === 'hidden')).toMatchObject({ shown: 8, recalled: false, outcome: 'none' });
    const alone = summarize(RANKED);
    const withOracle = summarize(withLlm(RANKED, results));
    expect(alone).toMatchObject({ heals: 1, wrong: 0 });
    expect(withOracle).toMatchObject({ heals: 3, wrong: 0, precision: 1 });
  });

  it('wrong: a pick that contradicts the element, or that the ranker finds unlikely, is rejected: no wrong heal', async () => {
    const results = await askOnAbstained(CASES, RANKED, 'wrong');
    expect(summarizeLlm(results)).toMatchObject({ abstained: 3, heals: 0, wrong: 0, contradicted: 1, unsupported: 2, accuracy: 0 });
    expect(results.find((r) => r.id === 'input')).toMatchObject({ outcome: 'failed', rejected: 'contradicted', pick: undefined });
    expect(results.find((r) => r.id === 'buttons')).toMatchObject({ outcome: 'failed', rejected: 'unsupported', pick: undefined });
    expect(summarize(withLlm(RANKED, results))).toMatchObject({ heals: 1, wrong: 0 });
    // Without the ranker's support the same wrong pick heals, and counts as wrong.
    const unguarded = await askOnAbstained(CASES, RANKED, 'wrong', { minSupport: 0 });
    expect(unguarded.find((r) => r.id === 'buttons')).toMatchObject({ outcome: 'pick', pick: 0, strict: false });
    expect(summarize(withLlm(RANKED, unguarded))).toMatchObject({ wrong: 2 });
  });
});

it('plausibleWrong: the most alike by tag and type, never an excluded one; none without another', () => {
  const shown = [{ tag: 'div' }, { tag: 'input', type: 'search' }, { tag: 'input', type: 'text' }];
  const old = { tag: 'input', type: 'text' };
  expect(plausibleWrong(old, shown, new Set())).toBe(2);
  expect(plausibleWrong(old, shown, new Set([JSON.stringify(shown[2])]))).toBe(1);
  expect(plausibleWrong(old, [shown[2]!], new Set([JSON.stringify(shown[2])]))).toBeUndefined();
});
