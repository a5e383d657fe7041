import { describe, expect, it } from 'vitest';
import { sampleIndices, setSample, shapeOf, structuralPath } from './setFingerprint.js';

describe('sampleIndices', () => {
  it('keeps every member of a small set, and first, last and evenly spaced ones of a large one', () => {
    expect(sampleIndices(3)).toEqual([0, 1, 2]);
    expect(sampleIndices(12, 4)).toEqual([0, 4, 7, 11]);
    const many = sampleIndices(1000);
    expect(many).toHaveLength(8);
    expect([many[0], many.at(-1)]).toEqual([0, 999]);
  });
});

describe('shapeOf', () => {
  const card = (n: number, extra: object = {}) => ({
    tag: 'li',
    classes: ['product-card', n === 2 ? 'is-active' : 'sale'],
    testIds: { 'data-testid': 'product-card', 'data-product-id': `p${n}` },
    role: 'listitem',
    idXpath: `//*[@id='product-list']/li[${n}]`,
    ...extra,
  });

  it('keeps what every member has: tag, classes, test ids with one value, role, the path without positions', () => {
    expect(shapeOf([card(1), card(2), card(3)])).toEqual({
      tag: 'li',
      classes: ['product-card'],
      testIds: { 'data-testid': 'product-card' },
      role: 'listitem',
      path: "//*[@id='product-list']/li",
    });
  });

  it('leaves out a tag or path the members do not share', () => {
    const shape = shapeOf([card(1), card(2, { tag: 'div', idXpath: "//*[@id='other']/div[1]" })]);
    expect(shape.tag).toBeUndefined();
    expect(shape.path).toBeUndefined();
    expect(shape.classes).toEqual(['product-card']);
  });

  it('builds a valid sample', () => {
    expect(setSample(12, [card(1), card(12)]).shared.testIds).toEqual({ 'data-testid': 'product-card' });
    expect(structuralPath('/html[1]/body[1]/ul[1]/li[10]')).toBe('/html/body/ul/li');
  });
});
