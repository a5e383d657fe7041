import { describe, expect, it } from 'vitest';
import { maskSecrets, parseSummaryAnswer, SUMMARY_SCHEMA, summaryAnswerSchema, summaryMessages, type SummaryInput } from './summaryPrompt.js';

describe('maskSecrets', () => {
  it('masks bearer tokens, basic credentials and password-like pairs', () => {
    expect(maskSecrets('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.def failed')).toBe('Authorization: Bearer <masked> failed');
    expect(maskSecrets('Authorization: Basic dXNlcjpwYXNzd29yZA==')).toBe('Authorization: Basic <masked>');
    expect(maskSecrets('POST /login?user=ann&password=hunter2&x=1')).toBe('POST /login?user=ann&password=<masked>&x=1');
    expect(maskSecrets('{"api_key": "abc123", "user_password":"pw"}')).toBe('{"api_key": "<masked>", "user_password":"<masked>"}');
    expect(maskSecrets('x-api-key: s3cr3t token=abc secret: xyz PWD=1')).toBe('x-api-key: <masked> token=<masked> secret: <masked> PWD=<masked>');
  });

  it('masks long random keys, hex or base64, and the key-like part of a path', () => {
    const hex = 'a3f1'.repeat(10);
    expect(maskSecrets(`session ${hex} expired`)).toBe('session <masked> expired');
    expect(maskSecrets('key sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78 denied')).toBe('key <masked> denied');
    expect(maskSecrets(`GET /api/v1/orders/${hex}/items`)).toBe('GET /api/v1/orders/<masked>/items');
  });

  it('leaves ordinary failure messages alone', () => {
    const message = [
      "Error: locator.click: Timeout 30000ms exceeded. waiting for getByLabel('Password')",
      'at tests/checkout/payment-flow/with-saved-card-and-coupon.spec.ts:42:7',
      '123e4567-e89b-12d3-a456-426614174000 basic authentication failed',
      'Unexpected token < in JSON at position 0',
    ].join('\n');
    expect(maskSecrets(message)).toBe(message);
  });
});

const pattern: SummaryInput = {
  category: 'selector_missing',
  signatures: ['locator.click: timeout waiting for getByTestId(<str>)', 'another'],
  examples: ['Error: click timed out, password=hunter2', 'second example', 'third example', 'fourth example'],
  tests: ['a.spec.ts > one', 'a.spec.ts > two', 'b.spec.ts > three', 'b.spec.ts > four', 'c.spec.ts > five', 'c.spec.ts > six', 'c.spec.ts > seven'],
  count: 12,
};

describe('summaryMessages', () => {
  it('shows the category, first signature, count, five tests, three examples masked, and known fixes', () => {
    const messages = summaryMessages({ ...pattern, knownFixes: ["heal: page.getByTestId('bag-count')"] });
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[0]!.content).toMatch(/hypothesis/);
    const user = messages[1]!.content;
    expect(user).toContain('Category: selector_missing');
    expect(user).toContain('Occurrences: 12');
    expect(user).toContain('getByTestId(<str>)');
    expect(user).not.toContain('another');
    expect(user).toContain('c.spec.ts > five');
    expect(user).not.toContain('c.spec.ts > six');
    expect(user).toContain('and 2 more');
    expect(user).toContain('third example');
    expect(user).not.toContain('fourth example');
    expect(user).toContain('password=<masked>');
    expect(user).not.toContain('hunter2');
    expect(user).toContain("page.getByTestId('bag-count')");
  });

  it('cuts examples shorter, then drops them, to fit maxChars', () => {
    const long = { ...pattern, examples: ['x'.repeat(5000), 'y'.repeat(5000), 'z'.repeat(5000)] };
    const size = (m: { content: string }[]) => m.reduce((n, x) => n + x.content.length, 0);
    const roomy = summaryMessages(long);
    expect(size(roomy)).toBeLessThanOrEqual(6000);
    expect(roomy[1]!.content).toContain('--- 3');
    expect(roomy[1]!.content).toMatch(/x{1000}…/);
    // Smaller budgets show fewer and shorter examples, never more than fits.
    let last = 3;
    for (let max = 2000; max >= 900; max -= 50) {
      const messages = summaryMessages(long, max);
      const shown = (messages[1]!.content.match(/^--- \d$/gm) ?? []).length;
      if (shown) expect(size(messages)).toBeLessThanOrEqual(max);
      expect(shown).toBeLessThanOrEqual(last);
      last = shown;
    }
    expect(last).toBeLessThan(3);
    expect(summaryMessages(long, 100)[1]!.content).not.toContain('Example failures');
  });
});

describe('parseSummaryAnswer', () => {
  it('reads {hypothesis, suggestedFix} strictly', () => {
    expect(parseSummaryAnswer('{"hypothesis": " The badge moved. ", "suggestedFix": "Use getByTestId."}')).toEqual({ ok: true, hypothesis: 'The badge moved.', suggestedFix: 'Use getByTestId.' });
    expect(parseSummaryAnswer('{"hypothesis": "", "suggestedFix": "x"}')).toMatchObject({ ok: false, error: expect.stringMatching(/^hypothesis: /) });
    expect(parseSummaryAnswer(`{"hypothesis": "${'h'.repeat(601)}", "suggestedFix": "x"}`)).toMatchObject({ ok: false, error: expect.stringMatching(/^hypothesis: /) });
    expect(parseSummaryAnswer('{"hypothesis": "h"}')).toMatchObject({ ok: false, error: expect.stringMatching(/^suggestedFix: /) });
    expect(parseSummaryAnswer('The root cause is...')).toMatchObject({ ok: false, error: expect.stringMatching(/^not JSON/) });
  });

  it('keeps SUMMARY_SCHEMA in step with the zod schema', () => {
    expect(SUMMARY_SCHEMA.name).toBe('failure_summary');
    expect(SUMMARY_SCHEMA.schema.additionalProperties).toBe(false);
    expect([...SUMMARY_SCHEMA.schema.required].sort()).toEqual(Object.keys(summaryAnswerSchema.shape).sort());
    expect(Object.keys(SUMMARY_SCHEMA.schema.properties).sort()).toEqual(Object.keys(summaryAnswerSchema.shape).sort());
  });
});
