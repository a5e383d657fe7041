// Ground truth for heals in the demo suite: for a v1 locator (as Playwright prints it) on a
// page, the v2 element that is the same widget (from e2e/apps/CHANGES.md), found with a locator
// written independently of the healer. The benchmark's cases plus the locators only the specs use.
import type { Locator, Page } from '@playwright/test';
import { DEMO_CASES, type DemoState } from '../../bench/demo-cases.js';

export type OracleCase = {
  /** The v1 locator as `locator.toString()` prints it. */
  code: string;
  path: string;
  state?: DemoState;
  /** Brings the v2 page into the state where the widget shows (e.g. submits an empty form). */
  prepare?: (page: Page) => Promise<void>;
  target: (page: Page) => Locator;
  /** A list: the healed locator must match exactly the target's elements, in order (a set heal). */
  set?: true;
  /** Also accept the target's direct parent or child (the benchmark's lenient rule), for this case only. */
  lenient?: true;
};

const cart = [
  { id: 'p2', qty: 2 },
  { id: 'p7', qty: 1 },
];

async function submitEmpty(page: Page): Promise<void> {
  await page.locator('#submit-order').click();
}

/** The state of checkout.spec's "validates the email and postal code formats". */
async function submitInvalid(page: Page): Promise<void> {
  await page.locator('#full-name').fill('Ada Lovelace');
  await page.locator('#contact-email').fill('ada@');
  await page.locator('#street').fill('12 Analytical Row');
  await page.locator('#city').fill('London');
  await page.locator('#postal-code').fill('12a');
  await page.locator('#submit-order').click();
}

const fromBench: OracleCase[] = DEMO_CASES.filter((c) => c.version === 'v2' && c.target !== null).map((c) => ({
  code: c.code.replace(/^page\./, ''),
  path: c.path,
  ...(c.targetState ?? c.state ? { state: c.targetState ?? c.state } : {}),
  target: c.target!,
}));

const specOnly: OracleCase[] = [
  { code: "locator('#cart-table tbody tr').filter({ hasText: 'Pulse Bluetooth Speaker' }).getByRole('spinbutton')", path: '/cart', state: { cart }, target: (p) => p.locator('.bag-line[data-sku="p2"] input.qty') },
  { code: "locator('#cart-table tbody tr').filter({ hasText: 'Pulse Bluetooth Speaker' }).locator('td.line-total')", path: '/cart', state: { cart }, target: (p) => p.locator('.bag-line[data-sku="p2"] .line-amount') },
  { code: "locator('#cart-table tbody tr').filter({ hasText: 'Trail Water Bottle' }).getByRole('spinbutton')", path: '/cart', state: { cart: [{ id: 'p12', qty: 2 }] }, target: (p) => p.locator('.bag-line[data-sku="p12"] input.qty') },
  { code: "getByTestId('product-card').filter({ hasText: 'Trail Water Bottle' }).getByRole('button', { name: 'Add to cart' })", path: '/products', target: (p) => p.locator('button.add-btn[data-sku="p12"]') },
  { code: "getByText('Your cart is empty.')", path: '/checkout', target: (p) => p.locator('p').filter({ hasText: /^Your bag is empty\./ }) },
  { code: "getByText('Your cart is empty.')", path: '/cart', target: (p) => p.locator('#bag-empty') },
  // product.spec's "breadcrumb leads back to the category": p8 is in the Home category, the breadcrumb's second link
  { code: "getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Home' })", path: '/product?id=p8', target: (p) => p.getByRole('navigation', { name: 'You are here' }).locator('a').nth(1) },
  { code: "locator('#site-header').getByRole('link', { name: 'Sign in' })", path: '/cart', target: (p) => p.locator('#log-in-link') },
  { code: "locator('#site-header').getByRole('link', { name: 'Sign in' })", path: '/products', target: (p) => p.locator('#log-in-link') },
  { code: "locator('header nav').getByRole('button', { name: 'Sign out' })", path: '/cart', state: { signedIn: true }, target: (p) => p.locator('#log-out') },
  { code: "getByRole('button', { name: 'Sign in' })", path: '/signin', target: (p) => p.locator('#login-submit') },
  { code: "getByRole('heading', { name: 'Sign in', level: 1 })", path: '/signin', target: (p) => p.locator('h1') },
  { code: "getByRole('button', { name: 'Place order' })", path: '/checkout', state: { cart }, target: (p) => p.locator('#submit-order') },
  { code: "getByLabel('Email')", path: '/checkout', state: { cart }, target: (p) => p.locator('#contact-email') },
  { code: "getByPlaceholder('12345')", path: '/checkout', state: { cart }, target: (p) => p.locator('#postal-code') },
  {
    code: "getByRole('alert')",
    path: '/checkout',
    state: { cart },
    prepare: submitEmpty,
    target: (p) => p.locator('#form-errors'),
  },
  { code: "getByRole('button', { name: 'Add to cart' })", path: '/product?id=p2', target: (p) => p.locator('#buy-box button[type="submit"]') },
  { code: "getByText('Out of stock')", path: '/product?id=p5', target: (p) => p.locator('.product-summary .availability') },
  { code: "locator('#postalCode-error')", path: '/checkout', state: { cart }, prepare: submitEmpty, target: (p) => p.locator('#postal-code-error') },
  {
    code: "locator('//p[@id=\"postalCode-error\"]')",
    path: '/checkout',
    state: { cart },
    prepare: submitInvalid,
    target: (p) => p.locator('#postal-code-error'),
  },
  { code: "locator('#cart-count')", path: '/cart', state: { cart }, target: (p) => p.getByTestId('bag-count') },
  { code: "locator('#cart-count')", path: '/product?id=p2', target: (p) => p.getByTestId('bag-count') },
  { code: `locator('#add-form input[name="quantity"]')`, path: '/product?id=p2', target: (p) => p.locator('#qty') },
  { code: "locator('#quantity-error')", path: '/product?id=p2', target: (p) => p.locator('#qty-error') },
  // product.spec's "opens a product from the list": the link in the tile's title, not the title
  { code: "getByRole('link', { name: 'Aurora Wireless Headphones' })", path: '/products', target: (p) => p.locator('#catalog h2.tile-title > a[href="/product?id=p1"]') },
  { code: "locator('#checkout-form #email-error')", path: '/checkout', state: { cart }, prepare: submitInvalid, target: (p) => p.locator('#contact-email-error') },
];

/** The list locators of the specs: each v1 list is the v2 list of the same widgets, all of them and nothing else. */
const tiles = (p: Page) => p.locator('#catalog > article.product-tile');
const bagLines = (p: Page) => p.locator('#bag-lines > .bag-line');
const sets: OracleCase[] = [
  { code: "getByTestId('product-card')", path: '/products', set: true, target: tiles },
  { code: "locator('//ul[@id=\"product-list\"]/li')", path: '/products', set: true, target: tiles },
  { code: "locator('#product-list .product-card .product-name')", path: '/products', set: true, target: (p) => tiles(p).locator('h2.tile-title') },
  { code: "locator('.product-card .product-price')", path: '/products', set: true, target: (p) => tiles(p).locator('p.price') },
  { code: "locator('#cart-table tbody tr')", path: '/cart', state: { cart }, set: true, target: bagLines },
  // Chains on a list: nth applies to the healed list.
  { code: "getByTestId('product-card').first()", path: '/products', target: (p) => tiles(p).first() },
  { code: "locator('#cart-table tbody tr').first()", path: '/cart', state: { cart }, target: (p) => bagLines(p).first() },
  { code: "locator('.product-card .product-price').last()", path: '/products', target: (p) => tiles(p).locator('p.price').last() },
];

// catalog.spec's "sorts by price, low to high" uses these after sorting: the oracle looks at the
// sorted page (they are found before the unsorted cases of the bench). For the first card's
// heading the heal may land on its own link (same text, the heading's child): the benchmark's
// lenient rule counts parent/child as the same widget, and so does this one case.
const sorted: OracleCase[] = [
  { code: "locator('.product-card .product-price').first()", path: '/products?sort=price-asc', target: (p) => tiles(p).locator('p.price').first() },
  { code: "locator('.product-card .product-price').last()", path: '/products?sort=price-asc', target: (p) => tiles(p).locator('p.price').last() },
  { code: `locator('//ul[@id="product-list"]/li[1]//h3')`, path: '/products?sort=price-asc', lenient: true, target: (p) => tiles(p).first().locator('h2') },
];

export const DEMO_ORACLE: OracleCase[] = [...sorted, ...fromBench, ...specOnly, ...sets];
