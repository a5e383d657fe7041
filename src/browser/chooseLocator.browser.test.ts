import { selectors, type ElementHandle, type Locator, type Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import type { Candidate } from '../healing/fingerprint.js';
import { candidateElement, captureCandidates } from './capture.js';
import { testdata, useBrowserPage } from './browser.testkit.js';
import { chooseLocator, type LocatorChoice } from './chooseLocator.js';

let page: Page;
useBrowserPage((p) => (page = p));

/** Runs the snippet as a user would have written it, with `page` in scope. */
function run(code: string, target: Page): Locator {
  return new Function('page', `return ${code};`)(target) as Locator;
}

async function isSame(locator: Locator, element: ElementHandle<Node>): Promise<boolean> {
  return locator.evaluate((el, target) => el === target, element);
}

/** Chooses a locator for a candidate, checks the result finds that element (also through its code), returns it. */
async function choose(candidates: Candidate[], match: (c: Candidate) => boolean, testIdAttribute?: string) {
  const found = candidates.filter(match);
  expect(found).toHaveLength(1);
  const candidate = found[0]!;
  const element = await candidateElement(page, candidate.index);
  const choice = await chooseLocator(page, element, { fingerprint: candidate, testIdAttribute });
  if (choice.ok) {
    expect(await choice.locator.count()).toBe(1);
    expect(await isSame(choice.locator, element)).toBe(true);
    const fromCode = run(choice.code, page);
    expect(await fromCode.count()).toBe(1);
    expect(await isSame(fromCode, element)).toBe(true);
  }
  return choice;
}

const okCode = (choice: LocatorChoice) => {
  if (!choice.ok) throw new Error(`no locator: ${choice.reason}\n${JSON.stringify(choice.tried, null, 2)}`);
  return { kind: choice.kind, code: choice.code };
};

describe('chooseLocator', () => {
  it('picks each kind when it is the best unique locator, and writes the code a user would', async () => {
    await page.setContent(testdata('locators.html'));
    const candidates = await captureCandidates(page);
    const byCase = new Map<string, Candidate>();
    for (const c of candidates) {
      const handle = await candidateElement(page, c.index);
      const name = await handle.evaluate((el) => el.getAttribute('data-case'));
      if (name) byCase.set(name, c);
    }
    const expected: Record<string, { kind: string; code: string }> = {
      testId: { kind: 'testId', code: "page.getByTestId('save-settings')" },
      testAttr: { kind: 'css', code: `page.locator('[data-qa="export"]')` },
      role: { kind: 'role', code: "page.getByRole('button', { name: 'Delete account' })" },
      roleExact: { kind: 'role', code: "page.getByRole('button', { name: 'Save', exact: true })" },
      label: { kind: 'label', code: "page.getByLabel('Email')" },
      title: { kind: 'title', code: "page.getByTitle('Email')" },
      placeholder: { kind: 'placeholder', code: "page.getByPlaceholder('Search products')" },
      altText: { kind: 'altText', code: "page.getByAltText('Company logo')" },
      text: { kind: 'text', code: "page.getByText('Free shipping on orders over $50')" },
      textExact: { kind: 'text', code: "page.getByText('Total', { exact: true })" },
      cssId: { kind: 'css', code: "page.locator('#promo-badge')" },
      classes: { kind: 'css', code: "page.locator('div.notice.warning')" },
      path: { kind: 'css', code: "page.locator('#tags > li:nth-of-type(2) > span:nth-of-type(1)')" },
      roleOnly: { kind: 'role', code: "page.getByRole('progressbar')" },
      xpath: { kind: 'xpath', code: "page.locator('xpath=/html[1]/body[1]/div[2]/i[1]')" },
      quotes: { kind: 'css', code: `page.locator('input[name="it\\'s \\\\"quoted\\\\" \\\\\\\\ back"]')` },
    };
    expect([...byCase.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const [name, want] of Object.entries(expected)) {
      const candidate = byCase.get(name)!;
      const choice = await choose(candidates, (c) => c.index === candidate.index);
      expect(okCode(choice), name).toEqual(want);
    }
  });

  it('falls through a text that is not unique to the next kind, and says what it tried', async () => {
    await page.setContent(testdata('locators.html'));
    const candidates = await captureCandidates(page);
    const choice = await choose(candidates, (c) => c.id === 'promo-badge');
    expect(choice.ok).toBe(true);
    const tried = choice.tried.map((t) => `${t.code} → ${t.count}`);
    expect(tried).toEqual(["page.getByText('New') → 3", "page.getByText('New', { exact: true }) → 3", "page.locator('#promo-badge') → 1"]);
  });

  it('scopes a repeated element to the row or list item that holds its neighbour text', async () => {
    await page.setContent(testdata('capture.html'));
    const candidates = await captureCandidates(page);
    const deletes = candidates.filter((c) => c.tag === 'button' && c.accessibleName === 'Delete');
    const removes = candidates.filter((c) => c.tag === 'button' && c.accessibleName === 'Remove');
    const codes = [];
    for (const c of [...deletes, ...removes]) codes.push(okCode(await choose(candidates, (x) => x.index === c.index)));
    expect(codes).toEqual([
      { kind: 'role', code: "page.getByRole('row').filter({ hasText: 'Ada Lovelace' }).getByRole('button', { name: 'Delete' })" },
      { kind: 'role', code: "page.getByRole('row').filter({ hasText: 'Alan Turing' }).getByRole('button', { name: 'Delete' })" },
      { kind: 'role', code: "page.getByRole('listitem').filter({ hasText: 'Buy milk' }).getByRole('button', { name: 'Remove' })" },
      { kind: 'role', code: "page.getByRole('listitem').filter({ hasText: 'Walk the dog' }).getByRole('button', { name: 'Remove' })" },
    ]);
  });

  it('uses getByTestId for the configured testIdAttribute', async () => {
    await page.setContent(testdata('locators.html'));
    const candidates = await captureCandidates(page, { testIdAttribute: 'data-qa' });
    selectors.setTestIdAttribute('data-qa');
    try {
      const choice = await choose(candidates, (c) => c.testIds?.['data-qa'] === 'export', 'data-qa');
      expect(okCode(choice)).toEqual({ kind: 'testId', code: "page.getByTestId('export')" });
    } finally {
      selectors.setTestIdAttribute('data-testid');
    }
  });

  it('reaches elements in nested same-origin iframes through a contentFrame() chain', async () => {
    await page.setContent(testdata('frames.html'));
    await expect.poll(() => page.frames().length).toBe(4);
    const candidates = await captureCandidates(page);
    const pays = candidates.filter((c) => c.accessibleName === 'Pay now');
    expect(pays).toHaveLength(3);
    const codes = [];
    for (const pay of pays) codes.push(okCode(await choose(candidates, (c) => c.index === pay.index)).code);
    expect(codes).toEqual([
      `page.locator('iframe[name="checkout"]').contentFrame().getByRole('button', { name: 'Pay now' })`,
      `page.locator('iframe[name="checkout"]').contentFrame().locator('iframe[title="Card details"]').contentFrame().getByRole('button', { name: 'Pay now' })`,
      `page.locator('xpath=/html[1]/body[1]/iframe[2]').contentFrame().getByRole('button', { name: 'Pay now' })`,
    ]);
    const card = await choose(candidates, (c) => c.name === 'card');
    expect(okCode(card).code).toMatch(/contentFrame\(\)\.getByRole\('textbox', \{ name: 'Card number' \}\)$/);
    // A handle made in the top frame's context for an element of a child frame: still identified.
    const foreign = await page.evaluateHandle(() =>
      document.querySelector<HTMLIFrameElement>('iframe[name="checkout"]')!.contentDocument!.querySelector('button')!,
    );
    const viaTop = await chooseLocator(page, foreign.asElement()!);
    expect(okCode(viaTop).code).toBe(codes[0]);
  });

  it('pierces open shadow roots, and reports when nothing unique exists', async () => {
    await page.setContent(testdata('shadow.html'));
    const candidates = await captureCandidates(page);
    const follow = await choose(candidates, (c) => c.accessibleName === 'Follow Alan');
    expect(okCode(follow)).toEqual({ kind: 'role', code: "page.getByRole('button', { name: 'Follow Alan' })" });

    const dots = candidates.filter((c) => c.classes?.includes('dot'));
    const dot = await choose(candidates, (c) => c.index === dots[1]!.index);
    expect(okCode(dot)).toEqual({ kind: 'css', code: "page.locator('user-card#card-2 span.dot')" });

    // Two identical shadow trees under hosts without ids: no locator is unique.
    const chips = candidates.filter((c) => c.tag === 'b' && c.text === 'Pro');
    const none = await choose(candidates, (c) => c.index === chips[0]!.index);
    expect(none.ok).toBe(false);
    if (!none.ok) {
      expect(none.reason).toMatch(/None of \d+ locators is unique in the page and finds this element/);
      expect(none.tried.length).toBeGreaterThan(2);
      expect(none.tried.every((t) => t.count !== 1 || t.sameElement === false)).toBe(true);
    }
  });

  it('captures the fingerprint itself when none is given', async () => {
    await page.setContent('<main><button class="primary">Continue</button><a href="/help">Help</a></main>');
    const choice = await chooseLocator(page, await page.locator('a').elementHandle().then((h) => h!));
    expect(okCode(choice)).toEqual({ kind: 'role', code: "page.getByRole('link', { name: 'Help' })" });
  });
});
