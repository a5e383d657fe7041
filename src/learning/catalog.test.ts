import { describe, expect, it } from 'vitest';
import { SET_SAMPLE_SIZE } from '../healing/setFingerprint.js';
import { mergeSelector, pageKey, selectorKey, selectorRecordSchema, type SelectorObservation, type SelectorRecord } from './catalog.js';

const SAVE = { selector: 'internal:role=button[name="Save"i]', code: "getByRole('button', { name: 'Save' })" };
const ALT_A = { selector: '#save', code: "locator('#save')" };
const ALT_B = { selector: 'internal:text="Save"i', code: "getByText('Save')" };
const at = (second: number) => `2026-11-24T10:00:${String(second).padStart(2, '0')}.000Z`;

function observe(overrides: Partial<SelectorObservation> = {}): SelectorObservation {
  return { ...SAVE, pageKey: '/cart', outcome: 'worked', fingerprint: { tag: 'button', text: 'Save' }, at: at(1), ...overrides };
}

function mergeAll(observations: SelectorObservation[], previous?: SelectorRecord): SelectorRecord {
  return observations.reduce<SelectorRecord | undefined>((record, o) => mergeSelector(record, 'shop', o), previous)!;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('mergeSelector', () => {
  it('starts a record from its first observation', () => {
    const record = mergeSelector(undefined, 'shop', observe());
    expect(record).toEqual({
      project: 'shop',
      pageKey: '/cart',
      ...SAVE,
      fingerprint: { tag: 'button', text: 'Save' },
      confidence: 0.625,
      timesUsed: 1,
      failureCount: 0,
      lastWorking: at(1),
      lastSeen: at(1),
      alternatives: [],
      capturedAt: at(1),
    });
    expect(selectorRecordSchema.parse(record)).toEqual(record);
  });

  it('keeps the page state with the fingerprint it was captured with, and drops it with that fingerprint', () => {
    const cart = { url: '/cart?coupon=1', storage: { local: { 'shop.cart': '[{"id":"p1"}]' }, session: {} } };
    const first = mergeSelector(undefined, 'shop', observe({ state: cart }));
    expect(first.state).toEqual(cart);
    // A use without a capture keeps it; an older capture arriving late does not replace it.
    expect(mergeSelector(first, 'shop', observe({ fingerprint: undefined, at: at(2) })).state).toEqual(cart);
    expect(mergeSelector(first, 'shop', observe({ state: { url: '/old' }, at: at(0) })).state).toEqual(cart);
    // A newer fingerprint without a state (a worker with preflightState 'off') takes it away.
    const newer = mergeSelector(first, 'shop', observe({ fingerprint: { tag: 'button', text: 'Save now' }, at: at(3) }));
    expect(newer).not.toHaveProperty('state');
    expect(mergeSelector(first, 'shop', observe({ state: { url: '/cart' }, at: at(3) })).state).toEqual({ url: '/cart' });
    expect(selectorRecordSchema.parse(first)).toEqual(first);
    // A list's latest sample brings its own.
    const members = [{ tag: 'li', text: 'Lamp' }];
    const list = mergeSelector(first, 'shop', observe({ fingerprint: undefined, set: { count: 2, members, shared: { classes: [], testIds: {} } }, state: { url: '/cart?page=2' }, at: at(4) }));
    expect(list.state).toEqual({ url: '/cart?page=2' });
  });

  it('starts a record from a failure with half the starting confidence and no working time', () => {
    const record = mergeSelector(undefined, 'shop', observe({ outcome: 'failed', fingerprint: undefined }));
    expect(record).toMatchObject({ confidence: 0.25, timesUsed: 0, failureCount: 1, lastWorking: null, fingerprint: null });
  });

  it('raises confidence by a quarter of the remaining doubt per success, never above 1', () => {
    let record = mergeSelector(undefined, 'shop', observe());
    const seen = [record.confidence];
    for (let i = 2; i < 60; i++) {
      record = mergeSelector(record, 'shop', observe({ at: at(i) }));
      seen.push(record.confidence);
    }
    expect(seen[1]).toBeCloseTo(0.625 + 0.375 * 0.25);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(record.confidence).toBeLessThanOrEqual(1);
    expect(record.confidence).toBeGreaterThan(0.99);
    expect(record.timesUsed).toBe(59);
  });

  it('halves confidence per failure, never below 0', () => {
    let record = mergeSelector(undefined, 'shop', observe());
    for (let i = 2; i < 40; i++) record = mergeSelector(record, 'shop', observe({ outcome: 'failed', at: at(i) }));
    expect(record.confidence).toBeGreaterThanOrEqual(0);
    expect(record.confidence).toBeLessThan(1e-9);
    expect(record.failureCount).toBe(38);
    expect(record.lastWorking).toBe(at(1));
    expect(record.lastSeen).toBe(at(39));
  });

  it('counts a heal as a failure and its target as an alternative, most used first', () => {
    const record = mergeAll([
      observe({ outcome: 'healed', healedTo: ALT_B, at: at(1) }),
      observe({ outcome: 'healed', healedTo: ALT_A, at: at(2) }),
      observe({ outcome: 'healed', healedTo: { ...ALT_A, code: "page.locator('#save')" }, at: at(3) }),
    ]);
    expect(record).toMatchObject({ timesUsed: 0, failureCount: 3, lastWorking: null });
    expect(record.alternatives).toEqual([
      { selector: ALT_A.selector, code: "page.locator('#save')", timesUsed: 2, lastUsed: at(3) },
      { ...ALT_B, timesUsed: 1, lastUsed: at(1) },
    ]);
  });

  it('breaks a tie between alternatives by the most recently used', () => {
    const record = mergeAll([observe({ outcome: 'healed', healedTo: ALT_A, at: at(1) }), observe({ outcome: 'healed', healedTo: ALT_B, at: at(2) })]);
    expect(record.alternatives.map((a) => a.selector)).toEqual([ALT_B.selector, ALT_A.selector]);
  });

  it('keeps the newer fingerprint and code when an older observation arrives late', () => {
    const newer = mergeSelector(undefined, 'shop', observe({ fingerprint: { tag: 'button', text: 'Save now' }, code: 'new code', at: at(5) }));
    const record = mergeSelector(newer, 'shop', observe({ fingerprint: { tag: 'button', text: 'Save' }, code: 'old code', at: at(2) }));
    expect(record).toMatchObject({ fingerprint: { text: 'Save now' }, code: 'new code', lastSeen: at(5), lastWorking: at(5), timesUsed: 2 });
  });

  it('takes a late fingerprint when it has none yet', () => {
    const failed = mergeSelector(undefined, 'shop', observe({ outcome: 'failed', fingerprint: undefined, at: at(5) }));
    const record = mergeSelector(failed, 'shop', observe({ at: at(2) }));
    expect(record).toMatchObject({ fingerprint: { tag: 'button', text: 'Save' }, lastWorking: at(2), lastSeen: at(5) });
  });

  it('keeps the fingerprint when an observation has none', () => {
    const record = mergeAll([observe(), observe({ fingerprint: undefined, at: at(2) })]);
    expect(record.fingerprint).toEqual({ tag: 'button', text: 'Save' });
  });

  it('remembers the slowest a working step took, and reads records written before it existed', () => {
    const record = mergeAll([observe(), observe({ waitedMs: 2400, at: at(2) }), observe({ waitedMs: 1200, at: at(3) }), observe({ at: at(4) })]);
    expect(record.slowestMs).toBe(2400);
    expect(mergeAll([observe()]).slowestMs).toBeUndefined();
    const { slowestMs: _, ...old } = record;
    expect(selectorRecordSchema.parse(old).slowestMs).toBeUndefined();
  });

  it("keeps a slow step's time without counting the step again: uses and confidence are its own observation's", () => {
    const once = mergeAll([observe(), observe({ outcome: 'failed', at: at(2) })]);
    const slow = mergeAll([observe(), observe({ outcome: 'failed', at: at(2) }), observe({ outcome: 'slow', fingerprint: undefined, waitedMs: 3000, at: at(3) })]);
    expect(slow).toEqual({ ...once, slowestMs: 3000, lastWorking: at(3), lastSeen: at(3) });
  });

  it('counts the same whatever the order of the observations', () => {
    const observations = [
      observe({ at: at(1) }),
      observe({ outcome: 'failed', at: at(2) }),
      observe({ outcome: 'healed', healedTo: ALT_A, at: at(3) }),
      observe({ at: at(4) }),
    ];
    const forward = mergeAll(observations);
    const backward = mergeAll([...observations].reverse());
    for (const field of ['timesUsed', 'failureCount', 'lastWorking', 'lastSeen', 'alternatives', 'fingerprint', 'code'] as const) {
      expect(backward[field]).toEqual(forward[field]);
    }
  });

  it('counts a run once, however many workers and shards saw the selector in it', () => {
    const one = mergeAll([observe({ run: 'build-7', at: at(1) }), observe({ run: 'build-7', at: at(2) }), observe({ run: 'build-7', at: at(3) })]);
    expect(one).toMatchObject({ timesUsed: 1, failureCount: 0, confidence: 0.625, runs: [{ key: 'build-7', before: 0.5, worked: true, failed: false }] });
    // The next run counts again.
    expect(mergeAll([observe({ run: 'build-8', at: at(4) }), observe({ run: 'build-8', at: at(5) })], one)).toMatchObject({ timesUsed: 2, confidence: 0.71875 });
    // Failures and heals of one run: one failure, one fall.
    const failing = mergeAll([observe({ run: 'r', outcome: 'failed' }), observe({ run: 'r', outcome: 'healed', healedTo: ALT_A }), observe({ run: 'r', outcome: 'failed' })]);
    expect(failing).toMatchObject({ timesUsed: 0, failureCount: 1, confidence: 0.25 });
    expect(failing.alternatives).toEqual([{ ...ALT_A, timesUsed: 1, lastUsed: at(1) }]);
  });

  it('counts each of two builds writing at the same time once', () => {
    const a = (o: Partial<SelectorObservation>) => observe({ run: 'build-a', ...o });
    const b = (o: Partial<SelectorObservation>) => observe({ run: 'build-b', ...o });
    const interleaved = mergeAll([a({}), b({ outcome: 'failed' }), a({}), a({ outcome: 'failed' }), b({}), b({ outcome: 'failed' })]);
    expect(interleaved).toMatchObject({ timesUsed: 2, failureCount: 2 });
    expect(interleaved.runs?.map((r) => [r.key, r.worked, r.failed])).toEqual([
      ['build-b', true, true],
      ['build-a', true, true],
    ]);
    // Only the newest runs are remembered.
    const many = mergeAll(Array.from({ length: 12 }, (_, i) => observe({ run: `r${i}` })));
    expect(many.runs).toHaveLength(8);
    expect(many.timesUsed).toBe(12);
  });

  it('gives a run that worked and failed one rise then one fall, whichever was told first', () => {
    const worked = observe({ run: 'r', at: at(1) });
    const failed = observe({ run: 'r', outcome: 'failed', fingerprint: undefined, at: at(2) });
    const start = mergeAll([observe({ run: 'before' })]);
    const a = mergeAll([worked, failed, worked], start);
    const b = mergeAll([failed, worked, failed], start);
    expect(a).toMatchObject({ timesUsed: 2, failureCount: 1, confidence: (0.625 + 0.375 * 0.25) * 0.5 });
    expect([b.timesUsed, b.failureCount, b.confidence]).toEqual([a.timesUsed, a.failureCount, a.confidence]);
    // A slow step's time is not a use: it changes nothing of the run's count.
    expect(mergeAll([observe({ run: 'r', outcome: 'slow', waitedMs: 9000, fingerprint: undefined })], a)).toMatchObject({ timesUsed: 2, failureCount: 1, confidence: a.confidence, slowestMs: 9000 });
  });

  it('changes neither the previous record nor the observation', () => {
    const previous = deepFreeze(mergeAll([observe(), observe({ outcome: 'healed', healedTo: ALT_A, at: at(2) })]));
    const observation = deepFreeze(observe({ outcome: 'healed', healedTo: ALT_A, at: at(3) }));
    expect(() => mergeSelector(previous, 'shop', observation)).not.toThrow();
    expect(mergeSelector(previous, 'shop', observation).alternatives[0]!.timesUsed).toBe(2);
  });

  it('refuses an invalid observation, naming the field', () => {
    expect(() => mergeSelector(undefined, 'shop', observe({ at: 'yesterday' }))).toThrow(/at/);
    expect(() => mergeSelector(undefined, 'shop', observe({ selector: '' }))).toThrow(/selector/);
  });
});

describe('mergeSelector: set samples', () => {
  const LIST = { selector: 'internal:testid=[data-testid="card"s]', code: "getByTestId('card')" };
  const sample = (count: number, text: string) => ({
    count,
    members: [{ tag: 'li', text }, { tag: 'li', text: `${text} 2` }],
    shared: { tag: 'li', classes: [], testIds: { 'data-testid': 'card' } },
  });

  it('adds up the samples of a list, the newest members and count first, also when an older one arrives late', () => {
    const record = mergeAll([
      observe({ ...LIST, fingerprint: undefined, set: sample(12, 'a'), at: at(1) }),
      observe({ ...LIST, fingerprint: undefined, set: sample(3, 'b'), at: at(3) }),
      observe({ ...LIST, fingerprint: undefined, set: sample(5, 'c'), at: at(2) }),
      observe({ ...LIST, fingerprint: undefined, at: at(4) }),
    ]);
    expect(record.set?.count).toBe(3);
    expect(record.set?.members.map((m) => m.text)).toEqual(['b', 'b 2', 'a', 'a 2', 'c', 'c 2']);
    expect(selectorRecordSchema.parse(record)).toEqual(record);
  });

  it('keeps at most SET_SAMPLE_SIZE members, and a sample that adds nothing changes nothing', () => {
    let record = mergeAll([observe({ ...LIST, fingerprint: undefined, set: sample(2, 'a'), at: at(1) })]);
    for (let i = 2; i < 12; i++) record = mergeSelector(record, 'shop', observe({ ...LIST, fingerprint: undefined, set: sample(2, `m${i}`), at: at(i) }));
    expect(record.set?.members).toHaveLength(SET_SAMPLE_SIZE);
    expect(record.set?.members[0]!.text).toBe('m11');
    const again = mergeSelector(record, 'shop', observe({ ...LIST, fingerprint: undefined, set: { ...record.set!, count: 4 }, at: at(20) }));
    expect(again.set).toEqual({ ...record.set, count: 4 });
  });

  it('reads records from before set samples (no set field)', () => {
    const record = mergeSelector(undefined, 'shop', observe());
    expect('set' in record).toBe(false);
    expect(selectorRecordSchema.parse(JSON.parse(JSON.stringify(record)))).toEqual(record);
  });

  it('refuses a sample of fewer than two elements', () => {
    expect(() => mergeSelector(undefined, 'shop', observe({ set: { ...sample(1, 'a') } }))).toThrow();
  });
});

describe('pageKey', () => {
  it.each([
    ['http://localhost:3000/orders/42?tab=1#top', '/orders/:id'],
    ['https://shop.example.com/', '/'],
    ['https://shop.example.com', '/'],
    ['https://shop.example.com/users/7/orders/1234', '/users/:id/orders/:id'],
    ['https://shop.example.com/carts/5f3a9c0e1b2d4e6f7a8b', '/carts/:id'],
    ['https://shop.example.com/items/123e4567-e89b-12d3-a456-426614174000/edit', '/items/:id/edit'],
    ['https://shop.example.com/v2/products', '/v2/products'],
    ['https://shop.example.com/cafe', '/cafe'],
    ['https://shop.example.com/search/', '/search/'],
    ['about:blank', 'about:'],
    ['data:text/html,<h1>hi</h1>', 'data:'],
    ['/orders/42?tab=1', '/orders/:id'],
    ['orders/42#x', 'orders/:id'],
  ])('%s → %s', (url, key) => {
    expect(pageKey(url)).toBe(key);
  });

  it('gives the same key to the same page on another host or port', () => {
    expect(pageKey('http://localhost:3000/cart')).toBe(pageKey('https://staging.example.com/cart?x=1'));
  });
});

describe('selectorKey', () => {
  it('does not mix up keys whose parts run together', () => {
    expect(selectorKey('a', 'b/c', 'd')).not.toBe(selectorKey('a', 'b', '/cd'));
  });
});
