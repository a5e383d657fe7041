import type { Locator, Page } from '@playwright/test';

/** The cart (/cart). */
export class CartPage {
  readonly rows: Locator;
  readonly subtotal: Locator;
  readonly checkout: Locator;

  constructor(private readonly page: Page) {
    this.rows = page.locator('#cart-table tbody tr');
    this.subtotal = page.locator('#cart-subtotal');
    this.checkout = page.getByRole('link', { name: 'Proceed to checkout' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/cart');
  }

  row(name: string): Locator {
    return this.rows.filter({ hasText: name });
  }
}
