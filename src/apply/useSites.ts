import type * as TS from 'typescript';
import { unwrap } from './args.js';
import { LOCATOR_METHODS } from './chain.js';
import type { ChainAt, ChainEvaluator } from './evaluate.js';
import type { TypeScript } from './typescript.js';

/** An expression that uses a whole locator (what an action or assertion gets), with the chain it builds. */
export type UseSite = { node: TS.Expression; chain: ChainAt };

/** The expression is the receiver of another locator link (`x` in `x.first()`): part of a longer chain. */
function continuesChain(ts: TypeScript, node: TS.Expression): boolean {
  let outer: TS.Node = node;
  while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const parent = outer.parent;
  return !!parent && ts.isPropertyAccessExpression(parent) && parent.expression === outer && ts.isCallExpression(parent.parent) && parent.parent.expression === parent && LOCATOR_METHODS.has(parent.name.text);
}

function isCandidate(ts: TypeScript, checker: TS.TypeChecker, node: TS.Node): node is TS.Expression {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isCallExpression(node)) return true;
  if (ts.isPropertyAccessExpression(node)) {
    if (ts.isCallExpression(parent) && unwrap(ts, parent.expression) === node) return false; // a method's name: the call is the candidate
    if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return false;
    return true;
  }
  if (ts.isIdentifier(node)) {
    if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
    if (ts.isCallExpression(parent) && parent.expression === node) return false;
    const symbol = checker.getSymbolAtLocation(node);
    const declaration = symbol?.valueDeclaration;
    return !!declaration && ts.isVariableDeclaration(declaration) && declaration.name !== node;
  }
  return false;
}

/**
 * Every place in `file` that uses a whole locator chain: calls, fields and variables that
 * evaluate to a chain and are not the start of a longer one.
 * @example useSites(ts, checker, evaluator, file).map((u) => u.node.getText()) // ["page.getByRole('button')", 'catalog.cards', …]
 */
export function useSites(ts: TypeScript, checker: TS.TypeChecker, evaluator: ChainEvaluator, file: TS.SourceFile): UseSite[] {
  const sites: UseSite[] = [];
  const visit = (node: TS.Node): void => {
    if (isCandidate(ts, checker, node) && !continuesChain(ts, node)) {
      const chain = evaluator.chainOf(node);
      if (chain) sites.push({ node, chain });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return sites;
}
