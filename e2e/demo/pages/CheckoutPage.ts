import type { Locator, Page } from '@playwright/test';

export type ShippingAddress = {
  fullName: string;
  email: string;
  address: string;
  city: string;
  postalCode: string;
  country: string;
};

/** The checkout form (/checkout). */
export class CheckoutPage {
  readonly fullName: Locator;
  readonly email: Locator;
  readonly address: Locator;
  readonly city: Locator;
  readonly postalCode: Locator;
  readonly country: Locator;
  readonly placeOrder: Locator;
  readonly errorSummary: Locator;
  readonly total: Locator;

  constructor(private readonly page: Page) {
    this.fullName = page.getByLabel('Full name');
    this.email = page.getByLabel('Email');
    this.address = page.getByLabel('Street address');
    this.city = page.getByLabel('City');
    this.postalCode = page.getByPlaceholder('12345');
    this.country = page.getByLabel('Country');
    this.placeOrder = page.getByRole('button', { name: 'Place order' });
    this.errorSummary = page.getByRole('alert');
    this.total = page.locator('.order-summary #order-total');
  }

  async goto(): Promise<void> {
    await this.page.goto('/checkout');
  }

  async fill(address: ShippingAddress): Promise<void> {
    await this.fullName.fill(address.fullName);
    await this.email.fill(address.email);
    await this.address.fill(address.address);
    await this.city.fill(address.city);
    await this.postalCode.fill(address.postalCode);
    await this.country.selectOption({ label: address.country });
  }
}

export const ADA: ShippingAddress = {
  fullName: 'Ada Lovelace',
  email: 'ada@example.com',
  address: '12 St James Square',
  city: 'London',
  postalCode: '10115',
  country: 'United Kingdom',
};
