import type { Locator, Page } from '@playwright/test';

/** The product list (/products) with its search box and filters. */
export class CatalogPage {
  readonly search: Locator;
  readonly category: Locator;
  readonly inStockOnly: Locator;
  readonly sort: Locator;
  readonly cards: Locator;
  readonly resultCount: Locator;

  constructor(private readonly page: Page) {
    this.search = page.getByPlaceholder('Search products');
    this.category = page.getByLabel('Category');
    this.inStockOnly = page.getByLabel('In stock only');
    this.sort = page.getByLabel('Sort by');
    this.cards = page.getByTestId('product-card');
    this.resultCount = page.locator('#result-count');
  }

  async goto(): Promise<void> {
    await this.page.goto('/products');
  }

  card(name: string): Locator {
    return this.cards.filter({ hasText: name });
  }

  async addToCart(name: string): Promise<void> {
    await this.card(name).getByRole('button', { name: 'Add to cart' }).click();
  }
}
