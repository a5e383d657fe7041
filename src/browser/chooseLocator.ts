import type { ElementHandle, Frame, FrameLocator, Locator, Page } from '@playwright/test';
import { captureElement, type CaptureOptions } from '../healing/capture.js';
import { ownerFrameOf } from './capture.js';
import type { Fingerprint } from '../healing/fingerprint.js';
import {
  locatorProposals,
  proposalCode,
  type LocatorProposal,
  type ProposalKind,
} from '../healing/locatorProposals.js';

export interface ChooseLocatorOptions {
  /** The element's fingerprint (e.g. its candidate); captured from the element when absent. */
  fingerprint?: Fingerprint;
  /** Playwright's `testIdAttribute` in this project. Default `data-testid`. */
  testIdAttribute?: string;
  /** Look for a locator unique inside this one (a healed chain's parent), written after its code. */
  within?: { locator: Locator; code: string };
  /**
   * Links of the user's chain to keep after the proposal (`internal:has-text="Lamp"i`): then a
   * proposal may match many elements, as long as it and the links find exactly this one.
   */
  rest?: string;
  /** A further check of a proposal (before `rest`) that finds the element, e.g. which list it finds; rejected ones are passed over. */
  accept?: (proposal: Locator) => Promise<boolean>;
}

/** One proposal that was tried, and why it was not kept. */
export interface TriedProposal {
  code: string;
  /** How many elements it matched. */
  count: number;
  /** When it matched exactly one: whether that one is the element. */
  sameElement?: boolean;
  /** It found the element but `accept` turned it down. */
  rejected?: boolean;
}

export type LocatorChoice =
  | {
      ok: true;
      locator: Locator;
      /** What a user writes: `page.locator('#pay').contentFrame().getByRole('button', { name: 'Pay' })`. */
      code: string;
      kind: ProposalKind;
      proposal: LocatorProposal;
      /** The proposals of the iframes from the page down to the element's frame. */
      frames: LocatorProposal[];
      tried: TriedProposal[];
    }
  | { ok: false; reason: string; tried: TriedProposal[] };

type Root = Page | FrameLocator | Locator;
type AriaRole = Parameters<Page['getByRole']>[0];

/** Where the element is marked for the identity check: a window property, not a DOM change. */
const TARGET_KEY = '__playwrightMedicTarget';

/** The locator a proposal stands for, under a page, a frame or another locator. */
export function applyProposal(page: Root | Locator, proposal: LocatorProposal): Locator {
  const [value, options] = proposal.args;
  const within = proposal.within;
  const root = within ? page.getByRole(within.role as AriaRole).filter({ hasText: within.hasText }) : page;
  switch (proposal.method) {
    case 'getByTestId':
      return root.getByTestId(value);
    case 'getByRole':
      return root.getByRole(value as AriaRole, options);
    case 'getByLabel':
      return root.getByLabel(value, options);
    case 'getByPlaceholder':
      return root.getByPlaceholder(value, options);
    case 'getByAltText':
      return root.getByAltText(value, options);
    case 'getByTitle':
      return root.getByTitle(value, options);
    case 'getByText':
      return root.getByText(value, options);
    case 'locator':
      return root.locator(value);
  }
}

async function mark(element: ElementHandle<Node>, on: boolean): Promise<void> {
  await element.evaluate(
    (node, [key, set]) => {
      const win = (node.ownerDocument ?? (node as Document)).defaultView as unknown as Record<string, unknown> | null;
      if (!win) return;
      if (set) win[key] = node;
      else delete win[key];
    },
    [TARGET_KEY, on] as const,
  );
}

/** What one in-page step says about a proposal: how many elements it matches, and whether the only one is the element. */
type Check = { count: number; same: boolean };

/**
 * Count and identity in one round trip and one selector query: Playwright's own engines resolve
 * the locator (`evaluateAll`, public API), the page function only compares. The element is
 * passed as a handle (no mark in the page); a handle from another execution context than the
 * locator's frame cannot be passed, so then the element is marked in its window and compared there.
 */
async function check(locator: Locator, element: ElementHandle<Node>, marked: { on: boolean }): Promise<Check> {
  if (!marked.on) {
    try {
      return await locator.evaluateAll((els, target) => ({ count: els.length, same: els.length === 1 && els[0] === target }), element);
    } catch (error) {
      if (!/context/i.test(String((error as Error)?.message))) throw error;
      await mark(element, true);
      marked.on = true;
    }
  }
  return locator.evaluateAll(
    (els, key) => ({
      count: els.length,
      same: els.length === 1 && els[0] === (els[0]!.ownerDocument.defaultView as unknown as Record<string, unknown>)[key],
    }),
    TARGET_KEY,
  );
}

/** The first proposal that is unique under `root` and resolves to `element`. */
async function firstUnique(
  root: Root,
  receiver: string,
  proposals: LocatorProposal[],
  element: ElementHandle<Node>,
  tried: TriedProposal[],
  rest?: string,
  accept?: (proposal: Locator) => Promise<boolean>,
): Promise<{ locator: Locator; proposal: LocatorProposal; code: string } | undefined> {
  const marked = { on: false };
  try {
    for (const proposal of proposals) {
      const own = applyProposal(root, proposal);
      const locator = rest ? own.locator(rest) : own;
      const code = rest ? `${proposalCode(proposal, receiver)}${locator.toString().slice(own.toString().length)}` : proposalCode(proposal, receiver);
      let result: Check;
      try {
        result = await check(locator, element, marked);
      } catch {
        tried.push({ code, count: -1 }); // e.g. a selector this Playwright cannot parse
        continue;
      }
      if (result.count !== 1) {
        tried.push({ code, count: result.count });
        continue;
      }
      const kept = result.same && (!accept || (await accept(own).catch(() => false)));
      tried.push({ code, count: 1, sameElement: result.same, ...(result.same && !kept ? { rejected: true } : {}) });
      if (kept) return { locator, proposal, code };
    }
    return undefined;
  } finally {
    if (marked.on) await mark(element, false).catch(() => undefined);
  }
}

/**
 * A robust locator for an element: tries `locatorProposals` in order and returns the first
 * that matches exactly one element in the page and that element is this one. Elements in
 * same-origin iframes get a `contentFrame()` chain; open shadow roots need nothing (Playwright's
 * CSS and getBy* pierce them).
 * @example
 * const choice = await chooseLocator(page, await candidateElement(page, best.index), { fingerprint: best });
 * if (choice.ok) await choice.locator.click(); // choice.code: "page.getByRole('button', { name: 'Save' })"
 */
export async function chooseLocator(
  page: Page,
  element: ElementHandle<Node>,
  options: ChooseLocatorOptions = {},
): Promise<LocatorChoice> {
  const proposalOptions = { testIdAttribute: options.testIdAttribute ?? 'data-testid' };
  const tried: TriedProposal[] = [];
  const frame = await ownerFrameOf(element);
  if (!frame) return { ok: false, reason: 'The element is not attached to a frame of this page.', tried };

  const chain: Frame[] = [];
  for (let f: Frame | null = frame; f && f.parentFrame(); f = f.parentFrame()) chain.unshift(f);

  let root: Root = options.within?.locator ?? page;
  let receiver = options.within?.code ?? 'page';
  const frames: LocatorProposal[] = [];
  for (const child of options.within ? [] : chain) {
    const iframe = await child.frameElement();
    const fingerprint = await iframe.evaluate(captureElement, { neighbors: false });
    const found = await firstUnique(root, receiver, locatorProposals(fingerprint, proposalOptions), iframe, tried);
    await iframe.dispose();
    if (!found) {
      return { ok: false, reason: `No unique locator for the iframe that holds the element (${child.url()}).`, tried };
    }
    frames.push(found.proposal);
    root = found.locator.contentFrame();
    receiver = `${found.code}.contentFrame()`;
  }

  const fingerprint =
    options.fingerprint ??
    (await element.evaluate(captureElement as (node: Node, options?: CaptureOptions) => Fingerprint, { neighbors: false }));
  const proposals = locatorProposals(fingerprint, proposalOptions);
  const found = await firstUnique(root, receiver, proposals, element, tried, options.rest, options.accept);
  if (!found) {
    return {
      ok: false,
      reason: proposals.length
        ? `None of ${proposals.length} locators is unique in the page and finds this element.`
        : 'The fingerprint gives nothing to build a locator from.',
      tried,
    };
  }
  return { ok: true, ...found, kind: found.proposal.kind, frames, tried };
}
