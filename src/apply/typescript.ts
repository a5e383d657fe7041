import type * as TS from 'typescript';
import { MedicApplyError } from '../errors.js';

/** The TypeScript compiler API, as `import('typescript')` gives it. */
export type TypeScript = typeof TS;

const MISSING = new Set(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND']);

/**
 * The `typescript` package (an optional peer dependency: only `medic apply` needs it), loaded
 * on first use; a typed error naming the package and the install command when it is missing.
 * @example const ts = await loadTypeScript();
 */
export async function loadTypeScript(load: () => Promise<unknown> = () => import('typescript')): Promise<TypeScript> {
  let loaded: unknown;
  try {
    loaded = await load();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string' || !MISSING.has(code)) throw error;
    throw new MedicApplyError('medic apply reads your specs and page objects with the TypeScript compiler, and the package "typescript" is not installed here.', {
      fix: 'npm i -D typescript (5.4 or later), then run medic apply again.',
      cause: error,
    });
  }
  const mod = loaded as TypeScript & { default?: TypeScript };
  return mod.default ?? mod;
}
