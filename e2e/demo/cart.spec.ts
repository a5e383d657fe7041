import { test, expect } from 'playwright-medic';
import { CartPage } from './pages/CartPage.js';
import { CatalogPage } from './pages/CatalogPage.js';
import { cartBadge, seedCart } from './pages/shop.js';

test.describe('cart', () => {
  test('adds a product from the list', async ({ page }) => {
    const catalog = new CatalogPage(page);
    await catalog.goto();
    await catalog.addToCart('Lumen Desk Lamp');

    await expect(cartBadge(page)).toHaveText('1');
    await expect(page.getByRole('status')).toContainText('Lumen Desk Lamp');

    await page.getByRole('link', { name: /^Cart/ }).click();
    const cart = new CartPage(page);
    await expect(page).toHaveURL(/\/cart$/);
    await expect(cart.rows).toHaveCount(1);
    await expect(cart.row('Lumen Desk Lamp').locator('.item-price')).toHaveText('$45.00');
  });

  test('changing a quantity updates the totals', async ({ page }) => {
    await seedCart(page, [
      { id: 'p2', qty: 1 },
      { id: 'p7', qty: 1 },
    ]);
    const cart = new CartPage(page);
    await cart.goto();

    const speaker = cart.row('Pulse Bluetooth Speaker');
    await speaker.getByRole('spinbutton').fill('2');

    await expect(speaker.locator('td.line-total')).toHaveText('$118.00');
    await expect(cart.subtotal).toHaveText('$163.00');
    await expect(page.locator('#cart-items-count')).toHaveText('3 items');
    await expect(cartBadge(page)).toHaveText('3');
  });

  test('removes items until the cart is empty', async ({ page }) => {
    await seedCart(page, [
      { id: 'p4', qty: 1 },
      { id: 'p10', qty: 2 },
    ]);
    const cart = new CartPage(page);
    await cart.goto();
    await expect(cart.rows).toHaveCount(2);

    await page.locator('#cart-table button.remove-item').first().click();
    await expect(cart.rows).toHaveCount(1);
    await expect(cart.rows.first()).toContainText('Canvas Laptop Sleeve');

    await page.getByRole('button', { name: 'Remove' }).click();
    await expect(page.getByText('Your cart is empty.')).toBeVisible();
    await expect(page.locator('#cart-table')).not.toBeVisible();
    await expect(cartBadge(page)).toHaveText('0');
  });

  test('keeps the cart across reloads and proceeds to checkout', async ({ page }) => {
    const catalog = new CatalogPage(page);
    await catalog.goto();
    await catalog.addToCart('Trail Water Bottle');
    await catalog.addToCart('Trail Water Bottle');
    await page.reload();
    await expect(cartBadge(page)).toHaveText('2');

    const cart = new CartPage(page);
    await cart.goto();
    await expect(cart.row('Trail Water Bottle').getByRole('spinbutton')).toHaveValue('2');
    await cart.checkout.click();

    await expect(page).toHaveURL(/\/checkout$/);
    await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible();
  });
});
