import { describe, expect, it } from 'vitest';
import { nativeQuery } from './nativeSelector.js';

describe('nativeQuery', () => {
  it('passes plain CSS through, with css= or without', () => {
    expect(nativeQuery('#cart-table tbody tr')).toEqual({ kind: 'css', query: '#cart-table tbody tr', base: '#cart-table tbody tr' });
    expect(nativeQuery('css=a[href="/x=y"]')).toEqual({ kind: 'css', query: 'a[href="/x=y"]', base: 'css=a[href="/x=y"]' });
    expect(nativeQuery('input[name="shipping"]')?.query).toBe('input[name="shipping"]');
  });

  it('recognises XPath as Playwright does', () => {
    expect(nativeQuery('//ul[@id="list"]/li')).toMatchObject({ kind: 'xpath', query: '//ul[@id="list"]/li' });
    expect(nativeQuery('(//li)[2]')).toMatchObject({ kind: 'xpath', query: '(//li)[2]' });
    expect(nativeQuery('xpath=/html/body')).toMatchObject({ kind: 'xpath', query: '/html/body' });
    expect(nativeQuery('../p')).toMatchObject({ kind: 'xpath' });
    expect(nativeQuery('//li[not(a)]')).toMatchObject({ kind: 'xpath', query: '//li[not(a)]' });
  });

  it('reads a test id as Playwright does: the attribute, and its value with escapes undone', () => {
    expect(nativeQuery('internal:testid=[data-testid="user-menu"s]')).toEqual({
      kind: 'testid',
      query: 'data-testid',
      value: 'user-menu',
      base: 'internal:testid=[data-testid="user-menu"s]',
    });
    expect(nativeQuery('internal:testid=[data-qa="a \\"b\\" \\\\ c"s]')?.value).toBe('a "b" \\ c');
    // `\41` is "41" to Playwright, where CSS would read "A"
    expect(nativeQuery('internal:testid=[data-testid="a\\41"s]')?.value).toBe('a41');
    expect(nativeQuery('internal:testid=[data-testid="two\nlines"s]')?.value).toBe('two\nlines');
  });

  it('keeps a trailing nth, first and last of one list', () => {
    expect(nativeQuery('input[name="shipping"] >> nth=1')).toEqual({ kind: 'css', query: 'input[name="shipping"]', nth: 1, base: 'input[name="shipping"]' });
    expect(nativeQuery('li >> nth=-1')).toMatchObject({ nth: -1, base: 'li' });
    expect(nativeQuery('internal:testid=[data-testid="card"s] >> nth=0')).toMatchObject({ kind: 'testid', value: 'card', nth: 0 });
  });

  it('leaves to Playwright what only its engines resolve', () => {
    for (const selector of [
      'internal:role=button[name="Save"i]',
      'internal:label="Email"i',
      'internal:text="Sign in"i',
      'text=Sign in',
      'id=save',
      '"Sign in"',
      "'Sign in'",
      '#list >> li',
      '#list li >> internal:has-text="Lamp"i',
      'li >> nth=0 >> span',
      'iframe >> internal:control=enter-frame >> #x',
      'internal:testid=[data-testid=/card/]',
      // a negation: Playwright's engines look into shadow roots, so equal counts may be other elements
      'li:not(:has(a))',
      'li:NOT(.x)',
      'css=li:not(.x)',
      'li:where(:not(.x))',
      // escapes and comments could spell one
      'li:h\\61s(a)',
      'li:/**/not(.x)',
      '',
      ' >> nth=0',
    ]) {
      expect(nativeQuery(selector), selector).toBeUndefined();
    }
  });
});
