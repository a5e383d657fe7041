import { describe, expect, it } from 'vitest';
import type { Fingerprint } from './fingerprint.js';
import {
  cssIdent,
  cssString,
  jsString,
  locatorProposalSchema,
  locatorProposals,
  looksGenerated,
  proposalCode,
  withoutEdgeNumbers,
} from './locatorProposals.js';

const codes = (fp: Fingerprint, testIdAttribute?: string) =>
  locatorProposals(fp, { testIdAttribute }).map((p) => proposalCode(p));

describe('locatorProposals', () => {
  it("orders kinds the way Playwright prefers them, loose before exact", () => {
    const fp: Fingerprint = {
      tag: 'input',
      id: 'email',
      name: 'email',
      classes: ['field', 'is-active', 'css-1x2y3z'],
      role: 'textbox',
      accessibleName: 'Email',
      label: 'Email',
      placeholder: 'you@example.com',
      title: 'Your email',
      type: 'email',
      testIds: { 'data-testid': 'email', 'data-cy': 'mail', 'data-test': 'e' },
      idXpath: "//*[@id='email']",
      xpath: '/html[1]/body[1]/form[1]/input[1]',
    };
    expect(codes(fp)).toEqual([
      "page.getByTestId('email')",
      `page.locator('[data-test="e"]')`,
      `page.locator('[data-cy="mail"]')`,
      "page.getByRole('textbox', { name: 'Email' })",
      "page.getByRole('textbox', { name: 'Email', exact: true })",
      "page.getByLabel('Email')",
      "page.getByLabel('Email', { exact: true })",
      "page.getByPlaceholder('you@example.com')",
      "page.getByPlaceholder('you@example.com', { exact: true })",
      "page.getByTitle('Your email')",
      "page.getByTitle('Your email', { exact: true })",
      "page.locator('#email')",
      "page.getByRole('textbox')",
      `page.locator('input[name="email"]')`,
      "page.locator('input.field')",
      `page.locator('input[type="email"]')`,
      "page.locator('xpath=/html[1]/body[1]/form[1]/input[1]')",
    ]);
    for (const proposal of locatorProposals(fp)) expect(locatorProposalSchema.parse(proposal)).toEqual(proposal);
  });

  it('tries a stable id before text that holds digits (a price, a count), and text first otherwise', () => {
    const kinds = (fp: Fingerprint) => locatorProposals(fp).map((p) => p.expression);
    const total = kinds({ tag: 'strong', id: 'order-total', text: '$65.00', visibleText: '$65.00' });
    expect(total.indexOf("locator('#order-total')")).toBeLessThan(total.indexOf("getByText('$65.00')"));
    const note = kinds({ tag: 'p', id: 'note', text: 'Free shipping', visibleText: 'Free shipping' });
    expect(note.indexOf("getByText('Free shipping')")).toBeLessThan(note.indexOf("locator('#note')"));
  });

  it('tries a role name without the number at its edge first (a count in a link), then the whole name', () => {
    const link: Fingerprint = { tag: 'a', role: 'link', accessibleName: 'Bag 3', href: '/cart' };
    expect(codes(link).slice(0, 3)).toEqual([
      "page.getByRole('link', { name: 'Bag' })",
      "page.getByRole('link', { name: 'Bag 3' })",
      "page.getByRole('link', { name: 'Bag 3', exact: true })",
    ]);
    expect(codes({ tag: 'button', role: 'button', accessibleName: 'Save' })[0]).toBe("page.getByRole('button', { name: 'Save' })");
  });

  it('takes numbers off a name only at its edges, and only when words are left (a substring the loose match finds)', () => {
    expect(withoutEdgeNumbers('Bag (3)')).toBe('Bag');
    expect(withoutEdgeNumbers('12 results')).toBe('results');
    expect(withoutEdgeNumbers('Total $45.00')).toBe('Total');
    expect(withoutEdgeNumbers('Step 2 of 3')).toBe('Step 2 of');
    for (const name of ['3', 'Cart', 'v2 notes', 'Room101']) expect(withoutEdgeNumbers(name), name).toBeUndefined();
  });

  it('uses getByTestId only for the configured attribute', () => {
    const fp: Fingerprint = { tag: 'button', testIds: { 'data-testid': 'a', 'data-qa': 'b' } };
    expect(codes(fp, 'data-qa').slice(0, 2)).toEqual(["page.getByTestId('b')", `page.locator('[data-testid="a"]')`]);
  });

  it('quotes and escapes strings the way they must be written', () => {
    const fp: Fingerprint = { tag: 'button', role: 'button', accessibleName: `It's a "test" \\ done`, id: 'a b' };
    expect(codes(fp)[0]).toBe(`page.getByRole('button', { name: 'It\\'s a "test" \\\\ done' })`);
    expect(codes(fp)).toContain(`page.locator('#a\\\\ b')`);
    expect(jsString('a\nb\u2028\u0001')).toBe("'a\\nb\\u2028\\u0001'");
    expect(cssIdent('1st')).toBe('\\31 st');
    expect(cssIdent('a.b:c')).toBe('a\\.b\\:c');
    expect(cssIdent('-')).toBe('\\-');
    expect(cssString('say "hi"\n')).toBe('"say \\"hi\\"\\a "');
    // The produced code is valid JavaScript that yields the original string.
    const [proposal] = locatorProposals(fp);
    const call = proposal!.expression.replace(/^getByRole\(/, '[').replace(/\)$/, ']');
    expect(new Function(`return ${call};`)()).toEqual(['button', { name: `It's a "test" \\ done` }]);
  });

  it('skips long texts, generated ids and classes, and state classes', () => {
    const long = 'x'.repeat(81);
    const fp: Fingerprint = {
      tag: 'div',
      id: ':r1:',
      classes: ['Card_root__3xYz9', 'active', 'sc-bdVaJa', 'card'],
      visibleText: long,
      xpath: '/html[1]/body[1]/div[1]',
    };
    expect(codes(fp)).toEqual(["page.locator('div.card')", "page.locator('xpath=/html[1]/body[1]/div[1]')"]);
    for (const token of [':r1:', 'ember1234', 'css-1q2w3e', 'a1b2c3d4', '4f3c2a1b9d', 'Card_root__3xYz9']) {
      expect(looksGenerated(token), token).toBe(true);
    }
    for (const token of ['save-button', 'nav', 'user-card', 'h1', 'feedback', 'col-2']) expect(looksGenerated(token), token).toBe(false);
  });

  it('turns an id-relative XPath into a short CSS path, and scopes shadow elements by their host', () => {
    expect(codes({ tag: 'a', idXpath: "//*[@id='nav']/ul[1]/li[3]/a[1]" })).toEqual([
      "page.locator('#nav > ul:nth-of-type(1) > li:nth-of-type(3) > a:nth-of-type(1)')",
    ]);
    const inShadow: Fingerprint = {
      tag: 'span',
      classes: ['dot'],
      xpath: '/div[1]/span[1]',
      shadowPath: ['user-card#card-2'],
    };
    expect(codes(inShadow)).toEqual(["page.locator('span.dot')", "page.locator('user-card#card-2 span.dot')"]);
  });

  it('scopes a role to the row that holds a neighbour text', () => {
    const fp: Fingerprint = {
      tag: 'button',
      role: 'button',
      accessibleName: 'Delete',
      ancestors: [{ tag: 'td' }, { tag: 'tr', id: 'row-1' }, { tag: 'tbody' }],
      neighbors: { left: "O'Brien", right: 'Delete', above: 'Action' },
    };
    const scoped = locatorProposals(fp).filter((p) => p.within);
    expect(scoped.map((p) => proposalCode(p))).toEqual([
      "page.getByRole('row').filter({ hasText: 'O\\'Brien' }).getByRole('button', { name: 'Delete' })",
    ]);
    expect(scoped[0]).toMatchObject({ kind: 'role', within: { role: 'row', hasText: "O'Brien" } });
    expect(locatorProposals({ ...fp, ancestors: [{ tag: 'div' }] }).some((p) => p.within)).toBe(false);
  });

  it('finds frames by name or title first', () => {
    const frame: Fingerprint = { tag: 'iframe', name: 'checkout', title: 'Checkout', accessibleName: 'Checkout', id: 'pay' };
    expect(codes(frame)).toEqual([
      `page.locator('iframe[name="checkout"]')`,
      `page.locator('iframe[title="Checkout"]')`,
      "page.getByTitle('Checkout')",
      "page.getByTitle('Checkout', { exact: true })",
      "page.locator('#pay')",
    ]);
  });

  it('proposes nothing from an empty fingerprint', () => {
    expect(locatorProposals({})).toEqual([]);
  });
});
