import type * as TS from 'typescript';
import { ChainEvaluator } from './evaluate.js';
import type { RewriteContext } from './rewrite.js';
import type { TypeScript } from './typescript.js';
import { useSites, type UseSite } from './useSites.js';
import type { Quote } from './values.js';

/** Source files parsed together, so that imports, classes and variables resolve between them. */
export type SourceProgram = {
  files: ReadonlyMap<string, TS.SourceFile>;
  /** The uses of whole locators in a file (computed once). */
  useSitesOf(fileName: string): UseSite[];
  rewrite: RewriteContext;
};

/**
 * Parses `texts` (absolute path → text, exactly the text that will be edited) as one program,
 * with no library or package types: only the files given are read, imports of packages stay
 * unresolved (locator methods are known by name).
 * @example openSourceProgram(ts, new Map([['/e2e/cart.spec.ts', text]]), (f) => relative(root, f))
 */
export function openSourceProgram(ts: TypeScript, texts: ReadonlyMap<string, string>, label: (fileName: string) => string): SourceProgram {
  const options: TS.CompilerOptions = {
    noLib: true,
    types: [],
    allowJs: true,
    checkJs: false,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.Preserve,
  };
  const host = ts.createCompilerHost(options, true);
  // Only the given files exist: nothing else is read (no node_modules, no lib files).
  const directories = new Set<string>();
  for (const name of texts.keys()) for (let dir = name.slice(0, name.lastIndexOf('/')); dir; dir = dir.slice(0, dir.lastIndexOf('/'))) directories.add(dir);
  host.fileExists = (name) => texts.has(name);
  host.directoryExists = (name) => directories.has(name.replace(/\/$/, ''));
  host.getDirectories = () => [];
  host.realpath = (name) => name;
  host.readFile = (name) => texts.get(name);
  host.getSourceFile = (name, language) => {
    const text = texts.get(name);
    return text === undefined ? undefined : ts.createSourceFile(name, text, language, true);
  };
  const program = ts.createProgram({ rootNames: [...texts.keys()], options, host });
  const checker = program.getTypeChecker();
  const evaluator = new ChainEvaluator(ts, checker);
  const files = new Map<string, TS.SourceFile>();
  for (const name of texts.keys()) {
    const file = program.getSourceFile(name);
    if (file) files.set(name, file);
  }
  const sites = new Map<string, UseSite[]>();
  const quotes = new Map<TS.SourceFile, Quote>();

  const quoteOf = (file: TS.SourceFile): Quote => {
    let quote = quotes.get(file);
    if (!quote) {
      let single = 0;
      let double = 0;
      const visit = (node: TS.Node): void => {
        if (ts.isStringLiteral(node)) {
          if (node.getText().startsWith('"')) double++;
          else single++;
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
      quote = double > single ? '"' : "'";
      quotes.set(file, quote);
    }
    return quote;
  };

  /** The member of a class that `this` means at `node` (arrow functions keep the outer `this`). */
  const thisClass = (node: TS.Node): TS.ClassLikeDeclaration | undefined => {
    for (let current = node.parent; current; current = current.parent) {
      if (ts.isArrowFunction(current)) continue;
      if (ts.isFunctionLike(current) || ts.isPropertyDeclaration(current)) return current.parent && ts.isClassLike(current.parent) ? current.parent : undefined;
      if (ts.isClassLike(current)) return current;
    }
    return undefined;
  };

  const rootAt = (root: TS.Expression, at: TS.Node): string | undefined => {
    if (root.getSourceFile() !== at.getSourceFile()) return undefined;
    if (ts.isIdentifier(root)) {
      const symbol = checker.getSymbolAtLocation(root);
      return symbol && checker.resolveName(root.text, at, ts.SymbolFlags.Value, false) === symbol ? root.text : undefined;
    }
    if (ts.isPropertyAccessExpression(root) && root.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const cls = thisClass(root);
      return cls && cls === thisClass(at) ? root.getText() : undefined;
    }
    return undefined;
  };

  return {
    files,
    useSitesOf(fileName) {
      let found = sites.get(fileName);
      if (!found) {
        const file = files.get(fileName);
        found = file ? useSites(ts, checker, evaluator, file) : [];
        sites.set(fileName, found);
      }
      return found;
    },
    rewrite: { ts, quoteOf, rootAt, label },
  };
}
