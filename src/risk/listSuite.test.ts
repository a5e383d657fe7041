import { describe, expect, it } from 'vitest';
import { isMedicError } from '../errors.js';
import { jsonReportOf, parseListing } from './listSuite.js';

const spec = (title: string, file: string, projects: string[]) => ({ title, file, line: 1, column: 1, tests: projects.map((projectName) => ({ projectName, results: [] })) });

describe('parseListing', () => {
  it('keys each test as the reporter keys its attempts: project › file › describes › title', () => {
    const { rootDir, tests } = parseListing({
      config: { rootDir: '/suite/tests', projects: [] },
      suites: [
        {
          title: 'cart.spec.ts',
          file: 'cart.spec.ts',
          specs: [spec('top level', 'cart.spec.ts', ['chromium', 'firefox'])],
          suites: [{ title: 'cart', file: 'cart.spec.ts', specs: [], suites: [{ title: 'empty', file: 'cart.spec.ts', specs: [spec('says so', 'cart.spec.ts', ['chromium'])] }] }],
        },
        { title: 'sub/home.spec.ts', file: 'sub/home.spec.ts', specs: [spec('loads', 'sub/home.spec.ts', [''])] },
      ],
      errors: [],
      stats: {},
    });
    expect(rootDir).toBe('/suite/tests');
    expect(tests).toEqual([
      { testKey: 'chromium › cart.spec.ts › top level', title: 'top level', titlePath: ['top level'], file: 'cart.spec.ts', projectName: 'chromium' },
      { testKey: 'firefox › cart.spec.ts › top level', title: 'top level', titlePath: ['top level'], file: 'cart.spec.ts', projectName: 'firefox' },
      { testKey: 'chromium › cart.spec.ts › cart › empty › says so', title: 'says so', titlePath: ['cart', 'empty', 'says so'], file: 'cart.spec.ts', projectName: 'chromium' },
      // An unnamed project adds no part, as in the reporter's key.
      { testKey: 'sub/home.spec.ts › loads', title: 'loads', titlePath: ['loads'], file: 'sub/home.spec.ts', projectName: '' },
    ]);
  });

  it("refuses a listing with Playwright's errors, and one that is not its report, saying what to run", () => {
    const failed = (() => {
      try {
        parseListing({ config: { rootDir: '/x' }, suites: [], errors: [{ message: 'SyntaxError: Unexpected token (3:4)' }] });
      } catch (error) {
        return error;
      }
    })();
    expect(isMedicError(failed)).toBe(true);
    expect(String(failed)).toMatch(/could not list the suite: SyntaxError: Unexpected token[\s\S]*Fix: Run `npx playwright test --list`/);
    expect(() => parseListing({ suites: [] })).toThrow(/not Playwright's JSON report/);
    expect(() => parseListing({ config: { rootDir: '/x' }, suites: [{ title: 'a.spec.ts', specs: [{ title: 't' }] }] })).toThrow(/not Playwright's JSON report/);
  });
});

describe('jsonReportOf', () => {
  it('finds the report after what a config or spec logged while loading, and says when there is none', () => {
    const report = JSON.stringify({ config: { rootDir: '/x' }, suites: [] }, undefined, 2);
    expect(jsonReportOf(report)).toEqual({ config: { rootDir: '/x' }, suites: [] });
    expect(jsonReportOf(`seeding the database\n{\n  half an object logged\n${report}\n`)).toEqual({ config: { rootDir: '/x' }, suites: [] });
    expect(jsonReportOf('Error: no config\n')).toBeUndefined();
    expect(jsonReportOf('{ not json')).toBeUndefined();
  });
});
