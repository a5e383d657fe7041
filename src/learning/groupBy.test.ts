import { describe, expect, it } from 'vitest';
import { groupBy } from './groupBy.js';

describe('groupBy', () => {
  it('groups in first-seen order of keys and of items', () => {
    expect([...groupBy(['b1', 'a1', 'b2', 'a2', 'c1'], (s) => s[0])]).toEqual([
      ['b', ['b1', 'b2']],
      ['a', ['a1', 'a2']],
      ['c', ['c1']],
    ]);
    expect(groupBy([], (s: string) => s).size).toBe(0);
  });
});
