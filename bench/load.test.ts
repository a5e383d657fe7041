import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { similoRank } from '../src/healing/similo.js';
import { loadApps, parseApp, toFingerprint } from './load.js';

describe('toFingerprint', () => {
  it('maps Similo properties onto the fingerprint', () => {
    expect(
      toFingerprint({
        tag: 'INPUT',
        html_id: 'q',
        name: 'query',
        class: ' gh-tb  ui-autocomplete-input ',
        type: 'text',
        title: 'Search',
        placeholder: 'Search for anything',
        value: '',
        href: 'https://x/',
        alt: 'logo',
        text: 'Go',
        visible_text: 'Go now',
        xpath: '/html[1]/body[1]/input[1]',
        idxpath: "//*[@id='q']",
        x: 10,
        y: 20,
        width: 300,
        height: 30,
        area: 9000,
        shape: 1000,
        isButton: false,
        neighbor_text: 'search all categories',
        neighbor_text_above: 'Hi!',
        neighbor_text_below: 'Deals',
        neighbor_text_left: 'Shop by category',
        neighbor_text_right: 'All Categories',
      }),
    ).toEqual({
      tag: 'input',
      id: 'q',
      name: 'query',
      classes: ['gh-tb', 'ui-autocomplete-input'],
      type: 'text',
      title: 'Search',
      placeholder: 'Search for anything',
      href: 'https://x/',
      alt: 'logo',
      text: 'Go',
      visibleText: 'Go now',
      xpath: '/html[1]/body[1]/input[1]',
      idXpath: "//*[@id='q']",
      box: { x: 10, y: 20, width: 300, height: 30 },
      isButton: false,
      neighbors: { any: 'search all categories', above: 'Hi!', below: 'Deals', left: 'Shop by category', right: 'All Categories' },
    });
  });

  it('leaves out what the source lacks (no partial box, no empty strings)', () => {
    expect(toFingerprint({ tag: 'A', x: 1, y: 2, text: '  ' })).toEqual({ tag: 'a' });
  });
});

describe('parseApp', () => {
  const file = {
    app: 'Mini',
    cases: [{ id: 'Mini/0', target: { tag: 'A', text: 'Home' }, expected: 'c1', accept: ['c1', 'c0'] }],
    candidates: [
      { id: 'c0', tag: 'LI' },
      { id: 'c1', tag: 'A', text: 'Home' },
    ],
  };

  it('turns candidate ids into positions, expected and accept into indexes', () => {
    const { app, cases } = parseApp(file);
    expect(app).toBe('Mini');
    expect(cases[0]).toMatchObject({ id: 'Mini/0', app: 'Mini', expected: 1, accept: [1, 0], target: { tag: 'a', text: 'Home' } });
    expect(cases[0]!.candidates).toEqual([
      { index: 0, tag: 'li' },
      { index: 1, tag: 'a', text: 'Home' },
    ]);
  });

  it('names the problem in a malformed file', () => {
    expect(() => parseApp({ ...file, cases: [{ ...file.cases[0], expected: 'c9' }] }, 'Mini.json')).toThrow(/Mini\.json: case Mini\/0 names candidate c9/);
    expect(() => parseApp({ app: 'x' }, 'x.json')).toThrow(/x\.json is not a locator-relocation app file/);
  });
});

const data = process.env.MEDIC_BENCH_DATA ?? '/work/shared/benchmarks/locator-relocation';

describe.skipIf(!existsSync(data))('the development split', () => {
  it('loads 208 cases of 14 apps and the Similo baseline reproduces its published 182/208', () => {
    const apps = loadApps(data);
    const cases = apps.flatMap((a) => a.cases);
    expect(apps).toHaveLength(14);
    expect(cases).toHaveLength(208);
    expect(cases.filter((c) => similoRank(c.target, c.candidates).best === c.expected)).toHaveLength(182);
  });
});
