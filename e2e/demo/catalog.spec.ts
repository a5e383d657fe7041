import { test, expect } from 'playwright-medic';
import { CatalogPage } from './pages/CatalogPage.js';

test.describe('catalogue', () => {
  test('lists every product', async ({ page }) => {
    const catalog = new CatalogPage(page);
    await catalog.goto();

    await expect(page.getByRole('heading', { name: 'Products', level: 1 })).toBeVisible();
    await expect(catalog.cards).toHaveCount(12);
    await expect(catalog.resultCount).toHaveText('12 products');
  });

  test('search narrows the list', async ({ page }) => {
    const catalog = new CatalogPage(page);
    await catalog.goto();
    await catalog.search.fill('lamp');

    await expect(catalog.cards).toHaveCount(1);
    await expect(catalog.cards.first()).toContainText('Lumen Desk Lamp');
    await expect(catalog.resultCount).toHaveText('1 product');
    await expect(page).toHaveURL(/[?&]q=lamp/);
  });

  test('filters by category', async ({ page }) => {
    const catalog = new CatalogPage(page);
    await catalog.goto();
    await catalog.category.selectOption('audio');

    await expect(catalog.category).toHaveValue('audio');
    await expect(page.locator('#product-list .product-card .product-name')).toHaveText([
      'Aurora Wireless Headphones',
      'Pulse Bluetooth Speaker',
      'Echo Studio Earbuds',
    ]);
    await expect(page).toHaveURL(/category=audio/);
  });

  test('in-stock filter hides sold-out products', async ({ page }) => {
    const catalog = new CatalogPage(page);
    await catalog.goto();
    await catalog.inStockOnly.check();

    await expect(catalog.inStockOnly).toBeChecked();
    await expect(page.getByText('9 products')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Nova Smart Ring' })).not.toBeVisible();
    await expect(page.getByRole('link', { name: 'Stride Fitness Watch' })).toBeVisible();
  });

  test('combines category and in-stock filters', async ({ page }) => {
    const catalog = new CatalogPage(page);
    await catalog.goto();
    await catalog.category.selectOption('wearables');
    await catalog.inStockOnly.check();

    await expect(page.locator('xpath=//ul[@id="product-list"]/li')).toHaveCount(2);
    await expect(catalog.card('Nova Smart Ring')).toHaveCount(0);
    await expect(page).toHaveURL(/category=wearables&inStock=1/);
  });

  test('sorts by price, low to high', async ({ page }) => {
    const catalog = new CatalogPage(page);
    await catalog.goto();
    await catalog.sort.selectOption('price-asc');

    await expect(page.locator('xpath=//ul[@id="product-list"]/li[1]//h3')).toHaveText('Trail Water Bottle');
    await expect(page.locator('.product-card .product-price').first()).toHaveText('$25.00');
    await expect(page.locator('.product-card .product-price').last()).toHaveText('$249.00');
  });

  test('shows an empty state and clears the filters', async ({ page }) => {
    const catalog = new CatalogPage(page);
    await catalog.goto();
    await catalog.search.fill('zeppelin');

    await expect(page.getByText('No products match your filters.')).toBeVisible();
    await expect(catalog.cards).toHaveCount(0);

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(catalog.search).toHaveValue('');
    await expect(catalog.cards).toHaveCount(12);
    await expect(page.getByText('No products match your filters.')).not.toBeVisible();
  });

  test('opens a department from the home page', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Gear for everyday life' })).toBeVisible();
    await page.getByRole('link', { name: 'Wearables' }).click();

    await expect(page).toHaveURL(/\/products\?category=wearables$/);
    await expect(page.getByRole('link', { name: 'Stride Fitness Watch' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Lumen Desk Lamp' })).toHaveCount(0);
  });
});
