import type { Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { useBrowserPage } from './browser.testkit.js';
import { captureFingerprint, captureShortlist } from './capture.js';
import { healByPosition } from './positionHeal.js';

let page: Page;
useBrowserPage((p) => (page = p));

const items = ['Lumen Desk Lamp', 'Canvas Laptop Sleeve', 'Trail Water Bottle'];

/** v1: a cart table, a Remove button in every row. */
const v1 = `<h1>Your cart</h1><table id="cart-table"><tbody>${items
  .map((n) => `<tr class="cart-row"><td>${n}</td><td><button type="button" class="remove-item">Remove</button></td></tr>`)
  .join('')}</tbody></table><p>Subtotal</p>`;

/** v2: the rows are divs, the buttons links with role=button; `extra` elsewhere on the page. */
const v2 = (extra = '') => `<h1>Your bag</h1><div id="bag-lines">${items
  .map((n) => `<div class="bag-line" role="listitem"><span>${n}</span><a href="#" role="button" class="remove-link">Remove</a></div>`)
  .join('')}</div>${extra}<p>Subtotal</p>`;

async function storedAndCandidates(nth: number, extra = '') {
  await page.setContent(v1);
  const stored = await captureFingerprint(page.locator('#cart-table button.remove-item').nth(nth));
  await page.setContent(v2(extra));
  return { stored, candidates: await captureShortlist(page, stored) };
}

describe('healByPosition', () => {
  it('heals the first of a list of alike buttons to a list locator with the same position', async () => {
    const { stored, candidates } = await storedAndCandidates(0);
    const healed = await healByPosition(page, stored, candidates, { list: '#cart-table button.remove-item', nth: 0 }, {});
    if (!healed.ok) throw new Error(healed.reason);
    expect(healed.code).toBe("page.getByRole('button', { name: 'Remove' }).first()");
    expect(healed.pick.members).toHaveLength(3);
    expect(healed.pick.confidence).toBeGreaterThan(0.84);
    expect(await healed.locator.evaluate((e) => e.parentElement!.textContent)).toContain('Lumen Desk Lamp');
  });

  it('heals the last one by its negative position', async () => {
    const { stored, candidates } = await storedAndCandidates(2);
    const healed = await healByPosition(page, stored, candidates, { list: '#cart-table button.remove-item', nth: -1 }, {});
    if (!healed.ok) throw new Error(healed.reason);
    expect(healed.code).toBe("page.getByRole('button', { name: 'Remove' }).last()");
  });

  it('abstains when the likeliest sibling is not at the position the locator picks', async () => {
    const { stored, candidates } = await storedAndCandidates(0);
    const healed = await healByPosition(page, stored, candidates, { list: '#cart-table button.remove-item', nth: 1 }, {});
    expect(healed.ok).toBe(false);
    expect(healed.ok ? '' : healed.reason).toMatch(/not at position 1/);
  });

  it('passes over a list locator that finds more than the alike siblings', async () => {
    // getByRole's name matches a substring: the role locator finds this one too.
    const extra = '<footer><span role="button">Remove all saved items</span></footer>';
    const { stored, candidates } = await storedAndCandidates(0, extra);
    const healed = await healByPosition(page, stored, candidates, { list: '#cart-table button.remove-item', nth: 0 }, {});
    if (!healed.ok) throw new Error(healed.reason);
    expect(healed.code).toBe("page.getByRole('button', { name: 'Remove', exact: true }).first()");
    expect(await page.getByRole('button', { name: 'Remove', exact: true }).count()).toBe(3);
  });
});
