import { describe, expect, it } from 'vitest';
import { directlyRelated, familyOf, kinship, parentRows } from './family.js';

describe('parentRows', () => {
  it('finds each candidate’s direct parent by its XPath, not a grandparent or a sibling', () => {
    const parents = parentRows([
      { xpath: '/html[1]/body[1]/ul[1]' },
      { xpath: '/html[1]/body[1]/ul[1]/li[1]' },
      { xpath: '/html[1]/body[1]/ul[1]/li[1]/a[1]' },
      { xpath: '/html[1]/body[1]/ul[1]/li[10]/a[1]' },
      { xpath: '/html[1]/body[1]/ul[1]/li[1]/a[1]/span[1]/b[1]' },
      {},
    ]);
    expect(Array.from(parents)).toEqual([-1, 0, 1, -1, -1, -1]);
  });

  it('never relates elements of different frames or shadow roots', () => {
    const parents = parentRows([
      { xpath: '/html[1]/body[1]/div[1]', frames: ['checkout'] },
      { xpath: '/html[1]/body[1]/div[1]/a[1]' },
      { xpath: '/html[1]/body[1]/div[1]/a[1]', frames: ['checkout'] },
      { xpath: '/div[1]/a[1]', shadowPath: ['my-card'] },
      { xpath: '/div[1]', shadowPath: ['my-card'] },
    ]);
    expect(Array.from(parents)).toEqual([-1, -1, 0, 4, -1]);
  });

  it('relates a parent and child only when they show the same text', () => {
    const parents = parentRows([
      { xpath: '/html[1]/body[1]/li[1]', visibleText: 'Lamp' },
      { xpath: '/html[1]/body[1]/li[1]/a[1]', text: 'Lamp', visibleText: ' lamp ' },
      { xpath: '/html[1]/body[1]/div[1]', visibleText: 'Lamp $45 Subtotal $45' },
      { xpath: '/html[1]/body[1]/div[1]/div[1]', visibleText: 'Lamp $45' },
      { xpath: '/html[1]/body[1]/a[1]' },
      { xpath: '/html[1]/body[1]/a[1]/img[1]' },
    ]);
    expect(Array.from(parents)).toEqual([-1, 0, -1, -1, -1, 4]);
  });
});

describe('directlyRelated', () => {
  it('is true for a direct parent or child in one frame, whatever their texts', () => {
    expect(directlyRelated({ xpath: '/html[1]/body[1]/h2[1]', visibleText: 'Lamp New' }, { xpath: '/html[1]/body[1]/h2[1]/a[1]' })).toBe(true);
    expect(directlyRelated({ xpath: '/html[1]/body[1]/h2[1]/a[1]' }, { xpath: '/html[1]/body[1]/h2[1]' })).toBe(true);
    expect(directlyRelated({ xpath: '/html[1]/body[1]' }, { xpath: '/html[1]/body[1]/h2[1]/a[1]' })).toBe(false);
    expect(directlyRelated({ xpath: '/html[1]/body[1]/h2[1]', frames: ['f'] }, { xpath: '/html[1]/body[1]/h2[1]/a[1]' })).toBe(false);
  });
});

describe('familyOf', () => {
  it('is the parent and the children of a row, without the row itself', () => {
    // 0 ← 1 ← 2, 0 ← 3
    const parents = Int32Array.from([-1, 0, 1, 0]);
    expect(familyOf(parents, 1)).toEqual([0, 2]);
    expect(familyOf(parents, 0)).toEqual([1, 3]);
    expect(familyOf(parents, 2)).toEqual([1]);
  });
});

describe('kinship', () => {
  it('says what the second element is to the first, only for a direct parent or child in one scope', () => {
    const link = { xpath: '/html[1]/body[1]/nav[1]/a[2]' };
    expect(kinship(link, { xpath: '/html[1]/body[1]/nav[1]/a[2]/span[1]' })).toBe('child');
    expect(kinship(link, { xpath: '/html[1]/body[1]/nav[1]' })).toBe('parent');
    expect(kinship(link, { xpath: '/html[1]/body[1]/nav[1]/a[2]/span[1]/b[1]' })).toBeUndefined(); // a grandchild
    expect(kinship(link, { xpath: '/html[1]/body[1]/nav[1]/a[3]' })).toBeUndefined(); // a sibling
    expect(kinship(link, { xpath: '/html[1]/body[1]/nav[1]/a[2]/span[1]', frames: ['iframe#shop'] })).toBeUndefined();
    expect(kinship(link, {})).toBeUndefined();
  });
});
