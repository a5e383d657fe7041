import { describe, expect, it } from 'vitest';
import { addressOf } from './pageState.js';

describe('addressOf', () => {
  it('keeps the path, query and hash of an http(s) page, without its origin', () => {
    expect(addressOf('http://127.0.0.1:4173/product?id=p1#reviews')).toBe('/product?id=p1#reviews');
    expect(addressOf('https://shop.test/')).toBe('/');
  });

  it('has no address for pages pre-flight cannot open again', () => {
    expect(addressOf('about:blank')).toBeUndefined();
    expect(addressOf('data:text/html,<p>hi</p>')).toBeUndefined();
    expect(addressOf('not a url')).toBeUndefined();
  });

  it('keeps only the path of an address too long to store', () => {
    expect(addressOf(`http://a.test/search?q=${'x'.repeat(3_000)}`)).toBe('/search');
  });
});
