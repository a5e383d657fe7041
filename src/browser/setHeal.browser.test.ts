import type { Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { sampleIndices } from '../healing/setFingerprint.js';
import { useBrowserPage } from './browser.testkit.js';
import { selectorOf } from './locatorHooks.js';
import { captureResolved } from './capture.js';
import { healSet } from './setHeal.js';

let page: Page;
useBrowserPage((p) => (page = p));

const products = ['Aurora Headphones', 'Pulse Speaker', 'Echo Earbuds', 'Lumen Lamp', 'Trail Bottle', 'Canvas Sleeve'];
const prices = ['$129.00', '$59.00', '$89.00', '$45.00', '$25.00', '$39.00'];

/** v1: a list of cards. */
const v1 = (names = products) => `
  <h1>Products</h1>
  <ul id="product-list">${names
    .map((n) => `<li class="product-card" data-testid="product-card"><h3 class="product-name"><a href="#">${n}</a></h3><p class="product-price">${prices[products.indexOf(n)]}</p><button>Add to cart</button></li>`)
    .join('')}</ul>
  <footer><p>Free shipping over $50</p></footer>`;

/** v2: the same cards as articles with new classes and test ids, price moved before the name; `extra` look-alikes elsewhere. */
const v2 = (names = products, extra = '') => `
  <h1>Products</h1>
  <div id="catalog" role="list">${names
    .map((n) => `<article class="product-tile" role="listitem" data-testid="product-tile"><div class="tile-body"><p class="price">${prices[products.indexOf(n)]}</p><h2 class="tile-title"><a href="#">${n}</a></h2></div><button>Add to bag</button></article>`)
    .join('')}</div>
  ${extra}
  <footer><p>Free shipping over $50</p></footer>`;

async function sampleOn(html: string, selector: string) {
  await page.setContent(html);
  const set = (await captureResolved(page.locator(selector))).set;
  if (!set) throw new Error(`no set for ${selector}`);
  return set;
}

describe('captureResolved on a list', () => {
  it('samples the members and what they share; nothing for a single element', async () => {
    const set = await sampleOn(v1(), '.product-card');
    expect(set.count).toBe(6);
    expect(set.members.map((m) => m.visibleText?.split(' $')[0])).toEqual(products.map((p) => expect.stringContaining(p)));
    expect(set.shared).toMatchObject({ tag: 'li', classes: ['product-card'], testIds: { 'data-testid': 'product-card' }, path: "//*[@id='product-list']/li" });
    await page.setContent(`<ul>${Array.from({ length: 20 }, (_, i) => `<li>item ${i}</li>`).join('')}</ul>`);
    const many = (await captureResolved(page.locator('li'))).set;
    expect(many?.members.map((m) => m.text)).toEqual(sampleIndices(20).map((i) => `item ${i}`));
    await page.setContent(v1(['Pulse Speaker']));
    expect((await captureResolved(page.locator('.product-card'))).set).toBeUndefined();
  });
});

describe('healSet', () => {
  it('heals a list whose tag, classes and test id changed onto the shared test id', async () => {
    const set = await sampleOn(v1(), '.product-card');
    await page.setContent(v2());
    const choice = await healSet(page, set.members);
    if (!choice.ok) throw new Error(choice.reason);
    expect(choice.code).toBe("page.getByTestId('product-tile')");
    expect(await choice.locator.count()).toBe(6);
    expect(choice.relocation.healed.length).toBe(6);
  });

  it('heals the inner elements of a list onto their new class', async () => {
    const set = await sampleOn(v1(), '#product-list .product-card .product-name');
    await page.setContent(v2());
    const choice = await healSet(page, set.members);
    if (!choice.ok) throw new Error(choice.reason);
    expect(choice.code).toBe("page.locator('h2.tile-title')");
    expect(await choice.locator.allInnerTexts()).toEqual(products);
  });

  it('heals from the members still shown when the page shows a subset, and the set is what the page has', async () => {
    const set = await sampleOn(v1(), '.product-card');
    await page.setContent(v2(['Pulse Speaker', 'Lumen Lamp']));
    const choice = await healSet(page, set.members);
    if (!choice.ok) throw new Error(choice.reason);
    expect(await choice.locator.count()).toBe(2);
  });

  it('leaves out look-alike elements outside the list', async () => {
    const set = await sampleOn(v1(), '.product-card');
    const aside = `<aside id="recently-viewed">${v2(['Echo Earbuds']).replace(/<h1>.*<\/h1>|<footer>.*<\/footer>/g, '').replace('id="catalog"', 'id="recent"')}</aside>`;
    await page.setContent(v2(products, aside));
    expect(await page.getByTestId('product-tile').count()).toBe(7);
    const choice = await healSet(page, set.members);
    if (!choice.ok) throw new Error(choice.reason);
    expect(await choice.locator.count()).toBe(6);
    expect(choice.code).toBe(`page.locator('#catalog [data-testid="product-tile"]')`);
    expect(choice.tried[0]).toMatchObject({ code: "page.getByTestId('product-tile')", count: 7 });
  });

  it('abstains when the list is gone', async () => {
    const set = await sampleOn(v1(), '.product-card');
    await page.setContent(`<h1>Products</h1><p id="empty">Nothing here yet.</p><footer><p>Free shipping over $50</p></footer>`);
    const choice = await healSet(page, set.members);
    expect(choice.ok).toBe(false);
    if (!choice.ok) expect(choice.reason).toMatch(/^abstained: none of the 6 sampled members/);
  });

  it('applies nth to the healed set', async () => {
    const set = await sampleOn(v1(), '.product-card .product-price');
    await page.setContent(v2());
    const choice = await healSet(page, set.members);
    if (!choice.ok) throw new Error(choice.reason);
    expect(await choice.locator.nth(0).innerText()).toBe('$129.00');
    expect(await choice.locator.last().innerText()).toBe('$39.00');
    expect(await page.locator(`${selectorOf(choice.locator)} >> nth=2`).innerText()).toBe('$89.00');
  });

  it('a healed set is defined by structure: a page with one element fewer gives one fewer', async () => {
    const set = await sampleOn(v1(), '.product-card');
    await page.setContent(v2(products.slice(0, 5)));
    const choice = await healSet(page, set.members);
    if (!choice.ok) throw new Error(choice.reason);
    expect(await choice.locator.count()).toBe(5);
  });
});

