import { describe, expect, it } from 'vitest';
import { ANY, hasAny, literal, printLink, printValue, quoteString, sameValue, type Value } from './values.js';

const object = (props: Record<string, Value>): Value => ({ kind: 'object', props: Object.entries(props) });

describe('sameValue', () => {
  it('compares by value: quotes, key order and undefined options do not matter', () => {
    expect(sameValue(literal('Save'), literal('Save'))).toBe(true);
    expect(sameValue(object({ name: literal('Save'), exact: literal(true) }), object({ exact: literal(true), name: literal('Save') }))).toBe(true);
    expect(sameValue(object({ name: literal('Save'), exact: literal(undefined) }), object({ name: literal('Save') }))).toBe(true);
    expect(sameValue(object({ name: literal('Save') }), object({ name: literal('Save'), exact: literal(true) }))).toBe(false);
    expect(sameValue(literal(1), literal('1'))).toBe(false);
  });

  it('compares regular expressions by source and flags (in any order)', () => {
    expect(sameValue({ kind: 'regex', source: '^Cart', flags: 'im' }, { kind: 'regex', source: '^Cart', flags: 'mi' })).toBe(true);
    expect(sameValue({ kind: 'regex', source: '^Cart', flags: 'i' }, { kind: 'regex', source: '^Cart', flags: '' })).toBe(false);
    expect(sameValue({ kind: 'regex', source: 'Cart', flags: '' }, literal('Cart'))).toBe(false);
  });

  it('lets `any` (a parameter) match every value, and says where one is', () => {
    expect(sameValue(object({ hasText: ANY }), object({ hasText: literal('Lamp') }))).toBe(true);
    expect(hasAny(object({ hasText: ANY }))).toBe(true);
    expect(hasAny({ kind: 'array', items: [literal(1)] })).toBe(false);
  });
});

describe('printing', () => {
  it('writes strings in the quote style asked for, escaped', () => {
    expect(quoteString(`it's "x"\n`, "'")).toBe(`'it\\'s "x"\\n'`);
    expect(quoteString(`it's "x"`, '"')).toBe(`"it's \\"x\\""`);
    expect(quoteString('a\\"b', "'")).toBe(`'a\\\\"b'`);
  });

  it('writes options objects as Playwright prints them', () => {
    expect(printLink({ name: 'getByRole', args: [literal('button'), object({ name: literal('Save'), 'data-x': literal(1) })] }, "'")).toBe(`getByRole('button', { name: 'Save', 'data-x': 1 })`);
    expect(printValue({ kind: 'regex', source: '^Cart', flags: 'i' }, '"')).toBe('/^Cart/i');
    expect(printValue(object({}), "'")).toBe('{}');
  });

  it('cannot print an `any`, nor a locator argument without a receiver', () => {
    expect(printValue(ANY, "'")).toBeUndefined();
    const has: Value = { kind: 'locator', links: [{ name: 'getByRole', args: [literal('img')] }] };
    expect(printValue(object({ has }), "'")).toBeUndefined();
    expect(printValue(object({ has }), "'", 'page')).toBe(`{ has: page.getByRole('img') }`);
  });
});
