import type * as TS from 'typescript';
import type { Arg } from './args.js';
import { changedSpan } from './chain.js';
import type { LinkAt } from './evaluate.js';
import type { UseSite } from './useSites.js';
import type { TypeScript } from './typescript.js';
import { hasAny, printLink, printLinks, printValue, sameLink, sameValue, type Link, type Quote, type Value } from './values.js';

/** Replace `[start, end)` of `file` (an absolute path) with `text`. */
export type Edit = { file: string; start: number; end: number; text: string };

export type RewriteContext = {
  ts: TypeScript;
  /** The file's own quote style, for new strings. */
  quoteOf: (file: TS.SourceFile) => Quote;
  /** The root's text when it can be written at `at` (the same variable is in scope there), else undefined. */
  rootAt: (root: TS.Expression, at: TS.Node) => string | undefined;
  /** A file as messages name it (relative to the root dir). */
  label: (fileName: string) => string;
};

export type Rewrite = { edits: Edit[] } | { reason: string };

/** `pages/CartPage.ts:12`. */
export function lineOf(label: (fileName: string) => string, node: TS.Node): string {
  const file = node.getSourceFile();
  return `${label(file.fileName)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
}
const replace = (node: TS.Node, start: number, end: number, text: string): Edit => ({ file: node.getSourceFile().fileName, start, end, text });
const argsHaveAny = (link: LinkAt) => link.args.some((a) => hasAny(a.value));

/** The arguments' own literal, written inside this call (not a variable's value defined elsewhere). */
function inCall(link: LinkAt, node: TS.Node): boolean {
  const call = link.site.call;
  return node.getSourceFile() === call.getSourceFile() && node.pos >= call.arguments.pos && node.end <= call.arguments.end;
}

function quoteOfLiteral(ts: TypeScript, node: TS.Node, fallback: Quote): Quote {
  if (!ts.isStringLiteral(node)) return fallback;
  return node.getText().startsWith('"') ? '"' : "'";
}

/** The smallest edits that turn one argument into `to`: only the properties and items that changed. */
function argEdits(ctx: RewriteContext, link: LinkAt, arg: Arg, to: Value, receiver: string | undefined): Edit[] | undefined {
  if (!hasAny(arg.value) && sameValue(arg.value, to)) return [];
  if (arg.props && to.kind === 'object') {
    const wanted = new Map(to.props.filter(([, v]) => !(v.kind === 'literal' && v.value === undefined)));
    const keys = [...arg.props.keys()];
    if (keys.length === wanted.size && keys.every((k) => wanted.has(k))) {
      const edits = keys.map((k) => argEdits(ctx, link, arg.props!.get(k)!, wanted.get(k)!, receiver));
      return edits.every((e) => e !== undefined) ? edits.flat() : undefined;
    }
  }
  if (arg.items && to.kind === 'array' && arg.items.length === to.items.length) {
    const edits = arg.items.map((item, i) => argEdits(ctx, link, item, to.items[i]!, receiver));
    return edits.every((e) => e !== undefined) ? edits.flat() : undefined;
  }
  if (hasAny(arg.value) || !inCall(link, arg.node)) return undefined; // a parameter or a shared constant: not this call's to change
  const text = printValue(to, quoteOfLiteral(ctx.ts, arg.node, ctx.quoteOf(link.site.file)), receiver);
  return text === undefined ? undefined : [replace(arg.node, arg.node.getStart(), arg.node.getEnd(), text)];
}

/** The quote of the first string literal in these links' arguments, else the file's. */
function quoteNear(ctx: RewriteContext, links: readonly LinkAt[], file: TS.SourceFile): Quote {
  for (const link of links) {
    for (const arg of link.site.call.arguments) {
      let found: Quote | undefined;
      const visit = (node: TS.Node): void => {
        if (found === undefined && ctx.ts.isStringLiteral(node)) found = node.getText().startsWith('"') ? '"' : "'";
        else if (found === undefined) ctx.ts.forEachChild(node, visit);
      };
      visit(arg);
      if (found) return found;
    }
  }
  return ctx.quoteOf(file);
}

/** Edits turning one link into `to`: its changed arguments, else the whole call (`name(args)`). */
function linkEdits(ctx: RewriteContext, link: LinkAt, to: Link, receiver: string | undefined): Edit[] | undefined {
  if (link.name === to.name && link.args.length === to.args.length) {
    const edits = link.args.map((arg, i) => argEdits(ctx, link, arg, to.args[i]!, receiver));
    if (edits.every((e) => e !== undefined)) return edits.flat();
  }
  if (argsHaveAny(link)) return undefined;
  const text = printLink(to, quoteNear(ctx, [link], link.site.file), receiver);
  return text === undefined ? undefined : [replace(link.site.call, link.site.name.getStart(), link.site.call.getEnd(), text)];
}

/** The expression a link is called on. */
const receiverOf = (link: LinkAt): TS.Expression => (link.site.call.expression as TS.PropertyAccessExpression).expression;

/** Links p..q-1 are written as one chain of calls (`a().b().c()`), each on the one before. */
function contiguous(ts: TypeScript, links: readonly LinkAt[], p: number, q: number): boolean {
  for (let i = p + 1; i < q; i++) {
    let receiver = receiverOf(links[i]!);
    while (ts.isParenthesizedExpression(receiver)) receiver = receiver.expression;
    if (receiver !== links[i - 1]!.site.call) return false;
  }
  return true;
}

/** 1. Same length: each changed link where it is written (a field, a method), only its changed arguments. */
function linkByLink(ctx: RewriteContext, use: UseSite, from: readonly Link[], to: readonly Link[]): Edit[] | undefined {
  if (from.length !== to.length) return undefined;
  const edits: Edit[] = [];
  for (const [i, link] of use.chain.links.entries()) {
    if (sameLink(from[i]!, to[i]!)) continue;
    const more = linkEdits(ctx, link, to[i]!, ctx.rootAt(use.chain.root, link.site.call));
    if (!more) return undefined;
    edits.push(...more);
  }
  return edits;
}

/** 2. The changed links replaced together (or inserted, or removed), when they are written as one chain of calls. */
function together(ctx: RewriteContext, use: UseSite, from: readonly Link[], to: readonly Link[]): Edit[] | undefined {
  const links = use.chain.links;
  const { prefix, suffix } = changedSpan(from, to, sameLink);
  const end = from.length - suffix;
  const added = to.slice(prefix, to.length - suffix);
  const removed = links.slice(prefix, end);
  if (removed.some(argsHaveAny) || !contiguous(ctx.ts, links, prefix, end)) return undefined;
  const anchor = links[Math.min(prefix, links.length - 1)]!;
  const text = printLinks(added, quoteNear(ctx, removed.length ? removed : [anchor], anchor.site.file), ctx.rootAt(use.chain.root, anchor.site.call));
  if (text === undefined) return undefined;
  const first = removed[0];
  const last = removed.at(-1);
  if (first && last) {
    return added.length
      ? [replace(anchor.site.call, first.site.name.getStart(), last.site.call.getEnd(), text)]
      : [replace(anchor.site.call, receiverOf(first).getEnd(), last.site.call.getEnd(), '')];
  }
  const before = links[prefix - 1];
  return before
    ? [replace(before.site.call, before.site.call.getEnd(), before.site.call.getEnd(), `.${text}`)]
    : [replace(anchor.site.call, anchor.site.name.getStart(), anchor.site.name.getStart(), `${text}.`)];
}

/** 3. The whole use replaced by `<root>.<to>`, when the root (the page) is in reach there and no link takes a parameter. */
function whole(ctx: RewriteContext, use: UseSite, to: readonly Link[]): Edit[] | undefined {
  const receiver = ctx.rootAt(use.chain.root, use.node);
  if (receiver === undefined || use.chain.links.some(argsHaveAny)) return undefined;
  const text = printLinks(to, quoteNear(ctx, use.chain.links, use.node.getSourceFile()), receiver);
  return text === undefined ? undefined : [replace(use.node, use.node.getStart(), use.node.getEnd(), `${receiver}.${text}`)];
}

/**
 * The edits that make a use of `from` build `to` instead, keeping what did not change:
 * 1. link by link (same length): each changed link where it is written — a page object's field,
 *    a method — and in it only the changed arguments;
 * 2. the changed links replaced together, when they are written as one chain of calls;
 * 3. the whole use replaced by `<root>.<to>`, when the root (the page) is in reach there.
 * A changed argument that comes from a parameter or a shared constant is never rewritten.
 * @example rewriteUse(ctx, use, parseChain(ts, "getByRole('button', { name: 'Save' })")!, parseChain(ts, "getByRole('button', { name: 'Store' })")!)
 */
export function rewriteUse(ctx: RewriteContext, use: UseSite, from: readonly Link[], to: readonly Link[]): Rewrite {
  const edits = linkByLink(ctx, use, from, to) ?? together(ctx, use, from, to) ?? whole(ctx, use, to);
  if (edits) return { edits };
  const links = use.chain.links;
  const where = (node: TS.Node) => lineOf(ctx.label, node);
  const places = [...new Set(links.map((l) => where(l.site.call)))];
  return {
    reason: links.some(argsHaveAny)
      ? `the chain at ${where(use.node)} is built with a parameter (${places.join(', ')}) that the change would fix to one value`
      : `its links are written apart (${places.join(', ')}) and the page it starts from is not in reach at ${where(use.node)}`,
  };
}
