import { defineConfig } from 'vitest/config';

const shared = { testTimeout: 30_000, hookTimeout: 60_000 };
const ACCEPTANCE = 'test/fixture.integration.test.ts';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'unit and integration',
          include: ['src/**/*.test.ts', 'reporter/**/*.test.ts', 'fixtures/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['**/node_modules/**', ACCEPTANCE],
          // Two files at a time even on 2 cores (Vitest's default there is one): most of these
          // wait on a browser, a Playwright run or a server, so a CI run takes minutes less.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The demo suite with 4 Playwright workers: alone, after the rest, so that other test
        // files do not starve it of the 2 cores a CI machine has.
        test: { ...shared, name: 'acceptance', include: [ACCEPTANCE], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
