import { describe, expect, it } from 'vitest';
import { grepOf, testListFile, testListLine } from './plan.js';
import type { TestRisk } from './riskReport.js';
import { RISK_FACTORS } from './factors.js';

const none = Object.fromEntries(RISK_FACTORS.map((f) => [f, 0])) as TestRisk['factors'];

const risk = (titlePath: string[], file = 'cart.spec.ts', projectName = 'chromium'): TestRisk => ({
  testKey: [projectName, file, ...titlePath].join(' › '), title: titlePath.at(-1)!, titlePath, file, projectName, score: 0.5, factors: none, top: [],
});

describe('test list', () => {
  it('writes the lines Playwright --test-list reads: [project] › file › describe › title', () => {
    expect(testListLine(risk(['cart', 'adds a product']))).toBe('[chromium] › cart.spec.ts › cart › adds a product');
    expect(testListLine(risk(['adds'], 'a.spec.ts', ''))).toBe('a.spec.ts › adds');
  });

  it('keeps the order given and leaves out titles Playwright could not read back', () => {
    const text = testListFile([risk(['b']), risk(['a › b']), risk(['a'])]);
    expect(text.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['[chromium] › cart.spec.ts › b', '[chromium] › cart.spec.ts › a']);
  });

  it('builds a --grep that matches the titles exactly, tags allowed after them', () => {
    const grep = new RegExp(grepOf([risk(['cart', 'adds (1) item']), risk(['pays $5'])]));
    expect(grep.test('chromium cart.spec.ts cart adds (1) item')).toBe(true);
    expect(grep.test('chromium cart.spec.ts cart adds (1) item @smoke')).toBe(true);
    expect(grep.test('chromium cart.spec.ts pays $5')).toBe(true);
    expect(grep.test('chromium cart.spec.ts cart adds (1) item twice')).toBe(false);
    expect(grepOf([])).toBe('');
  });
});
