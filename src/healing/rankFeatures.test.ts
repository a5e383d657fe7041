import { describe, expect, it } from 'vitest';
import type { Candidate } from './fingerprint.js';
import { abbreviates, extractFeatures, FEATURE_NAMES, FEATURES, identifierWords } from './rankFeatures.js';

const col = (name: string) => {
  const i = FEATURE_NAMES.indexOf(name);
  if (i < 0) throw new Error(`no feature ${name}`);
  return i;
};
const value = (matrix: Float64Array, row: number, name: string) => matrix[row * FEATURE_NAMES.length + col(name)];

describe('extractFeatures', () => {
  it('compares an attribute only when both sides have it, as 2·similarity − 1', () => {
    const candidates: Candidate[] = [
      { index: 0, tag: 'button', text: 'Sign in' },
      { index: 1, tag: 'a', text: 'Register' },
      { index: 2, tag: 'button' },
    ];
    const { matrix, width } = extractFeatures({ tag: 'button', text: 'Sign in' }, candidates);
    expect(width).toBe(FEATURES.length);
    expect(matrix).toHaveLength(3 * width);
    expect(value(matrix, 0, 'tag')).toBe(1);
    expect(value(matrix, 1, 'tag')).toBe(-1);
    expect(value(matrix, 0, 'text')).toBe(1);
    expect(value(matrix, 2, 'text')).toBe(0);
    expect(value(matrix, 2, 'missing:text')).toBe(1);
    expect(value(matrix, 0, 'missing:text')).toBe(0);
    // Attributes the target lacks add nothing.
    expect(value(matrix, 0, 'id')).toBe(0);
    expect(value(matrix, 0, 'missing:id')).toBe(0);
  });

  it("compares a target named by its content with the text of a candidate whose role takes no name", () => {
    const name = 'Lumen Desk Lamp $45.00 Remove';
    const candidates: Candidate[] = [
      { index: 0, tag: 'div', role: 'listitem', visibleText: 'Lumen Desk Lamp $45.00 Remove' },
      { index: 1, tag: 'span', visibleText: 'Lumen Desk Lamp $45.00 Remove' },
      { index: 2, tag: 'div', role: 'listitem', visibleText: 'Canvas Laptop Sleeve $35.00 Remove' },
    ];
    const row = extractFeatures({ tag: 'tr', role: 'row', accessibleName: name }, candidates).matrix;
    expect(value(row, 0, 'accessibleName')).toBe(1);
    expect(value(row, 0, 'missing:accessibleName')).toBe(0);
    expect(value(row, 2, 'accessibleName')).toBeLessThan(0);
    // No role: nothing says why it has no name.
    expect(value(row, 1, 'missing:accessibleName')).toBe(1);
    // A textbox is named by its label, not its content: a nameless candidate lacks the name.
    const field = extractFeatures({ tag: 'input', role: 'textbox', accessibleName: name }, candidates).matrix;
    expect(value(field, 0, 'missing:accessibleName')).toBe(1);
  });

  it('marks the best and the only exact match among candidates, shared 1/k on ties', () => {
    const candidates: Candidate[] = [
      { index: 0, text: 'Save' },
      { index: 1, text: 'Save' },
      { index: 2, text: 'Save draft' },
      { index: 3, id: 'go' },
    ];
    const { matrix } = extractFeatures({ text: 'Save', id: 'go' }, candidates);
    expect(value(matrix, 0, 'best:text')).toBe(0.5);
    expect(value(matrix, 1, 'exact:text')).toBe(0.5);
    expect(value(matrix, 2, 'best:text')).toBe(0);
    expect(value(matrix, 3, 'exact:id')).toBe(1);
  });

  it('matches text without punctuation, and words across ids, names and texts', () => {
    const { matrix } = extractFeatures({ tag: 'div', id: 'search-button', text: 'U.S.' }, [
      { index: 0, tag: 'button', text: 'US' },
      { index: 1, tag: 'button', text: 'Search news' },
      { index: 2, tag: 'span', idXpath: "//*[@id='search-button']/span[1]" },
      { index: 3, tag: 'a', name: 'searches' },
    ]);
    expect(value(matrix, 0, 'text (letters)')).toBe(1);
    expect(value(matrix, 0, 'text')).toBeLessThan(1);
    // Target words: search, button (id); candidates' words come from text, name and the id anchor.
    expect(value(matrix, 2, 'meaning words')).toBe(1);
    expect(value(matrix, 2, 'exact:meaning words')).toBe(1);
    expect(value(matrix, 1, 'meaning words')).toBe(0); // ½ of each side's words → 2·½ − 1
    expect(value(matrix, 3, 'meaning words')).toBeCloseTo(2 * ((1 / 2 + 1) / 2) - 1); // search/searches
  });

  it('matches a word with its abbreviation (qty/quantity), in either direction', () => {
    const { matrix } = extractFeatures({ tag: 'input', id: 'quantity', label: 'Quantity' }, [
      { index: 0, tag: 'input', id: 'qty', label: 'Qty' },
      { index: 1, tag: 'input', id: 'query', label: 'Query' },
    ]);
    expect(value(matrix, 0, 'meaning words')).toBe(1);
    expect(value(matrix, 1, 'meaning words')).toBe(-1);
  });

  it('works on an empty fingerprint and on no candidates', () => {
    expect(extractFeatures({}, [{ index: 0, tag: 'a' }]).matrix.every((v) => v === 0)).toBe(true);
    expect(extractFeatures({ tag: 'a' }, []).matrix).toHaveLength(0);
  });

  it('uses the fields only the in-page capture fills', () => {
    const target = { testIds: { 'data-testid': 'submit' }, accessibleName: 'Submit order', role: 'button', ancestors: [{ tag: 'form', id: 'checkout' }] };
    const { matrix } = extractFeatures(target, [
      { index: 0, testIds: { 'data-test': 'submit' }, accessibleName: 'Submit order', role: 'button', ancestors: [{ tag: 'form', id: 'checkout' }] },
      { index: 1, testIds: { 'data-testid': 'cancel' }, role: 'link' },
    ]);
    expect(value(matrix, 0, 'test id')).toBe(1);
    expect(value(matrix, 1, 'test id')).toBe(-1);
    expect(value(matrix, 0, 'exact:test id')).toBe(1);
    expect(value(matrix, 0, 'accessibleName')).toBe(1);
    expect(value(matrix, 1, 'missing:accessibleName')).toBe(1);
    expect(value(matrix, 0, 'role')).toBe(1);
    expect(value(matrix, 0, 'ancestors')).toBe(1);
  });
});

describe('FEATURES', () => {
  it('names every column once, and every analogue exists', () => {
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_NAMES.length);
    for (const f of FEATURES) if (f.analog) expect(FEATURE_NAMES).toContain(f.analog[0]);
  });
});

it('splits identifiers into words', () => {
  expect(identifierWords(['loginSubmit-btn2', 'gh-ug', 'x'])).toEqual(['login', 'submit', 'btn', 'gh', 'ug']);
});

describe('abbreviates', () => {
  it('takes consonant skeletons of longer words with the same first letter', () => {
    for (const [short, long] of [['qty', 'quantity'], ['btn', 'button'], ['pwd', 'password'], ['msg', 'message'], ['img', 'image'], ['addr', 'address']]) {
      expect(abbreviates(short!, long!), `${short} ~ ${long}`).toBe(true);
    }
  });
  it('refuses plain words inside others, other first letters, near-equal lengths and letters out of order', () => {
    for (const [short, long] of [['cat', 'contact'], ['bag', 'background'], ['car', 'cart'], ['qty', 'equity'], ['tyq', 'quantity'], ['bt', 'button'], ['btn', 'btns'], ['ntb', 'button']]) {
      expect(abbreviates(short!, long!), `${short} ~ ${long}`).toBe(false);
    }
  });
});
