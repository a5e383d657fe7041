import { describe, expect, it } from 'vitest';
import { TS, chain } from './apply.testkit.js';
import { changedSpan, normalizeLinks, parseChain } from './chain.js';
import { literal, sameLink, sameLinks } from './values.js';

describe('parseChain', () => {
  it('reads what locator.toString() prints, with or without the page', () => {
    expect(parseChain(TS, "locator('#cart').getByRole('button', { name: 'Checkout' })")).toEqual([
      { name: 'locator', args: [literal('#cart')] },
      { name: 'getByRole', args: [literal('button'), { kind: 'object', props: [['name', literal('Checkout')]] }] },
    ]);
    expect(parseChain(TS, "page.getByTestId('bag-count')")).toEqual([{ name: 'getByTestId', args: [literal('bag-count')] }]);
    expect(parseChain(TS, "getByTestId('card').nth(-1)")).toEqual([
      { name: 'getByTestId', args: [literal('card')] },
      { name: 'nth', args: [literal(-1)] },
    ]);
  });

  it('reads regular expressions, escaped quotes and locators passed as options', () => {
    expect(parseChain(TS, "getByRole('link', { name: /^Cart/i })")![0]!.args[1]).toEqual({ kind: 'object', props: [['name', { kind: 'regex', source: '^Cart', flags: 'i' }]] });
    expect(parseChain(TS, `locator('//p[@id="postalCode-error"]')`)![0]!.args[0]).toEqual(literal('//p[@id="postalCode-error"]'));
    expect(parseChain(TS, "getByText('It\\'s here')")![0]!.args[0]).toEqual(literal("It's here"));
    expect(parseChain(TS, "locator('li').filter({ has: getByRole('img') })")![1]!.args[0]).toEqual({
      kind: 'object',
      props: [['has', { kind: 'locator', links: [{ name: 'getByRole', args: [literal('img')] }] }]],
    });
  });

  it('refuses what is not a chain of locator calls with literal arguments', () => {
    expect(parseChain(TS, 'getByRole(name)')).toBeUndefined();
    expect(parseChain(TS, "goto('/cart')")).toBeUndefined();
    expect(parseChain(TS, '#cart')).toBeUndefined();
    expect(parseChain(TS, "getByRole('button'); evil()")).toBeUndefined();
  });
});

describe('changedSpan', () => {
  it('keeps the common prefix and suffix', () => {
    expect(changedSpan(chain("locator('a').getByRole('b').first()"), chain("locator('a').getByRole('c').first()"), sameLink)).toEqual({ prefix: 1, suffix: 1 });
    expect(changedSpan(chain("locator('a').first()"), chain("getByText('x')"), sameLink)).toEqual({ prefix: 0, suffix: 0 });
    expect(changedSpan(chain("locator('a')"), chain("locator('a').first()"), sameLink)).toEqual({ prefix: 1, suffix: 0 });
    // The prefix and the suffix never overlap.
    expect(changedSpan(chain("first().first()"), chain('first()'), sameLink)).toEqual({ prefix: 1, suffix: 0 });
  });
});

describe('normalizeLinks', () => {
  it('drops the xpath= and css= prefixes Playwright does not print', () => {
    expect(sameLinks(normalizeLinks(chain(`locator('xpath=//ul/li')`)), normalizeLinks(chain(`locator('//ul/li')`)))).toBe(true);
    expect(sameLinks(normalizeLinks(chain(`locator('css=.card')`)), normalizeLinks(chain(`locator('.card')`)))).toBe(true);
    expect(sameLinks(normalizeLinks(chain(`locator('xpath=li')`)), normalizeLinks(chain(`locator('li')`)))).toBe(false);
  });
});
