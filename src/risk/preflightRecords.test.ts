import { describe, expect, it } from 'vitest';
import type { SelectorRecord } from '../learning/catalog.js';
import { medicConfigSchema } from '../config/schema.js';
import { preflightRecords, sameContent } from './preflight.js';

const now = new Date('2026-12-01T00:00:00.000Z');
const record = (code: string, over: Partial<SelectorRecord> = {}): SelectorRecord => ({
  selector: code, code, project: 'p', pageKey: '/', fingerprint: { version: 1, tag: 'button' }, confidence: 0.9, timesUsed: 3, failureCount: 0, lastWorking: '2026-11-30T00:00:00.000Z', lastSeen: '2026-11-30T00:00:00.000Z', alternatives: [], ...over,
});
const fresh = record('fresh');
const old = record('old', { lastWorking: '2026-10-01T00:00:00.000Z' });
const falling = record('falling', { confidence: 0.5, runs: [{ key: 'r', before: 0.7, worked: false, failed: true }] });

describe('pre-flight records', () => {
  it('auto: only the stale selectors, and only when some test is at the risk that calls for it', () => {
    expect(preflightRecords([fresh, old, falling], 0.6, 'auto', 0.5, now).map((r) => r.code)).toEqual(['old', 'falling']);
    expect(preflightRecords([fresh, old, falling], 0.4, 'auto', 0.5, now)).toEqual([]);
  });

  it('always: every selector, the stale first; off: none', () => {
    expect(preflightRecords([fresh, old, falling], 0, 'always', 0.5, now).map((r) => r.code)).toEqual(['old', 'falling', 'fresh']);
    expect(preflightRecords([fresh, old], 1, 'off', 0.5, now)).toEqual([]);
  });

  it('is configured as auto, always or off (true and false mean auto and off)', () => {
    const risk = (preflight: unknown) => medicConfigSchema.parse({ risk: { preflight } }).risk.preflight;
    expect(risk(undefined)).toBe('auto');
    expect(risk(true)).toBe('auto');
    expect(risk(false)).toBe('off');
    expect(risk('always')).toBe('always');
    expect(() => risk('sometimes')).toThrow();
  });
});

describe('pre-flight content check', () => {
  it('heals before the suite only an element that still shows what it showed', () => {
    const fp = (over: object) => ({ version: 1, tag: 'h1', ...over });
    expect(sameContent(fp({ visibleText: 'Thank you for your order!' }), fp({ visibleText: 'No recent order' }))).toBe(false);
    expect(sameContent(fp({ visibleText: 'Save' }), fp({ visibleText: ' save ', id: 'save-settings' }))).toBe(true);
    expect(sameContent(fp({ placeholder: 'Search products' }), fp({ accessibleName: 'Search products' }))).toBe(true);
    expect(sameContent(fp({ tag: 'div' }), fp({ tag: 'section' }))).toBe(true); // nothing to compare
  });
});
