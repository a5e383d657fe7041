import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Import specifiers of a JS/TS source: `import … from`, `export … from`, `import()`, `require()`, bare `import '…'`. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"\n]+)\1/gm;
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** The relative specifiers a source imports (packages are left out: their changes show in the lockfile). Pure. */
export function relativeImports(source: string): string[] {
  const out = new Set<string>();
  for (const m of source.matchAll(SPECIFIER)) if (m[2]!.startsWith('.')) out.add(m[2]!);
  return [...out];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A specifier as Node or TypeScript resolves it: as written, `./a.js` written for `./a.ts`, an added extension, an index file. */
function resolveSpecifier(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  if (isFile(base)) return base;
  const stem = base.replace(/\.(m|c)?jsx?$/, '');
  for (const ext of EXTENSIONS) if (isFile(stem + ext)) return stem + ext;
  for (const ext of EXTENSIONS) if (isFile(join(base, `index${ext}`))) return join(base, `index${ext}`);
  return undefined;
}

/**
 * The files a spec file depends on inside `rootDir` (page objects, helpers, fixtures), followed
 * through their own imports, as paths relative to `rootDir`. `cache` shares the work between
 * specs. Files outside rootDir and node_modules are not followed.
 * @example localImports('/repo/tests', 'cart.spec.ts') // ['pages/cart.ts', 'helpers/login.ts']
 */
export function localImports(rootDir: string, file: string, cache = new Map<string, string[]>(), max = 200): string[] {
  const seen = new Set<string>();
  const todo = [resolve(rootDir, file)];
  while (todo.length && seen.size < max) {
    const path = todo.pop()!;
    let direct = cache.get(path);
    if (!direct) {
      let source: string;
      try {
        source = existsSync(path) ? readFileSync(path, 'utf8') : '';
      } catch {
        source = '';
      }
      direct = relativeImports(source)
        .map((s) => resolveSpecifier(path, s))
        .filter((p): p is string => !!p && !p.split(sep).includes('node_modules') && !relative(rootDir, p).startsWith('..'));
      cache.set(path, direct);
    }
    for (const p of direct) {
      if (!seen.has(p)) {
        seen.add(p);
        todo.push(p);
      }
    }
  }
  const own = resolve(rootDir, file);
  return [...seen].filter((p) => p !== own).map((p) => relative(rootDir, p).split(sep).join('/')).sort();
}
