import { describe, expect, it } from 'vitest';
import { chainPrefixes, joinLinks, selectorLinks } from './selectorChain.js';

const CARD_BUTTON = 'internal:testid=[data-testid="product-card"s] >> internal:has-text="Lumen \\"Desk\\" >> Lamp"i >> internal:role=button[name="Add to cart"i]';

describe('selectorLinks', () => {
  it('splits a chain at >> outside quotes, escapes and brackets', () => {
    expect(selectorLinks(CARD_BUTTON)).toEqual([
      'internal:testid=[data-testid="product-card"s]',
      'internal:has-text="Lumen \\"Desk\\" >> Lamp"i',
      'internal:role=button[name="Add to cart"i]',
    ]);
    expect(selectorLinks('li >> internal:has="b >> i"')).toEqual(['li', 'internal:has="b >> i"']);
    expect(selectorLinks("css=a[title='x >> y'] >> nth=0")).toEqual(["css=a[title='x >> y']", 'nth=0']);
    expect(selectorLinks('#save')).toEqual(['#save']);
  });

  it('joins back to the same selector', () => {
    expect(joinLinks(selectorLinks(CARD_BUTTON))).toBe(CARD_BUTTON);
  });
});

describe('chainPrefixes', () => {
  it('lists the prefixes longest first', () => {
    expect(chainPrefixes(CARD_BUTTON)).toEqual([
      'internal:testid=[data-testid="product-card"s] >> internal:has-text="Lumen \\"Desk\\" >> Lamp"i',
      'internal:testid=[data-testid="product-card"s]',
    ]);
  });

  it('has none for one link, for frames, and skips a list before a position', () => {
    expect(chainPrefixes('#save')).toEqual([]);
    expect(chainPrefixes('iframe >> internal:control=enter-frame >> #x')).toEqual([]);
    expect(chainPrefixes('#list li >> nth=1 >> button')).toEqual(['#list li >> nth=1']);
  });
});
