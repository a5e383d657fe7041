import { describe, expect, it } from 'vitest';
import { mergeSelector, type SelectorObservation } from './catalog.js';
import { WorkerCatalog } from './workerCatalog.js';

const at = (minute: number) => `2026-11-24T10:${String(minute).padStart(2, '0')}:00.000Z`;
const HOUR = 60 * 60 * 1000;

function observe(overrides: Partial<SelectorObservation> = {}): SelectorObservation {
  return { selector: '#save', code: "locator('#save')", pageKey: '/cart', outcome: 'worked', fingerprint: { tag: 'button', text: 'Save' }, at: at(0), ...overrides };
}

describe('WorkerCatalog.fresh', () => {
  it('is true only for a fingerprint captured within maxAgeMs, and a step counted without one does not renew it', () => {
    let record = mergeSelector(undefined, 'shop', observe());
    record = mergeSelector(record, 'shop', observe({ fingerprint: undefined, at: at(50) }));
    expect(record).toMatchObject({ capturedAt: at(0), lastWorking: at(50), timesUsed: 2 });
    const catalog = new WorkerCatalog('shop', [record]);
    expect(catalog.fresh('/cart', '#save', new Date(at(30)), HOUR)).toBe(true);
    expect(catalog.fresh('/cart', '#save', new Date(Date.parse(at(0)) + HOUR + 1), HOUR)).toBe(false);
    expect(catalog.fresh('/products', '#save', new Date(at(30)), HOUR)).toBe(false);
  });

  it('is false for a record without a capture time (older records) or without a fingerprint', () => {
    const { capturedAt: _, ...old } = mergeSelector(undefined, 'shop', observe());
    const failed = mergeSelector(undefined, 'shop', observe({ selector: '#gone', outcome: 'failed', fingerprint: undefined }));
    const catalog = new WorkerCatalog('shop', [old, failed]);
    expect(catalog.fresh('/cart', '#save', new Date(at(1)), HOUR)).toBe(false);
    expect(catalog.fresh('/cart', '#gone', new Date(at(1)), HOUR)).toBe(false);
  });
});

describe('WorkerCatalog.kinWithFixes', () => {
  it('lists the direct parents and children of an element on the same page that have a fix there', () => {
    const link = { tag: 'a', xpath: '/html[1]/body[1]/nav[1]/a[2]' };
    const badge = observe({ selector: '#count', code: "locator('#count')", fingerprint: { tag: 'span', xpath: '/html[1]/body[1]/nav[1]/a[2]/span[1]' } });
    const healed = observe({ ...badge, outcome: 'healed', healedTo: { selector: 'internal:testid=[data-testid="count"s]', code: "getByTestId('count')" }, at: at(1) });
    const records = [
      mergeSelector(mergeSelector(undefined, 'shop', badge), 'shop', healed),
      mergeSelector(undefined, 'shop', observe({ selector: 'nav', code: "locator('nav')", fingerprint: { tag: 'nav', xpath: '/html[1]/body[1]/nav[1]' } })), // no fix
      mergeSelector(mergeSelector(undefined, 'shop', { ...badge, pageKey: '/other' }), 'shop', { ...healed, pageKey: '/other' }), // another page
    ];
    const catalog = new WorkerCatalog('shop', records);
    expect(catalog.kinWithFixes('/cart', link)).toEqual([
      { from: { selector: '#count', code: "locator('#count')" }, fix: { selector: 'internal:testid=[data-testid="count"s]', code: "getByTestId('count')" }, relation: 'child' },
    ]);
    expect(catalog.kinWithFixes('/cart', { tag: 'a', xpath: '/html[1]/body[1]/main[1]/a[1]' })).toEqual([]);
  });
});
