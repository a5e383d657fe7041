import { describe, expect, it } from 'vitest';
import { isMedicApplyError } from '../errors.js';
import { loadTypeScript } from './typescript.js';

describe('loadTypeScript', () => {
  it('loads the compiler API when typescript is installed', async () => {
    const ts = await loadTypeScript();
    expect(typeof ts.createProgram).toBe('function');
  });

  it('names the package and the command when typescript is missing', async () => {
    const missing = Object.assign(new Error("Cannot find package 'typescript'"), { code: 'ERR_MODULE_NOT_FOUND' });
    const error = await loadTypeScript(() => Promise.reject(missing)).catch((e: unknown) => e);
    expect(isMedicApplyError(error)).toBe(true);
    expect((error as Error).message).toMatch(/the package "typescript" is not installed here\.\nFix: npm i -D typescript/);
    expect((error as Error).cause).toBe(missing);
  });

  it('lets any other failure through as it is', async () => {
    const broken = new SyntaxError('Unexpected token');
    await expect(loadTypeScript(() => Promise.reject(broken))).rejects.toBe(broken);
  });
});
