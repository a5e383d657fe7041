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
  });

  it('turns a test id into its attribute selector, escapes kept', () => {
    expect(nativeQuery('internal:testid=[data-testid="user-menu"s]')).toEqual({
      kind: 'css',
      query: '[data-testid="user-menu"]',
      base: 'internal:testid=[data-testid="user-menu"s]',
    });
    expect(nativeQuery('internal:testid=[data-qa="a \\"b\\" \\\\ c"s]')?.query).toBe('[data-qa="a \\"b\\" \\\\ c"]');
  });

  it('keeps a trailing nth, first and last of one list', () => {
    expect(nativeQuery('input[name="shipping"] >> nth=1')).toEqual({ kind: 'css', query: 'input[name="shipping"]', nth: 1, base: 'input[name="shipping"]' });
    expect(nativeQuery('li >> nth=-1')).toMatchObject({ nth: -1, base: 'li' });
    expect(nativeQuery('internal:testid=[data-testid="card"s] >> nth=0')).toMatchObject({ query: '[data-testid="card"]', nth: 0 });
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
      '',
      ' >> nth=0',
    ]) {
      expect(nativeQuery(selector), selector).toBeUndefined();
    }
  });
});
