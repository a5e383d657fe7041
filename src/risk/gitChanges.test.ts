import { gitAs } from '../../test/helpers/git.js';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isLockfile, openGit } from './gitChanges.js';
import { localImports, relativeImports } from './imports.js';

const dir = mkdtempSync(join(tmpdir(), 'medic-git-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const git = (args: string[], author?: string) => gitAs(dir, args, author);
const write = (path: string, text: string) => {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
};
const commit = (author: string) => {
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'change'], author);
  return git(['rev-parse', 'HEAD']);
};

describe('git changes (a real repository)', () => {
  git(['init', '-q', '-b', 'main']);
  write('e2e/tests/cart.spec.ts', "import { open } from './pages/cart.js';\nimport { test } from '@playwright/test';\n");
  write('e2e/tests/pages/cart.ts', "export { login } from '../helpers';\nexport const open = 1;\n");
  write('e2e/tests/helpers/index.ts', "const x = require('./deep.cjs');\nexport const login = x;\n");
  write('e2e/tests/helpers/deep.cjs', 'module.exports = 1;\n');
  write('src/app.ts', 'export {};\n');
  write('package-lock.json', '{}\n');
  const c1 = commit('ann');
  write('e2e/tests/pages/cart.ts', 'export const open = 2;\n');
  commit('bob');
  write('src/app.ts', 'export const a = 1;\n');
  write('package-lock.json', '{"v":2}\n');
  const c3 = commit('cid');
  write('e2e/tests/cart.spec.ts', '// uncommitted\n');
  write('e2e/tests/new.spec.ts', '// untracked\n');

  it('lists files changed since a commit, relative to rootDir, with authors, uncommitted and untracked work included', () => {
    const repo = openGit(join(dir, 'e2e'))!;
    expect(repo.head).toBe(c3);
    const changes = repo.changedSince(c1)!;
    expect(Object.fromEntries([...changes].map(([f, a]) => [f, [...a].sort()]))).toEqual({
      'tests/pages/cart.ts': ['bob@example.com'],
      '../src/app.ts': ['cid@example.com'],
      '../package-lock.json': ['cid@example.com'],
      'tests/cart.spec.ts': ['working tree'],
      'tests/new.spec.ts': ['working tree'],
    });
    expect(repo.changedBetween(c1, c3)!.sort()).toEqual(['../package-lock.json', '../src/app.ts', 'tests/pages/cart.ts']);
    expect(isLockfile('../package-lock.json')).toBe(true);
  });

  it('gives the same paths through a symlinked rootDir (a CI workspace), and non-ASCII names as they are', () => {
    const link = `${dir}-link`;
    symlinkSync(dir, link, 'dir');
    try {
      write('e2e/tests/pages/café.ts', 'export {};\n');
      const viaLink = openGit(join(link, 'e2e'))!.changedSince(c1)!;
      expect([...viaLink.keys()]).toContain('tests/pages/cart.ts');
      expect([...viaLink.keys()]).toContain('tests/pages/café.ts');
    } finally {
      rmSync(link, { force: true });
      rmSync(join(dir, 'e2e/tests/pages/café.ts'), { force: true });
    }
  });

  it('answers undefined for a commit it does not have, and for a folder outside git', () => {
    const repo = openGit(dir)!;
    expect(repo.changedSince('0123456789abcdef0123456789abcdef01234567')).toBeUndefined();
    expect(repo.changedSince('HEAD; rm -rf /')).toBeUndefined();
    expect(repo.changedBetween('deadbeef', c3)).toBeUndefined();
    expect(openGit(tmpdir())).toBeUndefined();
  });
});

describe('local imports', () => {
  it('reads relative specifiers of every import form, not packages', () => {
    const source = "import a from './a.js';\nexport * from \"../b\";\nimport './side';\nconst c = await import('./c');\nconst d = require('./d.cjs');\nimport { test } from '@playwright/test';";
    expect(relativeImports(source)).toEqual(['./a.js', '../b', './side', './c', './d.cjs']);
  });

  it('follows a spec through its page objects and helpers (./x.js written for x.ts, index files, require)', () => {
    write('e2e/tests/cart.spec.ts', "import { open } from './pages/cart.js';\n");
    write('e2e/tests/pages/cart.ts', "export { login } from '../helpers';\nimport '../../../src/app';\n");
    expect(localImports(join(dir, 'e2e'), 'tests/cart.spec.ts')).toEqual(['tests/helpers/deep.cjs', 'tests/helpers/index.ts', 'tests/pages/cart.ts']);
    expect(localImports(join(dir, 'e2e'), 'tests/missing.spec.ts')).toEqual([]);
  });
});
