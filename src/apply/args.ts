import type * as TS from 'typescript';
import type { TypeScript } from './typescript.js';
import { UNKNOWN, literal, type Value } from './values.js';

/**
 * A call argument as written: its value and the node it is written at, with the parts of an
 * object or array literal, so that one changed property can be rewritten alone.
 */
export type Arg = {
  value: Value;
  node: TS.Expression;
  props?: Map<string, Arg>;
  items?: Arg[];
};

/** How an expression that is not a literal is known (a variable, a parameter: `any`, a locator): undefined means unknown. */
export type ResolveArg = (node: TS.Expression) => Arg | undefined;

/** Parentheses, `as`, `satisfies` and `!` do not change a value. */
export function unwrap(ts: TypeScript, node: TS.Expression): TS.Expression {
  let current = node;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isNonNullExpression(current) || ts.isTypeAssertionExpression(current)) {
    current = current.expression;
  }
  return current;
}

function propertyKey(ts: TypeScript, name: TS.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  return undefined;
}

/**
 * The value of an argument expression: literals (strings, numbers, booleans, null, regular
 * expressions, templates), object and array literals of them; anything else through `resolve`,
 * else unknown.
 * @example argOf(ts, node, () => undefined).value // { kind: 'literal', value: 'Save' }
 */
export function argOf(ts: TypeScript, expression: TS.Expression, resolve: ResolveArg): Arg {
  const node = unwrap(ts, expression);
  const known = (value: Value): Arg => ({ value, node });
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return known(literal(node.text));
  if (ts.isNumericLiteral(node)) return known(literal(Number(node.text)));
  if (node.kind === ts.SyntaxKind.TrueKeyword) return known(literal(true));
  if (node.kind === ts.SyntaxKind.FalseKeyword) return known(literal(false));
  if (node.kind === ts.SyntaxKind.NullKeyword) return known(literal(null));
  if (ts.isIdentifier(node) && node.text === 'undefined') return known(literal(undefined));
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) return known(literal(-Number(node.operand.text)));
  if (ts.isRegularExpressionLiteral(node)) {
    const slash = node.text.lastIndexOf('/');
    return known({ kind: 'regex', source: node.text.slice(1, slash), flags: node.text.slice(slash + 1) });
  }
  if (ts.isTemplateExpression(node)) {
    let text = node.head.text;
    for (const span of node.templateSpans) {
      const part = argOf(ts, span.expression, resolve).value;
      if (part.kind !== 'literal' || part.value === undefined) return known(part.kind === 'any' ? part : UNKNOWN);
      text += String(part.value) + span.literal.text;
    }
    return known(literal(text));
  }
  if (ts.isObjectLiteralExpression(node)) {
    const props = new Map<string, Arg>();
    for (const property of node.properties) {
      if (ts.isPropertyAssignment(property)) {
        const key = propertyKey(ts, property.name);
        if (key === undefined) return known(UNKNOWN);
        props.set(key, argOf(ts, property.initializer, resolve));
      } else if (ts.isShorthandPropertyAssignment(property)) {
        props.set(property.name.text, argOf(ts, property.name, resolve));
      } else {
        return known(UNKNOWN); // a spread or a method: not a plain options object
      }
    }
    return { value: { kind: 'object', props: [...props].map(([key, arg]) => [key, arg.value]) }, node, props };
  }
  if (ts.isArrayLiteralExpression(node)) {
    if (node.elements.some((e) => ts.isSpreadElement(e) || ts.isOmittedExpression(e))) return known(UNKNOWN);
    const items = node.elements.map((e) => argOf(ts, e, resolve));
    return { value: { kind: 'array', items: items.map((i) => i.value) }, node, items };
  }
  return resolve(node) ?? known(UNKNOWN);
}
