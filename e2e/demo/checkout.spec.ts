import { test, expect } from 'playwright-medic';
import { ADA, CheckoutPage } from './pages/CheckoutPage.js';
import { DEMO_USER, SignInPage } from './pages/SignInPage.js';
import { cartBadge, seedCart } from './pages/shop.js';

test.describe('checkout', () => {
  test('an empty cart cannot be checked out', async ({ page }) => {
    const checkout = new CheckoutPage(page);
    await checkout.goto();

    await expect(page.getByText('Your cart is empty.')).toBeVisible();
    await expect(checkout.placeOrder).not.toBeVisible();
  });

  test('requires every shipping field', async ({ page }) => {
    await seedCart(page, [{ id: 'p2', qty: 1 }]);
    const checkout = new CheckoutPage(page);
    await checkout.goto();
    await checkout.placeOrder.click();

    await expect(checkout.errorSummary).toHaveText('Please fix 6 errors before placing your order.');
    await expect(page.getByText('Full name is required.')).toBeVisible();
    await expect(page.locator('#postalCode-error')).toHaveText('Postal code is required.');
    await expect(checkout.fullName).toBeFocused();
    await expect(page).toHaveURL(/\/checkout$/);
  });

  test('validates the email and postal code formats', async ({ page }) => {
    await seedCart(page, [{ id: 'p2', qty: 1 }]);
    const checkout = new CheckoutPage(page);
    await checkout.goto();
    await checkout.fill({ ...ADA, email: 'ada@', postalCode: '12a' });
    await checkout.placeOrder.click();

    await expect(checkout.errorSummary).toContainText('2 errors');
    await expect(page.locator('#checkout-form #email-error')).toHaveText('Enter a valid email address.');
    await expect(page.locator('xpath=//p[@id="postalCode-error"]')).toHaveText('Postal code must be 5 digits.');
    await expect(checkout.email).toHaveAttribute('aria-invalid', 'true');
    await expect(checkout.city).toHaveAttribute('aria-invalid', 'false');
  });

  test('places an order with express shipping', async ({ page }) => {
    await seedCart(page, [{ id: 'p2', qty: 1 }]);
    const checkout = new CheckoutPage(page);
    await checkout.goto();
    await checkout.fill(ADA);
    await page.locator('input[name="shipping"]').nth(1).check();
    await expect(checkout.total).toHaveText('$74.00');
    await checkout.placeOrder.click();

    await expect(page).toHaveURL(/\/confirmation\?order=ORD-1001$/);
    await expect(page.getByRole('heading', { name: 'Thank you for your order!' })).toBeVisible();
    await expect(page.locator('#order-number')).toHaveText('ORD-1001');
    await expect(page.locator('#ship-to')).toHaveText('Ada Lovelace, London');
    await expect(page.locator('#confirmation-total')).toHaveText('$74.00');
    await expect(cartBadge(page)).toHaveText('0');
  });

  test('prefills the email of a signed-in customer', async ({ page }) => {
    await seedCart(page, [{ id: 'p12', qty: 2 }]);
    const signIn = new SignInPage(page);
    await signIn.goto('/checkout');
    await signIn.signIn(DEMO_USER.email, DEMO_USER.password);

    const checkout = new CheckoutPage(page);
    await expect(page).toHaveURL(/\/checkout$/);
    await expect(checkout.email).toHaveValue(DEMO_USER.email);

    await page.getByLabel('Express (2 days)').check();
    await expect(page.getByLabel('Express (2 days)')).toBeChecked();
    await expect(page.locator('#summary-shipping')).toHaveText('$15.00');
    await expect(checkout.total).toHaveText('$65.00');
  });
});
