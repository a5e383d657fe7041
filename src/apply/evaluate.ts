import type * as TS from 'typescript';
import { argOf, unwrap, type Arg } from './args.js';
import { LOCATOR_METHODS } from './chain.js';
import type { TypeScript } from './typescript.js';
import { ANY, type Link } from './values.js';

/** Where one link of a chain is written: its call and the method name in it. */
export type Site = { file: TS.SourceFile; call: TS.CallExpression; name: TS.MemberName };
export type LinkAt = { name: string; args: Arg[]; site: Site };
/**
 * A locator as the source builds it: the expression it starts from (the page: `page`,
 * `this.page`, a parameter) and its links, each where it is written, across variables,
 * fields, methods and functions.
 */
export type ChainAt = { root: TS.Expression; links: LinkAt[] };

type Binding = { expr: TS.Expression | undefined; env: Env };
type Env = { owner: TS.Node | undefined; bindings: Map<TS.Node, Binding>; self: Val | undefined; depth: number };
type Instance = { kind: 'instance'; cls: TS.ClassLikeDeclaration; env: Env };
type Val = { kind: 'chain'; chain: ChainAt } | Instance | { kind: 'opaque'; node: TS.Expression };

const MAX_DEPTH = 12;
const MAX_STEPS = 5_000;

/** The links' values, without where they are written. */
export const linksOf = (chain: ChainAt): Link[] => chain.links.map((l) => ({ name: l.name, args: l.args.map((a) => a.value) }));

/**
 * Evaluates source expressions to locator chains without running them: follows `const`
 * variables, `new` page objects and their fields (set in the constructor or initialised),
 * methods and functions that return one expression (their parameters bound to the call's
 * arguments), and imports, with the type checker's symbols. What it cannot follow is a root.
 * @example new ChainEvaluator(ts, program.getTypeChecker()).chainOf(node) // { root: page, links: [...] }
 */
export class ChainEvaluator {
  private steps = 0;

  constructor(
    private readonly ts: TypeScript,
    private readonly checker: TS.TypeChecker,
  ) {}

  /** The chain `expression` builds, or undefined when it is not a locator chain. */
  chainOf(expression: TS.Expression): ChainAt | undefined {
    this.steps = 0;
    const value = this.evaluate(expression, this.fresh(this.ownerOf(expression)));
    return value.kind === 'chain' ? value.chain : undefined;
  }

  /** The function-like node `node` is in (its parameters are what an environment binds). */
  ownerOf(node: TS.Node): TS.Node | undefined {
    for (let current = node.parent; current; current = current.parent) if (this.ts.isFunctionLike(current)) return current;
    return undefined;
  }

  private fresh(owner: TS.Node | undefined, depth = 0): Env {
    return { owner, bindings: new Map(), self: undefined, depth };
  }

  private symbolOf(node: TS.Node): TS.Symbol | undefined {
    const symbol = this.checker.getSymbolAtLocation(node);
    return symbol && symbol.flags & this.ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
  }

  private declarationOf(node: TS.Node): TS.Declaration | undefined {
    const symbol = this.symbolOf(node);
    return symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  }

  private evaluate(expression: TS.Expression, env: Env): Val {
    const ts = this.ts;
    const node = unwrap(ts, expression);
    if (++this.steps > MAX_STEPS || env.depth > MAX_DEPTH) return { kind: 'opaque', node };
    if (ts.isCallExpression(node)) return this.call(node, env);
    if (ts.isNewExpression(node)) return this.construct(node, env);
    if (ts.isIdentifier(node)) return this.identifier(node, env);
    if (ts.isPropertyAccessExpression(node)) return this.property(node, env);
    if (node.kind === ts.SyntaxKind.ThisKeyword) return env.self ?? { kind: 'opaque', node };
    return { kind: 'opaque', node };
  }

  /** An argument's value; identifiers, fields and locators through the evaluator. */
  private arg(expression: TS.Expression, env: Env): Arg {
    return argOf(this.ts, expression, (node) => {
      const ts = this.ts;
      if (ts.isIdentifier(node)) {
        const declaration = this.declarationOf(node);
        if (declaration && ts.isParameter(declaration)) {
          const binding = env.bindings.get(declaration);
          // Unbound: the function read on its own, called with many values.
          if (!binding) return { value: ANY, node };
          return binding.expr ? this.arg(binding.expr, binding.env) : undefined;
        }
        const initializer = declaration && this.constInitializer(declaration);
        if (initializer) return this.arg(initializer, this.envFor(declaration, env));
      }
      const value = this.evaluate(node, env);
      return value.kind === 'chain' ? { value: { kind: 'locator', links: linksOf(value.chain) }, node } : undefined;
    });
  }

  private call(node: TS.CallExpression, env: Env): Val {
    const ts = this.ts;
    const callee = unwrap(ts, node.expression);
    if (ts.isPropertyAccessExpression(callee) && LOCATOR_METHODS.has(callee.name.text)) {
      const receiver = this.evaluate(callee.expression, env);
      if (receiver.kind !== 'instance') {
        const link: LinkAt = { name: callee.name.text, args: node.arguments.map((a) => this.arg(a, env)), site: { file: node.getSourceFile(), call: node, name: callee.name } };
        return receiver.kind === 'chain'
          ? { kind: 'chain', chain: { root: receiver.chain.root, links: [...receiver.chain.links, link] } }
          : { kind: 'chain', chain: { root: receiver.node, links: [link] } };
      }
    }
    const target = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
    const fn = this.functionOf(this.declarationOf(target));
    if (!fn) return { kind: 'opaque', node };
    const self = ts.isPropertyAccessExpression(callee) ? this.evaluate(callee.expression, env) : undefined;
    return this.returned(fn, node.arguments, env, self, node);
  }

  /** A function or method whose body returns one expression (not async): what it returns is followed. */
  private functionOf(declaration: TS.Declaration | undefined): TS.FunctionLikeDeclaration | undefined {
    const ts = this.ts;
    if (!declaration) return undefined;
    let fn: TS.Node | undefined = declaration;
    if ((ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) && declaration.initializer) fn = unwrap(ts, declaration.initializer);
    if (!fn || !(ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isGetAccessorDeclaration(fn))) return undefined;
    if (!fn.body || fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) || fn.asteriskToken) return undefined;
    return fn;
  }

  private returnedExpression(fn: TS.FunctionLikeDeclaration): TS.Expression | undefined {
    const ts = this.ts;
    const body = fn.body!;
    if (!ts.isBlock(body)) return body;
    const returns: TS.ReturnStatement[] = [];
    const visit = (node: TS.Node): void => {
      if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
      if (ts.isReturnStatement(node)) returns.push(node);
      ts.forEachChild(node, visit);
    };
    body.statements.forEach(visit);
    const only = returns[0];
    return returns.length === 1 && only?.parent === body && only.expression ? only.expression : undefined;
  }

  private returned(fn: TS.FunctionLikeDeclaration, args: readonly TS.Expression[], caller: Env, self: Val | undefined, node: TS.Expression): Val {
    const expression = this.returnedExpression(fn);
    if (!expression) return { kind: 'opaque', node };
    const bindings = new Map<TS.Node, Binding>();
    fn.parameters.forEach((parameter, i) => bindings.set(parameter, { expr: args[i], env: caller }));
    return this.evaluate(expression, { owner: fn, bindings, self, depth: caller.depth + 1 });
  }

  private construct(node: TS.NewExpression, env: Env): Val {
    const ts = this.ts;
    const declaration = this.declarationOf(node.expression);
    if (!declaration || !ts.isClassLike(declaration)) return { kind: 'opaque', node };
    const constructor = declaration.members.find(ts.isConstructorDeclaration);
    const bindings = new Map<TS.Node, Binding>();
    constructor?.parameters.forEach((parameter, i) => bindings.set(parameter, { expr: node.arguments?.[i], env }));
    const instance: Instance = { kind: 'instance', cls: declaration, env: { owner: constructor, bindings, self: undefined, depth: env.depth + 1 } };
    instance.env.self = instance;
    return instance;
  }

  private constInitializer(declaration: TS.Declaration): TS.Expression | undefined {
    const ts = this.ts;
    if (!ts.isVariableDeclaration(declaration) || !declaration.initializer || !ts.isIdentifier(declaration.name)) return undefined;
    const list = declaration.parent;
    return ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const ? declaration.initializer : undefined;
  }

  /** The environment a declaration's initializer runs in: the current one when it is inside the function being evaluated. */
  private envFor(declaration: TS.Node, env: Env): Env {
    const owner = this.ownerOf(declaration);
    return owner === env.owner ? env : this.fresh(owner, env.depth + 1);
  }

  private identifier(node: TS.Identifier, env: Env): Val {
    const ts = this.ts;
    const declaration = this.declarationOf(node);
    if (declaration && ts.isParameter(declaration)) {
      const binding = env.bindings.get(declaration);
      return binding?.expr ? this.evaluate(binding.expr, binding.env) : { kind: 'opaque', node };
    }
    const initializer = declaration && this.constInitializer(declaration);
    return initializer ? this.evaluate(initializer, this.envFor(declaration, env)) : { kind: 'opaque', node };
  }

  /** The environment of a class's constructor: the instance's when it is known. */
  private classEnv(cls: TS.ClassLikeDeclaration, receiver: Val, env: Env): Env {
    if (receiver.kind === 'instance' && receiver.cls === cls) return receiver.env;
    return this.fresh(cls.members.find(this.ts.isConstructorDeclaration), env.depth + 1);
  }

  private property(node: TS.PropertyAccessExpression, env: Env): Val {
    const ts = this.ts;
    const opaque: Val = { kind: 'opaque', node };
    const declaration = this.declarationOf(node.name);
    if (!declaration) return opaque;
    if (ts.isParameter(declaration) && ts.isConstructorDeclaration(declaration.parent)) {
      // A parameter property (`constructor(readonly page: Page)`): what the `new` passed.
      const receiver = this.evaluate(node.expression, env);
      const binding = receiver.kind === 'instance' ? receiver.env.bindings.get(declaration) : undefined;
      return binding?.expr ? this.evaluate(binding.expr, binding.env) : opaque;
    }
    if (ts.isGetAccessorDeclaration(declaration)) {
      const fn = this.functionOf(declaration);
      return fn ? this.returned(fn, [], env, this.evaluate(node.expression, env), node) : opaque;
    }
    if (!ts.isPropertyDeclaration(declaration) || !ts.isClassLike(declaration.parent)) return opaque;
    const cls = declaration.parent;
    const classEnv = this.classEnv(cls, this.evaluate(node.expression, env), env);
    if (declaration.initializer) return this.evaluate(declaration.initializer, classEnv);
    const assigned = this.assignedInConstructor(cls, node.name.text);
    return assigned ? this.evaluate(assigned, classEnv) : opaque;
  }

  /** `this.name = <expression>` at the top of the constructor, when it is the only assignment there. */
  private assignedInConstructor(cls: TS.ClassLikeDeclaration, name: string): TS.Expression | undefined {
    const ts = this.ts;
    const body = cls.members.find(ts.isConstructorDeclaration)?.body;
    const found: TS.Expression[] = [];
    for (const statement of body?.statements ?? []) {
      if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
      const { left, operatorToken, right } = statement.expression;
      if (operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === name) found.push(right);
    }
    return found.length === 1 ? found[0] : undefined;
  }
}
