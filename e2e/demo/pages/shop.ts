import type { Locator, Page } from '@playwright/test';

export type CartLine = { id: string; qty: number };

/** Puts items straight into the shop's stored cart (the app keeps it in localStorage). */
export async function seedCart(page: Page, lines: CartLine[]): Promise<void> {
  await page.goto('/');
  await page.evaluate((cart) => localStorage.setItem('shop.cart', JSON.stringify(cart)), lines);
}

/** The cart badge in the site header. */
export function cartBadge(page: Page): Locator {
  return page.locator('#cart-count');
}
