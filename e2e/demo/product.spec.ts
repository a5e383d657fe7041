import { test, expect } from 'playwright-medic';
import { cartBadge } from './pages/shop.js';

test.describe('product detail', () => {
  test('opens a product from the list', async ({ page }) => {
    await page.goto('/products');
    await page.getByRole('link', { name: 'Aurora Wireless Headphones' }).click();

    await expect(page).toHaveURL(/\/product\?id=p1$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Aurora Wireless Headphones');
    await expect(page.getByTestId('product-price')).toHaveText('$129.00');
    await expect(page.locator('.detail-info .stock')).toHaveText('In stock');
  });

  test('adds the chosen quantity to the cart', async ({ page }) => {
    await page.goto('/product?id=p2');
    await page.getByLabel('Quantity').fill('3');
    await page.getByRole('button', { name: 'Add to cart' }).click();

    await expect(page.getByRole('status')).toHaveText('Added 3 × Pulse Bluetooth Speaker to your cart.');
    await expect(cartBadge(page)).toHaveText('3');
  });

  test('rejects a quantity out of range', async ({ page }) => {
    await page.goto('/product?id=p7');
    await page.locator('#add-form input[name="quantity"]').fill('12');
    await page.locator('#add-form button[type="submit"]').click();

    await expect(page.locator('#quantity-error')).toHaveText('Choose a quantity from 1 to 10.');
    await expect(cartBadge(page)).toHaveText('0');
    await expect(page.getByRole('status')).not.toBeVisible();
  });

  test('sold-out products cannot be added', async ({ page }) => {
    await page.goto('/product?id=p5');

    await expect(page.getByRole('heading', { name: 'Nova Smart Ring' })).toBeVisible();
    await expect(page.getByText('Out of stock')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Add to cart' })).toBeDisabled();
  });

  test('breadcrumb leads back to the category', async ({ page }) => {
    await page.goto('/product?id=p8');
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Home' }).click();

    await expect(page).toHaveURL(/\/products\?category=home$/);
    await expect(page.getByTestId('product-card')).toHaveCount(3);
  });
});
