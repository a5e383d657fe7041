import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parseAnswer, parseStrictJson } from './strictJson.js';

describe('parseStrictJson', () => {
  it('takes one JSON object, with surrounding whitespace or one ```json fence', () => {
    expect(parseStrictJson(' {"index": 1, "reason": "same"}\n')).toEqual({ ok: true, value: { index: 1, reason: 'same' } });
    expect(parseStrictJson('```json\n{"index": null}\n```')).toEqual({ ok: true, value: { index: null } });
    expect(parseStrictJson('```\n{"index": 0}\n```')).toEqual({ ok: true, value: { index: 0 } });
  });

  it('refuses prose around the object, two fences, arrays, scalars and empty answers', () => {
    expect(parseStrictJson('Sure! {"index": 1}')).toMatchObject({ ok: false, error: expect.stringMatching(/^not JSON: "Sure!/) });
    expect(parseStrictJson('```json\n{"index": 1}\n```\nHope this helps')).toMatchObject({ ok: false, error: expect.stringMatching(/^not JSON/) });
    expect(parseStrictJson('```json\n```json\n{"index": 1}\n```\n```')).toMatchObject({ ok: false });
    expect(parseStrictJson('[1]')).toMatchObject({ ok: false, error: expect.stringMatching(/^not a JSON object/) });
    expect(parseStrictJson('null')).toMatchObject({ ok: false, error: expect.stringMatching(/^not a JSON object/) });
    expect(parseStrictJson('  ')).toEqual({ ok: false, error: 'empty answer' });
  });

  it('keeps the error short for a long answer', () => {
    const result = parseStrictJson(`x${'y'.repeat(5000)}`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.length).toBeLessThan(100);
  });
});

describe('parseAnswer', () => {
  const schema = z.object({ a: z.string() }).strict();
  it('validates the object and names the first problem with its path', () => {
    expect(parseAnswer('{"a": "x"}', schema)).toEqual({ ok: true, value: { a: 'x' } });
    expect(parseAnswer('{"a": 1}', schema)).toMatchObject({ ok: false, error: expect.stringMatching(/^a: /) });
    expect(parseAnswer('{"a": "x", "b": 2}', schema)).toMatchObject({ ok: false, error: expect.stringMatching(/b/) });
    expect(parseAnswer('nope', schema)).toMatchObject({ ok: false, error: expect.stringMatching(/^not JSON/) });
  });
});
