import { describe, expect, it } from 'vitest';
import type { Candidate, Fingerprint } from '../healing/fingerprint.js';
import { compactElement, contradiction, parseRepairAnswer, REPAIR_SCHEMA, repairAnswerSchema, repairMessages } from './repairPrompt.js';

const button: Fingerprint = {
  tag: 'button',
  id: 'buy',
  classes: ['btn', 'btn-primary', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
  text: 'Add to bag',
  visibleText: 'Add to bag',
  role: 'button',
  accessibleName: 'Add to bag',
  testIds: { 'data-testid': 'add-to-bag' },
  xpath: '/html[1]/body[1]/main[1]/div[2]/button[1]',
  idXpath: "//*[@id='product']/div[2]/button[1]",
  ancestors: [{ tag: 'div', classes: ['actions', 'row', 'x'] }, { tag: 'section', id: 'product' }, { tag: 'main' }, { tag: 'body' }],
  neighbors: { above: 'Size M', left: '  Quantity   1 ', any: 'Size M Quantity 1' },
  box: { x: 10.4, y: 20.6, width: 100.2, height: 30 },
  visible: true,
  isButton: true,
};

describe('compactElement', () => {
  it('keeps what identifies the element, small', () => {
    expect(compactElement(button)).toEqual({
      tag: 'button',
      id: 'buy',
      classes: ['btn', 'btn-primary', 'a', 'b', 'c', 'd', 'e', 'f'],
      text: 'Add to bag',
      accessibleName: 'Add to bag',
      role: 'button',
      testIds: { 'data-testid': 'add-to-bag' },
      xpath: "//*[@id='product']/div[2]/button[1]",
      ancestors: ['div.actions.row', 'section#product', 'main'],
      neighbors: { above: 'Size M', left: 'Quantity 1' },
      visible: true,
      box: [10, 21, 100, 30],
    });
  });

  it('caps texts and XPaths, keeps a visible text that shows more, drops empty fields', () => {
    const long = 'word '.repeat(40);
    expect(compactElement({ text: long, visibleText: `${long} more` })).not.toHaveProperty('visibleText');
    const c = compactElement({ text: long, visibleText: `Sale! ${long}`, xpath: `/html[1]${'/div[1]'.repeat(40)}/a[3]`, classes: [], neighbors: { any: 'x '.repeat(50) }, title: '' });
    expect((c.text as string).length).toBe(80);
    expect(c.text as string).toMatch(/…$/);
    expect(c.visibleText).toBeDefined();
    expect((c.xpath as string).length).toBe(120);
    expect(c.xpath as string).toMatch(/^….*\/a\[3\]$/);
    expect((c.neighbors as { any: string }).any.length).toBeLessThanOrEqual(60);
    expect(Object.keys(c)).toEqual(['text', 'visibleText', 'xpath', 'neighbors']);
  });

  it('masks typed values and keeps only label-like ones', () => {
    for (const type of ['password', 'email', 'tel', 'text', 'search', 'number', 'hidden', undefined, 'weird']) {
      expect(compactElement({ tag: 'input', type, value: 'secret-value' }).value).toBe('<masked>');
    }
    expect(compactElement({ tag: 'textarea', value: 'my note' }).value).toBe('<masked>');
    expect(compactElement({ tag: 'input', type: 'submit', value: 'Pay now' }).value).toBe('Pay now');
    expect(compactElement({ tag: 'input', type: 'Checkbox', value: 'newsletter' }).value).toBe('newsletter');
    expect(compactElement({ tag: 'button', value: 'go' }).value).toBe('go');
    expect(compactElement({ tag: 'input', type: 'password', value: '' })).not.toHaveProperty('value');
    expect(JSON.stringify(compactElement({ tag: 'input', type: 'password', value: 'hunter2' }))).not.toContain('hunter2');
  });

  it('shows only the path of a URL', () => {
    expect(compactElement({ href: 'https://shop.example/cart/items?session=abc123#top' }).href).toBe('/cart/items');
    expect(compactElement({ href: '/checkout?token=xyz' }).href).toBe('/checkout');
    expect(compactElement({ src: '//cdn.example/img/logo.png?sig=1' }).src).toBe('/img/logo.png');
    expect(compactElement({ href: 'mailto:ann@example.com' }).href).toBe('mailto:');
    expect(compactElement({ src: `data:image/png;base64,${'A'.repeat(500)}` }).src).toBe('data:');
  });
});

describe('repairMessages', () => {
  const candidates: Candidate[] = Array.from({ length: 12 }, (_, i) => ({ ...button, id: `buy-${i}`, index: 100 + i }));
  const input = { fingerprint: button, step: 'click', locator: "page.getByTestId('add-to-bag')", candidates };

  it('asks for {index, reason} about the numbered candidates, the first maxCandidates', () => {
    const { messages, shown } = repairMessages(input);
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[0]!.content).toMatch(/same UI element/);
    expect(messages[0]!.content).toMatch(/null/);
    const user = messages[1]!.content;
    expect(user).toContain("page.getByTestId('add-to-bag')");
    expect(user).toContain('Failing step: click');
    expect(user).toContain('0: {"tag":"button","id":"buy-0"');
    expect(user).toContain('7: {');
    expect(user).not.toContain('8: {');
    expect(user).not.toContain('"index":10');
    expect(shown.map((c) => c.index)).toEqual([100, 101, 102, 103, 104, 105, 106, 107]);
    expect(repairMessages(input, { maxCandidates: 3 }).shown).toHaveLength(3);
  });

  it('drops candidates from the end until the prompt fits maxChars', () => {
    const full = repairMessages(input);
    const size = (m: { content: string }[]) => m.reduce((n, x) => n + x.content.length, 0);
    const limit = size(full.messages) - 100;
    const cut = repairMessages(input, { maxChars: limit });
    expect(cut.shown).toHaveLength(7);
    expect(size(cut.messages)).toBeLessThanOrEqual(limit);
    expect(repairMessages(input, { maxChars: 10 }).shown).toEqual([]);
  });
});

describe('parseRepairAnswer', () => {
  it('accepts a valid pick or null', () => {
    expect(parseRepairAnswer('{"index": 2, "reason": "same test id"}', 8)).toEqual({ ok: true, index: 2, reason: 'same test id' });
    expect(parseRepairAnswer('```json\n{"index": null, "reason": "none matches"}\n```', 8)).toEqual({ ok: true, index: null, reason: 'none matches' });
  });

  it('says what was wrong, never throws', () => {
    expect(parseRepairAnswer('{"index": 7, "reason": "x"}', 7)).toEqual({ ok: false, error: 'index 7 is not a candidate (7 shown)' });
    expect(parseRepairAnswer('I think 2', 8)).toMatchObject({ ok: false, error: expect.stringMatching(/^not JSON/) });
    expect(parseRepairAnswer('{"index": -1, "reason": "x"}', 8)).toMatchObject({ ok: false, error: expect.stringMatching(/^index: /) });
    expect(parseRepairAnswer('{"index": 1.5, "reason": "x"}', 8)).toMatchObject({ ok: false, error: expect.stringMatching(/^index: /) });
    expect(parseRepairAnswer('{"index": 1}', 8)).toMatchObject({ ok: false, error: expect.stringMatching(/^reason: /) });
    expect(parseRepairAnswer('{"index": 1, "reason": "x", "confidence": 0.9}', 8)).toMatchObject({ ok: false, error: expect.stringMatching(/confidence/) });
    expect(parseRepairAnswer(`{"index": 1, "reason": "${'x'.repeat(1001)}"}`, 8)).toMatchObject({ ok: false });
  });
});

describe('REPAIR_SCHEMA', () => {
  it('is strict-mode JSON schema for the same answer the zod schema reads', () => {
    const { schema } = REPAIR_SCHEMA;
    expect(REPAIR_SCHEMA.name).toBe('locator_repair');
    expect(schema.additionalProperties).toBe(false);
    expect([...schema.required].sort()).toEqual(Object.keys(schema.properties).sort());
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(repairAnswerSchema.shape).sort());
    expect(schema.properties.index.type).toEqual(['integer', 'null']);
  });
});

describe('contradiction', () => {
  const text: Fingerprint = { tag: 'input', type: 'text' };
  it('names a different tag', () => {
    expect(contradiction(text, { tag: 'select' })).toBe('the model picked a <select>, the element was an <input type="text">');
    expect(contradiction({ tag: 'button' }, { tag: 'div' })).toBe('the model picked a <div>, the element was a <button>');
  });

  it('lets the usual redesigns through', () => {
    expect(contradiction({ tag: 'button' }, { tag: 'input', type: 'submit' })).toBeUndefined();
    expect(contradiction({ tag: 'input', type: 'reset' }, { tag: 'button' })).toBeUndefined();
    expect(contradiction({ tag: 'a' }, { tag: 'button' })).toBeUndefined();
    expect(contradiction({ tag: 'div', role: 'button' }, { tag: 'button', role: 'button' })).toBeUndefined();
    expect(contradiction({ tag: 'input', type: 'text', role: 'textbox' }, { tag: 'textarea', role: 'textbox' })).toBeUndefined();
    expect(contradiction({ tag: 'div', role: 'generic' }, { tag: 'span', role: 'generic' })).toBeDefined();
    expect(contradiction({ tag: 'button' }, { tag: 'input' })).toBeDefined();
  });

  it('keeps two inputs in one family of types', () => {
    expect(contradiction(text, { tag: 'input', type: 'email' })).toBeUndefined();
    expect(contradiction({ tag: 'input', type: 'number' }, { tag: 'input', type: 'range' })).toBeUndefined();
    expect(contradiction({ tag: 'input', type: 'date' }, { tag: 'input', type: 'datetime-local' })).toBeUndefined();
    expect(contradiction(text, { tag: 'input', type: 'password' })).toBe('the model picked an <input type="password">, the element was an <input type="text">');
    expect(contradiction(text, { tag: 'input', type: 'checkbox' })).toBeDefined();
    expect(contradiction({ tag: 'input', type: 'checkbox' }, { tag: 'input', type: 'radio' })).toBeDefined();
  });

  it('judges only what both sides know', () => {
    expect(contradiction({}, { tag: 'select' })).toBeUndefined();
    expect(contradiction(text, { tag: 'input' })).toBeUndefined();
    expect(contradiction({ tag: 'span', text: 'Add' }, { tag: 'span', text: 'Remove' })).toBeUndefined();
  });
});

describe('compactElement and secrets', () => {
  it('masks what looks like a secret in texts, and keeps only the path of a frame URL', () => {
    const token = 'sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78';
    const out = compactElement({ tag: 'code', text: `Your key: ${token}`, neighbors: { right: `Copy ${token}` }, frames: ['https://pay.example.test/checkout/frame?session=abc123&key=s3cr3t#x', 'payment'] });
    expect(JSON.stringify(out)).not.toContain(token);
    expect(out).toMatchObject({ text: 'Your key: <masked>', neighbors: { right: 'Copy <masked>' }, frames: ['/checkout/frame', 'payment'] });
  });
});

