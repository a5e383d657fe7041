// Ground truth for the in-browser healing benchmark: each locator the e2e suite uses on the
// demo app v1, and the element that is the same widget on v2 (from e2e/apps/CHANGES.md), or
// `null` on v3 where the feature is really gone (a heal there is a wrong heal).
import type { Locator, Page } from '@playwright/test';

export type DemoState = { cart?: { id: string; qty: number }[]; signedIn?: boolean };

export type DemoCase = {
  name: string;
  /** Path to open, with state put into localStorage first. */
  path: string;
  state?: DemoState;
  /** The v1 locator as the spec writes it. */
  code: string;
  v1: (page: Page) => Locator;
  /** The same widget on the target version; null when it is gone. */
  target: ((page: Page) => Locator) | null;
  /** The app version the target lives in. */
  version: 'v2' | 'v3';
  /** State for the target page when it differs from the v1 page's. */
  targetState?: DemoState;
};

const cart = [
  { id: 'p1', qty: 1 },
  { id: 'p7', qty: 2 },
];

export const DEMO_CASES: DemoCase[] = [
  // header
  { name: 'cart link', path: '/products', code: "page.getByRole('link', { name: /^Cart/ })", v1: (p) => p.getByRole('link', { name: /^Cart/ }), target: (p) => p.locator('a.bag-link'), version: 'v2' },
  { name: 'cart badge', path: '/products', state: { cart }, code: "page.locator('#cart-count')", v1: (p) => p.locator('#cart-count'), target: (p) => p.getByTestId('bag-count'), version: 'v2' },
  // The count is state: captured with one item in the cart, looked for with none.
  { name: 'cart badge (count changed)', path: '/products', state: { cart }, targetState: {}, code: "page.locator('#cart-count')", v1: (p) => p.locator('#cart-count'), target: (p) => p.getByTestId('bag-count'), version: 'v2' },
  { name: 'sign-in link', path: '/products', code: "page.getByRole('link', { name: 'Sign in' })", v1: (p) => p.getByRole('link', { name: 'Sign in' }), target: (p) => p.locator('#log-in-link'), version: 'v2' },
  { name: 'user menu', path: '/products', state: { signedIn: true }, code: "page.getByTestId('user-menu')", v1: (p) => p.getByTestId('user-menu'), target: (p) => p.getByTestId('account-menu'), version: 'v2' },
  { name: 'sign-out', path: '/products', state: { signedIn: true }, code: "page.locator('header nav').getByRole('button', { name: 'Sign out' })", v1: (p) => p.locator('header nav').getByRole('button', { name: 'Sign out' }), target: (p) => p.locator('#log-out'), version: 'v2' },
  { name: 'site header', path: '/products', code: "page.locator('#site-header')", v1: (p) => p.locator('#site-header'), target: (p) => p.locator('#masthead'), version: 'v2' },
  // sign in
  { name: 'sign-in heading', path: '/signin', code: "page.getByRole('heading', { name: 'Sign in', level: 1 })", v1: (p) => p.getByRole('heading', { name: 'Sign in', level: 1 }), target: (p) => p.locator('h1'), version: 'v2' },
  { name: 'sign-in email', path: '/signin', code: "page.getByLabel('Email')", v1: (p) => p.getByLabel('Email'), target: (p) => p.locator('#login-email'), version: 'v2' },
  { name: 'sign-in password', path: '/signin', code: "page.getByLabel('Password')", v1: (p) => p.getByLabel('Password'), target: (p) => p.locator('#login-password'), version: 'v2' },
  { name: 'sign-in submit', path: '/signin', code: "page.getByRole('button', { name: 'Sign in' })", v1: (p) => p.getByRole('button', { name: 'Sign in' }), target: (p) => p.locator('#login-submit'), version: 'v2' },
  // product list
  { name: 'search box', path: '/products', code: "page.getByPlaceholder('Search products')", v1: (p) => p.getByPlaceholder('Search products'), target: (p) => p.locator('#q'), version: 'v2' },
  { name: 'category select', path: '/products', code: "page.getByLabel('Category')", v1: (p) => p.getByLabel('Category'), target: (p) => p.locator('#department'), version: 'v2' },
  { name: 'sort select', path: '/products', code: "page.getByLabel('Sort by')", v1: (p) => p.getByLabel('Sort by'), target: (p) => p.locator('#sort'), version: 'v2' },
  { name: 'in-stock checkbox', path: '/products', code: "page.getByLabel('In stock only')", v1: (p) => p.getByLabel('In stock only'), target: (p) => p.locator('#stock-only'), version: 'v2' },
  { name: 'clear filters', path: '/products?q=zzz', code: "page.getByRole('button', { name: 'Clear filters' })", v1: (p) => p.getByRole('button', { name: 'Clear filters' }), target: (p) => p.locator('#reset-filters'), version: 'v2' },
  { name: 'result count', path: '/products', code: "page.locator('#result-count')", v1: (p) => p.locator('#result-count'), target: (p) => p.getByTestId('result-count'), version: 'v2' },
  { name: 'first card name', path: '/products', code: "page.locator('xpath=//ul[@id=\"product-list\"]/li[1]//h3')", v1: (p) => p.locator('xpath=//ul[@id="product-list"]/li[1]//h3'), target: (p) => p.locator('#catalog article').first().locator('h2'), version: 'v2' },
  { name: 'first card price', path: '/products', code: "page.locator('.product-card .product-price').first()", v1: (p) => p.locator('.product-card .product-price').first(), target: (p) => p.locator('.product-tile .price').first(), version: 'v2' },
  { name: 'add lamp to cart', path: '/products', code: "page.getByTestId('product-card').filter({ hasText: 'Lumen Desk Lamp' }).getByRole('button', { name: 'Add to cart' })", v1: (p) => p.getByTestId('product-card').filter({ hasText: 'Lumen Desk Lamp' }).getByRole('button', { name: 'Add to cart' }), target: (p) => p.locator('button.add-btn[data-sku="p7"]'), version: 'v2' },
  // product detail
  { name: 'product price', path: '/product?id=p1', code: "page.getByTestId('product-price')", v1: (p) => p.getByTestId('product-price'), target: (p) => p.locator('[data-test="price"]'), version: 'v2' },
  { name: 'stock line', path: '/product?id=p1', code: "page.locator('.detail-info .stock')", v1: (p) => p.locator('.detail-info .stock'), target: (p) => p.locator('.product-summary .availability'), version: 'v2' },
  { name: 'quantity', path: '/product?id=p2', code: "page.getByLabel('Quantity')", v1: (p) => p.getByLabel('Quantity'), target: (p) => p.locator('#qty'), version: 'v2' },
  { name: 'add to cart (detail)', path: '/product?id=p2', code: "page.locator('#add-form button[type=\"submit\"]')", v1: (p) => p.locator('#add-form button[type="submit"]'), target: (p) => p.locator('#buy-box button[type="submit"]'), version: 'v2' },
  { name: 'breadcrumb', path: '/product?id=p4', code: "page.getByRole('navigation', { name: 'Breadcrumb' })", v1: (p) => p.getByRole('navigation', { name: 'Breadcrumb' }), target: (p) => p.getByRole('navigation', { name: 'You are here' }), version: 'v2' },
  // cart
  { name: 'cart table', path: '/cart', state: { cart }, code: "page.locator('#cart-table')", v1: (p) => p.locator('#cart-table'), target: (p) => p.locator('#bag-lines'), version: 'v2' },
  { name: 'cart subtotal', path: '/cart', state: { cart }, code: "page.locator('#cart-subtotal')", v1: (p) => p.locator('#cart-subtotal'), target: (p) => p.getByTestId('bag-subtotal'), version: 'v2' },
  { name: 'cart item count', path: '/cart', state: { cart }, code: "page.locator('#cart-items-count')", v1: (p) => p.locator('#cart-items-count'), target: (p) => p.locator('#bag-items-count'), version: 'v2' },
  { name: 'first remove', path: '/cart', state: { cart }, code: "page.locator('#cart-table button.remove-item').first()", v1: (p) => p.locator('#cart-table button.remove-item').first(), target: (p) => p.locator('a.remove-link').first(), version: 'v2' },
  { name: 'proceed to checkout', path: '/cart', state: { cart }, code: "page.getByRole('link', { name: 'Proceed to checkout' })", v1: (p) => p.getByRole('link', { name: 'Proceed to checkout' }), target: (p) => p.locator('#go-to-checkout'), version: 'v2' },
  // checkout
  { name: 'checkout full name', path: '/checkout', state: { cart }, code: "page.getByLabel('Full name')", v1: (p) => p.getByLabel('Full name'), target: (p) => p.locator('#full-name'), version: 'v2' },
  { name: 'checkout email', path: '/checkout', state: { cart }, code: "page.getByLabel('Email')", v1: (p) => p.getByLabel('Email'), target: (p) => p.locator('#contact-email'), version: 'v2' },
  { name: 'checkout street', path: '/checkout', state: { cart }, code: "page.getByLabel('Street address')", v1: (p) => p.getByLabel('Street address'), target: (p) => p.locator('#street'), version: 'v2' },
  { name: 'checkout postal code', path: '/checkout', state: { cart }, code: "page.getByPlaceholder('12345')", v1: (p) => p.getByPlaceholder('12345'), target: (p) => p.locator('#postal-code'), version: 'v2' },
  { name: 'express shipping', path: '/checkout', state: { cart }, code: "page.getByLabel('Express (2 days)')", v1: (p) => p.getByLabel('Express (2 days)'), target: (p) => p.locator('input[name="shipping"][value="express"]'), version: 'v2' },
  { name: 'order total', path: '/checkout', state: { cart }, code: "page.locator('.order-summary #order-total')", v1: (p) => p.locator('.order-summary #order-total'), target: (p) => p.locator('#order-total'), version: 'v2' },
  { name: 'shipping cost', path: '/checkout', state: { cart }, code: "page.locator('#summary-shipping')", v1: (p) => p.locator('#summary-shipping'), target: (p) => p.getByTestId('shipping-cost'), version: 'v2' },
  { name: 'place order', path: '/checkout', state: { cart }, code: "page.getByRole('button', { name: 'Place order' })", v1: (p) => p.getByRole('button', { name: 'Place order' }), target: (p) => p.locator('#submit-order'), version: 'v2' },
  // gone: the widget is not on the target page (signed out, empty cart), or was removed (v3)
  { name: 'user menu (signed out)', path: '/products', state: { signedIn: true }, targetState: {}, code: "page.getByTestId('user-menu')", v1: (p) => p.getByTestId('user-menu'), target: null, version: 'v2' },
  { name: 'sign-out (signed out)', path: '/products', state: { signedIn: true }, targetState: {}, code: "page.getByRole('button', { name: 'Sign out' })", v1: (p) => p.getByRole('button', { name: 'Sign out' }), target: null, version: 'v2' },
  { name: 'first remove (empty cart)', path: '/cart', state: { cart }, targetState: {}, code: "page.locator('#cart-table button.remove-item').first()", v1: (p) => p.locator('#cart-table button.remove-item').first(), target: null, version: 'v2' },
  { name: 'in-stock checkbox (removed in v3)', path: '/products', code: "page.getByLabel('In stock only')", v1: (p) => p.getByLabel('In stock only'), target: null, version: 'v3' },
];
