import { describe, expect, it } from 'vitest';
import { rewriteSources } from './apply.testkit.js';

const spec = (body: string, head = "import { test, expect } from '@playwright/test';\n") => `${head}test('t', async ({ page }) => {\n${body}\n});\n`;

describe('rewriting a locator where it is written', () => {
  it('matches by value, whatever the quotes and formatting, and keeps them outside the change', () => {
    const text = spec(`  await page.getByRole("button", {name:"Save"}).click(); // "Save" stays in comments\n  await page\n    .getByRole( 'button' , {\n      name: 'Save',\n    })\n    .click();`);
    const { after, uses } = rewriteSources({ 'a.spec.ts': text }, "getByRole('button', { name: 'Save' })", "page.getByRole('button', { name: 'Store' })");
    expect(uses).toBe(2);
    expect(after['a.spec.ts']).toBe(text.replace('{name:"Save"}', '{name:"Store"}').replace("name: 'Save',", "name: 'Store',"));
  });

  it('rewrites only the changed argument of a regular expression, and a whole link when the method changes', () => {
    const text = spec("  await page.getByRole('link', { name: /^Cart/ }).click();\n  await page.locator('#cart-count').click();");
    expect(rewriteSources({ 'a.spec.ts': text }, "getByRole('link', { name: /^Cart/ })", "getByRole('link', { name: 'Bag' })").after['a.spec.ts']).toBe(
      text.replace('/^Cart/', "'Bag'"),
    );
    expect(rewriteSources({ 'a.spec.ts': text }, "locator('#cart-count')", "getByTestId('bag-count')").after['a.spec.ts']).toBe(
      text.replace("locator('#cart-count')", "getByTestId('bag-count')"),
    );
  });

  it("writes new strings in the file's own quote style", () => {
    const text = spec('  await page.locator("#a").click();\n  await page.getByText("x").click();');
    expect(rewriteSources({ 'a.spec.ts': text }, "locator('#a')", `getByRole('button', { name: "It's" })`).after['a.spec.ts']).toContain(
      `page.getByRole("button", { name: "It's" }).click()`,
    );
  });

  it('follows a page object field into its constructor, and keeps the receiver', () => {
    const pageObject =
      "import type { Locator, Page } from '@playwright/test';\nexport class CartPage {\n  readonly cart: Locator;\n  constructor(private readonly page: Page) {\n    this.cart = page.locator('#cart');\n  }\n  async checkout() {\n    await this.cart.getByRole('button', { name: 'Checkout' }).click();\n  }\n}\n";
    const files = { 'a.spec.ts': spec("  const cart = new CartPage(page);\n  await expect(cart.cart.getByRole('button', { name: 'Checkout' })).toBeVisible();", "import { test, expect } from '@playwright/test';\nimport { CartPage } from './pages/CartPage.js';\n"), 'pages/CartPage.ts': pageObject };
    // The chain is split: its first link in the constructor, its last in the spec and in a method.
    const { after, uses } = rewriteSources(files, "locator('#cart').getByRole('button', { name: 'Checkout' })", "locator('#bag').getByRole('button', { name: 'Pay' })");
    expect(uses).toBe(2);
    expect(after['pages/CartPage.ts']).toBe(pageObject.replace("'#cart'", "'#bag'").replace("name: 'Checkout'", "name: 'Pay'"));
    expect(after['a.spec.ts']).toBe(files['a.spec.ts'].replace("name: 'Checkout'", "name: 'Pay'"));
  });

  it('follows variables, imported helpers and methods with their arguments', () => {
    const helpers = "import type { Page } from '@playwright/test';\nexport function badge(page: Page) {\n  return page.locator('#cart-count');\n}\nexport const rows = (page: Page, name: string) => page.locator('tr').filter({ hasText: name });\n";
    const files = {
      'a.spec.ts': spec("  const row = rows(page, 'Lamp');\n  await expect(badge(page)).toHaveText('1');\n  await row.getByRole('spinbutton').fill('2');", "import { test, expect } from '@playwright/test';\nimport { badge, rows } from './helpers';\n"),
      'helpers.ts': helpers,
    };
    expect(rewriteSources(files, "locator('#cart-count')", "getByTestId('bag-count')").after).toEqual({ 'helpers.ts': helpers.replace("locator('#cart-count')", "getByTestId('bag-count')") });
    // The changed link is the spec's; the parameter's link (filter) stays as it is.
    expect(rewriteSources(files, "locator('tr').filter({ hasText: 'Lamp' }).getByRole('spinbutton')", "locator('tr').filter({ hasText: 'Lamp' }).getByRole('spinbutton', { name: 'Qty' })").after).toEqual({
      'a.spec.ts': files['a.spec.ts'].replace("getByRole('spinbutton')", "getByRole('spinbutton', { name: 'Qty' })"),
    });
  });

  it('replaces a chain written in several places by the new one from the page, where the page is in reach', () => {
    const files = {
      'a.spec.ts': spec("  const row = rows(page, 'Lamp');\n  await row.getByRole('spinbutton').fill('2');", "import { test } from '@playwright/test';\nimport { rows } from './helpers';\n"),
      'helpers.ts': "export const rows = (page: any, name: string) => page.locator('tr').filter({ hasText: name });\n",
    };
    const { after } = rewriteSources(files, "locator('tr').filter({ hasText: 'Lamp' }).getByRole('spinbutton')", "page.getByRole('spinbutton', { name: 'Qty for Lamp' })");
    expect(after).toEqual({ 'a.spec.ts': files['a.spec.ts'].replace("row.getByRole('spinbutton')", "page.getByRole('spinbutton', { name: 'Qty for Lamp' })") });
  });

  it('never fixes the value of a parameter into a shared method', () => {
    const pageObject =
      "export class List {\n  constructor(private readonly page: any) {}\n  item(name: string) {\n    return this.page.getByRole('listitem').filter({ hasText: name });\n  }\n  async open(name: string) {\n    await this.item(name).click();\n  }\n}\n";
    const { after, reasons } = rewriteSources({ 'List.ts': pageObject }, "getByRole('listitem').filter({ hasText: 'Lamp' })", "getByRole('listitem').filter({ hasText: 'Desk lamp' })");
    expect(after).toEqual({});
    expect(reasons[0]).toMatch(/built with a parameter/);
    // A change elsewhere in the same chain is fine: the parameter's link is kept.
    expect(rewriteSources({ 'List.ts': pageObject }, "getByRole('listitem').filter({ hasText: 'Lamp' })", "getByRole('row').filter({ hasText: 'Lamp' })").after['List.ts']).toBe(
      pageObject.replace("getByRole('listitem')", "getByRole('row')"),
    );
  });

  it('leaves alone what does not match exactly', () => {
    const text = spec("  await page.getByRole('button', { name: 'Save', exact: true }).click();\n  await page.getByRole('button', { name: 'Save' }).first().click();\n  await page.getByRole('button', { name: label }).click();");
    expect(rewriteSources({ 'a.spec.ts': text }, "getByRole('button', { name: 'Save' })", "getByRole('button', { name: 'Store' })")).toEqual({ after: {}, reasons: [], uses: 0 });
  });

  it('inserts and removes links in a chain written in one place', () => {
    const text = spec("  await page.locator('.price').first().click();\n  await page.getByTestId('card').click();");
    expect(rewriteSources({ 'a.spec.ts': text }, "locator('.price').first()", "getByText('$25.00')").after['a.spec.ts']).toContain("page.getByText('$25.00').click()");
    expect(rewriteSources({ 'a.spec.ts': text }, "locator('.price').first()", "locator('.price')").after['a.spec.ts']).toContain("page.locator('.price').click()");
    expect(rewriteSources({ 'a.spec.ts': text }, "getByTestId('card')", "getByTestId('card').first()").after['a.spec.ts']).toContain("page.getByTestId('card').first().click()");
    expect(rewriteSources({ 'a.spec.ts': text }, "getByTestId('card')", "locator('#list').getByTestId('card')").after['a.spec.ts']).toContain("page.locator('#list').getByTestId('card').click()");
  });

  it('matches xpath= written in the spec with the plain XPath Playwright prints', () => {
    const text = spec(`  await expect(page.locator('xpath=//ul[@id="list"]/li')).toHaveCount(2);`);
    expect(rewriteSources({ 'a.spec.ts': text }, `locator('//ul[@id="list"]/li')`, "getByTestId('tile')").after['a.spec.ts']).toContain("page.getByTestId('tile')).toHaveCount(2)");
  });

  it('does not follow a let (it may be reassigned) nor an async helper', () => {
    const text = spec("  let a = page.locator('#a');\n  await a.click();\n  const b = await find(page);\n  await b.click();", "import { test } from '@playwright/test';\nasync function find(page: any) { return page.locator('#a'); }\n");
    const { uses } = rewriteSources({ 'a.spec.ts': text }, "locator('#a')", "locator('#b')");
    expect(uses).toBe(2); // the initialisers themselves: `page.locator('#a')` twice, not `a` nor `b`
  });

  it('says why when a chain written in several places cannot be replaced from its page', () => {
    const pageObject =
      "export class List {\n  readonly list: any;\n  constructor(page: any) {\n    this.list = page.locator('#list');\n  }\n  async open() {\n    await this.list.getByRole('link').click();\n  }\n}\n";
    const { after, reasons } = rewriteSources({ 'List.ts': pageObject }, "locator('#list').getByRole('link')", "getByRole('button', { name: 'Open' })");
    expect(after).toEqual({});
    expect(reasons).toEqual(['its links are written apart (List.ts:4, List.ts:7) and the page it starts from is not in reach at List.ts:7']);
  });

  it('keeps a receiver written as this.page, and CRLF line endings', () => {
    const pageObject = "export class P {\r\n  constructor(private readonly page: any) {}\r\n  async go() {\r\n    await this.page\r\n      .locator('#go')\r\n      .click();\r\n  }\r\n}\r\n";
    expect(rewriteSources({ 'P.ts': pageObject }, "locator('#go')", "getByRole('button', { name: 'Go' })").after['P.ts']).toBe(
      pageObject.replace("locator('#go')", "getByRole('button', { name: 'Go' })"),
    );
  });
});
