// The self-healing step in real Chromium, below the test runner: hooks on Playwright's Locator,
// the step handler, the worker catalog, the cascade guard. The runner-level acceptance (the
// demo suite on v1 → v2 → v3) is in test/fixture.integration.test.ts.
import { expect as pwExpect, type Locator, type Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { useBrowserPage } from '../src/browser/browser.testkit.js';
import { argsWithTimeout, frameOf, handleContext, installLocatorHooks, READING_METHODS, selectorOf, WAITING_METHODS } from '../src/browser/locatorHooks.js';
import { createStepHandler, PROBE_MS, type StepHandlerOptions } from '../src/browser/stepHandler.js';
import type { SelectorObservation } from '../src/learning/catalog.js';
import type { HealReport } from '../src/learning/heals.js';
import type { StrategyExecution } from '../src/learning/strategies.js';
import { WorkerCatalog } from '../src/learning/workerCatalog.js';
import { CascadeGuard } from '../src/resilience/cascadeGuard.js';

let page: Page;
useBrowserPage((p) => (page = p));

type Setup = { heals: HealReport[]; observations: SelectorObservation[]; catalog: WorkerCatalog; guard: CascadeGuard; flush: () => Promise<void> };

function heal(options: Partial<StepHandlerOptions> = {}): Setup {
  const heals: HealReport[] = [];
  const observations: SelectorObservation[] = [];
  const catalog = options.catalog ?? new WorkerCatalog('test');
  const guard = options.guard ?? new CascadeGuard();
  let n = 0;
  installLocatorHooks(page.locator('html'));
  const handler = createStepHandler({
    healing: { mode: 'heal' },
    catalog,
    guard,
    testIdAttribute: 'data-testid',
    onHeal: (report) => heals.push(report),
    onObserve: (o) => observations.push(o),
    nextHealId: () => `h${++n}`,
    ...options,
  });
  handleContext(page.context(), handler);
  return { heals, observations, catalog, guard, flush: handler.flush };
}

const V1 = `<main><h1>Account</h1><form>
  <label for="mail">Email</label><input id="mail" name="mail">
  <button id="save" type="button" onclick="document.title='saved'">Save changes</button>
  <button id="cancel" type="button">Cancel</button></form>
  <p id="status" class="status">Ready</p></main>`;
const V2 = `<main><h1>Account</h1><form>
  <label for="email">Email address</label><input id="email" name="email">
  <button id="persist" class="primary" type="button" onclick="document.title='saved'">Save changes</button>
  <button id="abort" type="button">Cancel</button></form>
  <p class="status-line" data-testid="status">Ready</p></main>`;

describe('Playwright internals the hooks rely on', () => {
  it('are there in this Playwright version (this fails loudly on an upgrade that changes them)', async () => {
    const locator = page.locator('#x') as Locator & { _apiName?: unknown; _expect?: unknown };
    expect(locator._apiName).toBe('Locator');
    expect(typeof locator._expect).toBe('function');
    expect(typeof (locator as Locator & { _wrapApiCall?: unknown })._wrapApiCall).toBe('function');
    expect(selectorOf(page.getByRole('button', { name: 'Save' }))).toBe('internal:role=button[name="Save"i]');
    // the frame the selector is relative to
    expect(frameOf(locator)).toBe(page.mainFrame());
    // the selector string round-trips through page.locator()
    expect(page.locator(selectorOf(page.getByLabel('Email'))).toString()).toBe("getByLabel('Email')");
    // the runner's list of packages whose stack frames it hides (ours joins it)
    const { createRequire } = await import('node:module');
    const core = createRequire(import.meta.url)('playwright-core/lib/coreBundle') as { utils?: Record<string, unknown> };
    expect(typeof core.utils?.setBoxedStackPrefixes).toBe('function');
    const proto = Object.getPrototypeOf(locator) as Record<string, unknown>;
    const missing = [...WAITING_METHODS, ...READING_METHODS].filter((m) => typeof proto[m] !== 'function');
    expect(missing).toEqual([]);
    // expect(locator) goes through _expect: a hook there sees the assertion
    installLocatorHooks(locator);
    const seen: string[] = [];
    handleContext(page.context(), async (_l, step) => {
      seen.push(step.kind === 'expect' ? step.expression : step.method);
      return step.kind === 'expect' ? step.run(_l) : step.run(_l);
    });
    await page.setContent('<p>hello</p>');
    await pwExpect(page.getByText('hello')).toBeVisible();
    await pwExpect(page.getByText('hello')).toHaveText('hello');
    await page.getByText('hello').click();
    expect(seen).toEqual(['to.be.visible', 'to.have.text', 'click']);
  });
});

describe('self-healing steps', () => {
  it('records a fingerprint once per selector and page, then heals a click whose id changed', async () => {
    const { heals, observations, flush } = heal();
    await page.setContent(V1);
    await page.locator('#save').click();
    await page.locator('#save').click();
    await flush();
    expect(observations.filter((o) => o.selector === '#save')).toHaveLength(1);
    expect(observations[0]!.fingerprint?.text).toBe('Save changes');

    await page.setContent(V2);
    await page.locator('#save').click({ timeout: 500 });
    expect(await page.title()).toBe('saved');
    expect(heals).toHaveLength(1);
    const [report] = heals;
    expect(report!.outcome).toBe('healed');
    expect(report!.strategy).toBe('relocate');
    expect(report!.from.code).toBe("locator('#save')");
    expect(report!.to!.code).toBe("page.getByRole('button', { name: 'Save changes' })");
    expect(report!.explanation.length).toBeGreaterThan(0);
    expect(report!.confidence).toBeGreaterThan(0.5);
    expect(observations.at(-1)).toMatchObject({ selector: '#save', outcome: 'healed', healedTo: { code: report!.to!.code } });
  });

  describe('a relocation the ranker alone abstains on, confirmed by a related element', () => {
    const HEADER_V1 = `<header id="site-header"><nav class="main-nav" aria-label="Main">
      <a class="nav-link" href="/products">Products</a>
      <a class="nav-link" id="cart-link" href="/cart">Cart <span id="cart-count" class="badge">2</span></a>
      <a class="nav-link" id="sign-in-link" href="/signin">Sign in</a></nav></header><main><h1>Shop</h1></main>`;
    const HEADER_V2 = `<header id="masthead"><div class="main-nav" role="navigation" aria-label="Main">
      <a class="nav-link" href="/products">Products</a>
      <a class="nav-link" id="log-in-link" href="/signin">Log in</a>
      <a class="nav-link bag-link" href="/cart">Bag <span class="badge bag-count" data-testid="bag-count">2</span></a></div></header><main><h1>Shop</h1></main>`;
    const cartLink = () => page.getByRole('link', { name: /^Cart/ });

    async function learnV1(): Promise<Setup> {
      const setup = heal();
      await page.setContent(HEADER_V1);
      await pwExpect(page.locator('#cart-count')).toHaveText('2');
      await pwExpect(cartLink()).toBeVisible();
      await setup.flush();
      await page.setContent(HEADER_V2);
      return setup;
    }

    it('heals a renamed link whose badge was healed on this page: the best candidate is the healed badge\'s parent', async () => {
      const { heals } = await learnV1();
      await pwExpect(page.locator('#cart-count')).toHaveText('2', { timeout: 300 });
      expect(heals[0]).toMatchObject({ outcome: 'healed', to: { code: "page.getByTestId('bag-count')" } });
      await pwExpect(cartLink()).toBeVisible({ timeout: 300 });
      const link = heals.find((h) => h.from.code === "getByRole('link', { name: /^Cart/ })");
      expect(link).toMatchObject({ outcome: 'healed', strategy: 'relocate' });
      expect(link!.confidence).toBeLessThan(0.84); // the ranker alone would have abstained
      expect(link!.reason).toBe(
        `the best candidate (confidence ${link!.confidence.toFixed(2)}) is the parent of the element of page.getByTestId('bag-count'), ` +
          "the fix the catalog knows here for locator('#cart-count'), which was this element's child",
      );
      expect(link!.to!.code).toBe("page.getByRole('link', { name: 'Bag' })"); // not 'Bag 2': the count changes
      expect(await page.locator(link!.to!.selector).getAttribute('href')).toBe('/cart');
    });

    it('abstains on the same link while the catalog knows no fix for a related element', async () => {
      const { heals } = await learnV1();
      const error = await pwExpect(cartLink()).toBeVisible({ timeout: 300 }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect(heals).toMatchObject([{ outcome: 'abstained' }]);
    });
  });

  describe('a locator that picks by position', () => {
    const radios = (order: string[]) =>
      `<fieldset><legend>Delivery</legend>${order
        .map((v) => `<label><input type="radio" name="ship" value="${v}"> ${v === 'express' ? 'Express (2 days) · $15.00' : 'Standard (5–7 days) · Free'}</label>`)
        .join('')}</fieldset>`;
    const second = () => page.locator('input[name="ship"]').nth(1);
    /** The catalog a worker of the next run starts from. */
    const nextRun = (catalog: WorkerCatalog) => new WorkerCatalog('test', [catalog.record('about:', 'input[name="ship"] >> nth=1')!]);

    async function learnV1(): Promise<Setup & { notices: string[] }> {
      const notices: string[] = [];
      const setup = heal({ onNotice: (n) => notices.push(n) });
      await page.setContent(radios(['standard', 'express']));
      await second().check();
      await setup.flush();
      return { ...setup, notices };
    }

    it('says once when its position now holds another element, and still picks what the test wrote', async () => {
      const { notices, observations, catalog, flush } = await learnV1();
      const fresh = heal({ catalog: nextRun(catalog), onNotice: (n) => notices.push(n) });
      await page.setContent(radios(['express', 'standard']));
      await second().check();
      await second().check();
      await fresh.flush();
      expect(await page.locator('input[value="standard"]').isChecked()).toBe(true); // never changed
      expect(notices).toEqual([
        `locator('input[name="ship"]').nth(1) picks by position, and that position now holds another element: "Standard (5–7 days) · Free" where it found ` +
          `"Express (2 days) · $15.00" before, which is now at nth(0). playwright-medic does not change what a position picks; if the test means that element, write a locator for it (its label, its text).`,
      ]);
      await flush();
      // The fingerprint the test was written against is kept, so the next run says it again.
      expect(fresh.observations.filter((o) => o.selector === 'input[name="ship"] >> nth=1' && o.fingerprint)).toEqual([]);
      expect(observations.find((o) => o.fingerprint)?.fingerprint?.value).toBe('express');
    });

    it('says nothing while the position still holds its element', async () => {
      const { notices, catalog } = await learnV1();
      heal({ catalog: nextRun(catalog), onNotice: (n) => notices.push(n) });
      await page.setContent(`<p>Choose</p>${radios(['standard', 'express'])}`);
      await second().check();
      expect(notices).toEqual([]);
    });
  });

  it('heals web-first assertions and reads', async () => {
    const { heals } = heal();
    await page.setContent(V1);
    await pwExpect(page.locator('#status')).toHaveText('Ready');
    await page.locator('#mail').fill('a@b.c');
    await page.setContent(V2);
    await pwExpect(page.locator('#status')).toHaveText('Ready', { timeout: 500 });
    await pwExpect(page.locator('#status')).toBeVisible({ timeout: 500 });
    await page.locator('#mail').fill('x@y.z', { timeout: 500 });
    expect(await page.locator('#email').inputValue()).toBe('x@y.z');
    expect(heals.map((h) => [h.step, h.outcome])).toEqual([
      ['expect to.have.text', 'healed'],
      ['expect to.be.visible', 'healed'],
      ['fill', 'healed'],
    ]);
  });

  it('never heals a negative expectation: a missing element is what it wants', async () => {
    const { heals } = heal();
    await page.setContent(V1);
    await pwExpect(page.locator('#cancel')).toBeVisible();
    await page.setContent(V2);
    await pwExpect(page.locator('#cancel')).toBeHidden({ timeout: 500 });
    await pwExpect(page.locator('#cancel')).not.toBeVisible({ timeout: 500 });
    await pwExpect(page.locator('#cancel')).toHaveCount(0, { timeout: 500 });
    await pwExpect(page.locator('#cancel')).toBeAttached({ attached: false, timeout: 500 });
    expect(heals).toEqual([]);
  });

  it('lets a step fail when its element is really gone, and says why it abstained', async () => {
    const { heals } = heal();
    await page.setContent(V1);
    await pwExpect(page.locator('#cancel')).toBeVisible();
    await page.setContent('<main><h1>Account</h1><p>Nothing to do here.</p></main>');
    const error = await page.locator('#cancel').click({ timeout: 300 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/Timeout 300ms exceeded/);
    expect(heals.every((h) => h.outcome === 'abstained')).toBe(true);
    const assertion = await pwExpect(page.locator('#cancel')).toBeVisible({ timeout: 300 }).catch((e: Error) => e);
    expect(assertion).toBeInstanceOf(Error);
  });

  it('does not heal a failure on an element that is there (a real failure)', async () => {
    const { heals } = heal();
    await page.setContent(V1);
    await pwExpect(page.locator('#status')).toHaveText('Ready');
    const error = await pwExpect(page.locator('#status')).toHaveText('Done', { timeout: 300 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(heals).toEqual([]);
  });

  it('disambiguates a strict-mode violation with the fingerprint', async () => {
    const { heals } = heal();
    await page.setContent('<ul><li><span class="tag">new</span> Lamp</li></ul><p class="x">Out of stock</p>');
    await pwExpect(page.getByText('Out of stock')).toBeVisible();
    await page.setContent('<div><span class="ribbon">Out of stock</span></div><ul><li>Lamp</li></ul><p class="x">Out of stock</p>');
    await page.getByText('Out of stock').click({ timeout: 500 });
    expect(heals).toHaveLength(1);
    expect(heals[0]).toMatchObject({ strategy: 'disambiguate', category: 'strict_mode', outcome: 'healed' });
    expect(await page.locator(heals[0]!.to!.selector).evaluate((e) => e.tagName)).toBe('P');
  });

  it('uses a fix the catalog knows without relocating', async () => {
    const catalog = new WorkerCatalog('test');
    const at = new Date().toISOString();
    catalog.observe({ selector: '#save', code: "locator('#save')", pageKey: 'about:', outcome: 'worked', at });
    catalog.observe({ selector: '#save', code: "locator('#save')", pageKey: 'about:', outcome: 'healed', healedTo: { selector: '#persist', code: "locator('#persist')" }, at });
    const { heals } = heal({ catalog });
    await page.setContent(V2);
    await page.locator('#save').click();
    expect(await page.title()).toBe('saved');
    expect(heals).toHaveLength(1);
    expect(heals[0]).toMatchObject({ strategy: 'known_fix', outcome: 'healed', to: { selector: '#persist' } });
  });

  it("pictures a known fix's element once per worker and reuses that picture in later tests", async () => {
    const catalog = new WorkerCatalog('test');
    const at = new Date().toISOString();
    catalog.observe({ selector: '#save', code: "locator('#save')", pageKey: 'about:', outcome: 'healed', healedTo: { selector: '#persist', code: "locator('#persist')" }, at });
    const screenshots = new Map<string, Buffer>();
    const pictures: (Buffer | undefined)[] = [];
    // Each test has its own handler; the worker's picture map outlives them.
    for (const test of [1, 2]) {
      const heals: HealReport[] = [];
      heal({ catalog, screenshots, onHeal: (report, picture) => (heals.push(report), pictures.push(picture)) });
      await page.setContent(V2.replace('Ready', `Ready ${test}`));
      await page.locator('#save').click();
      expect(heals).toMatchObject([{ strategy: 'known_fix', outcome: 'healed', to: { selector: '#persist' } }]);
    }
    expect(pictures).toHaveLength(2);
    expect(pictures[0]).toBeInstanceOf(Buffer);
    expect(pictures[0]!.subarray(1, 4).toString()).toBe('PNG');
    // The second test's heal carries the first one's picture: it was not taken again.
    expect(pictures[1]).toBe(pictures[0]);
    expect([...screenshots.keys()]).toEqual(['about:\u0000#save\u0000#persist']);
    // A worker without the map takes a new picture each time.
    const fresh: (Buffer | undefined)[] = [];
    for (let test = 0; test < 2; test++) {
      heal({ catalog, onHeal: (_report, picture) => fresh.push(picture) });
      await page.setContent(V2);
      await page.locator('#save').click();
    }
    expect(fresh).toHaveLength(2);
    expect(fresh[0]).toBeInstanceOf(Buffer);
    expect(fresh[1]).not.toBe(fresh[0]);
  });

  it("pictures a healed click's element before the click, which may remove it", async () => {
    const catalog = new WorkerCatalog('test');
    const at = new Date().toISOString();
    catalog.observe({ selector: '#save', code: "locator('#save')", pageKey: 'about:', outcome: 'healed', healedTo: { selector: '#persist', code: "locator('#persist')" }, at });
    const pictures: (Buffer | undefined)[] = [];
    heal({ catalog, onHeal: (_report, picture) => pictures.push(picture) });
    await page.setContent(V2.replace(`onclick="document.title='saved'"`, `onclick="document.title='saved'; this.remove()"`));
    await page.locator('#save').click();
    expect(await page.title()).toBe('saved');
    expect(await page.locator('#persist').count()).toBe(0);
    expect(pictures).toHaveLength(1);
    expect(pictures[0]?.subarray(1, 4).toString()).toBe('PNG');
  });

  it('does not look at a known fix again once the original locator works again', async () => {
    const catalog = new WorkerCatalog('test');
    const at = new Date().toISOString();
    catalog.observe({ selector: '#save', code: "locator('#save')", pageKey: 'about:', outcome: 'healed', healedTo: { selector: '#persist', code: "locator('#persist')" }, at });
    const { heals } = heal({ catalog });
    await page.setContent(V1.replace('Cancel', 'Save changes').replace('id="cancel"', 'id="persist"'));
    await page.locator('#save').click();
    await page.locator('#save').click();
    expect(heals).toEqual([]);
  });

  it('never clicks twice when the probe runs out of time while the click is being delivered', async () => {
    const { heals, flush } = heal();
    // Its click handler keeps the page busy past the probe's time, so the probe's click is
    // cut off after Playwright started performing it but before it logged it done.
    await page.setContent(`<button id="add" onclick="window.clicks = (window.clicks || 0) + 1; const end = Date.now() + ${PROBE_MS + 1000}; while (Date.now() < end);">Add</button>`);
    await page.locator('#add').click();
    await flush();
    await page.evaluate(() => ((window as unknown as { clicks: number }).clicks = 0));
    await page.locator('#add').click({ timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { clicks: number }).clicks)).toBe(1);
    expect(heals).toEqual([]);
  }, 20_000);

  it('never presses, types or dispatches twice where the probe would have cut the action off after it acted', async () => {
    const { heals, flush } = heal();
    // Once the catalog knows them, each key and click handler keeps the page busy past the probe's time.
    const busy = `if (window.busy) { const end = Date.now() + ${PROBE_MS + 1000}; while (Date.now() < end); }`;
    await page.setContent(
      `<input id="q" onkeydown="window.keys = (window.keys || 0) + 1; ${busy}"><button id="b" onclick="window.clicks = (window.clicks || 0) + 1; ${busy}">B</button>`,
    );
    await page.locator('#q').press('a'); // the catalog learns both elements
    await page.locator('#b').dispatchEvent('click');
    await flush();
    const counts = () => page.evaluate(() => [(window as unknown as { keys: number }).keys, (window as unknown as { clicks: number }).clicks]);
    await page.evaluate(() => Object.assign(window, { keys: 0, clicks: 0, busy: true }));
    await page.locator('#q').press('Enter', { timeout: 10_000 });
    expect(await counts()).toEqual([1, 0]);
    await page.locator('#q').pressSequentially('xy', { timeout: 20_000 });
    expect(await counts()).toEqual([3, 0]);
    await page.locator('#b').dispatchEvent('click', undefined, { timeout: 10_000 });
    expect(await counts()).toEqual([3, 1]);
    expect(await page.locator('#q').inputValue()).toBe('axy');
    expect(heals).toEqual([]);
  }, 60_000);

  it('learns the fingerprint of an element that appears only while the step waits for it', async () => {
    const { observations, flush } = heal();
    await page.setContent(`<main></main><script>setTimeout(() => { document.querySelector('main').innerHTML = '<button id="late">Late</button>'; }, 300)</script>`);
    await page.locator('#late').click();
    await flush();
    expect(observations.filter((o) => o.selector === '#late').map((o) => [o.outcome, o.fingerprint?.text])).toEqual([['worked', 'Late']]);
  });

  it('does not count a slow element as a broken locator when it turns up after the heal attempt', async () => {
    const { heals, observations, flush } = heal();
    await page.setContent(V1);
    await page.locator('#save').click();
    await page.setContent(`<main><h1>Account</h1></main><script>setTimeout(() => { document.querySelector('main').innerHTML += ${JSON.stringify(V1)}; }, 2500)</script>`);
    await page.locator('#save').click({ timeout: 10_000 });
    await flush();
    expect(heals.map((h) => h.outcome)).toEqual(['abstained']);
    const seen = observations.filter((o) => o.selector === '#save');
    // Its time is remembered as slow; the step is not a second use (its first was counted).
    expect(seen.map((o) => o.outcome)).toEqual(['worked', 'slow']);
    expect(seen[1]!.waitedMs).toBeGreaterThanOrEqual(2000);
  }, 20_000);

  it('answers count() and isVisible() of a broken locator from a known fix, and from nothing else', async () => {
    const catalog = new WorkerCatalog('test');
    const at = new Date().toISOString();
    catalog.observe({ selector: '#save', code: "locator('#save')", pageKey: 'about:', outcome: 'healed', healedTo: { selector: '#persist', code: "locator('#persist')" }, at });
    const { heals } = heal({ catalog });
    await page.setContent(V2);
    expect(await page.locator('#save').count()).toBe(1);
    expect(await page.locator('#save').isVisible()).toBe(true);
    expect(await page.locator('#cancel').isVisible()).toBe(false); // broken too, but nothing known: no search
    expect(await page.locator('#cancel').count()).toBe(0);
    expect(heals.map((h) => [h.step, h.strategy, h.outcome])).toEqual([
      ['count', 'known_fix', 'healed'],
      ['isVisible', 'known_fix', 'healed'],
    ]);
    await page.setContent('<p>gone</p>');
    expect(await page.locator('#save').count()).toBe(0); // the fix finds nothing either
    expect(heals).toHaveLength(2);
  });

  it('in suggest mode reports the fix and lets the step fail with it', async () => {
    const { heals } = heal({ healing: { mode: 'suggest' } });
    await page.setContent(V1);
    await page.locator('#save').click();
    await page.setContent(V2);
    await page.evaluate(() => (document.title = 'before'));
    const error = await page.locator('#save').click({ timeout: 300 }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/playwright-medic suggests: page\.getByRole\('button', \{ name: 'Save changes' \}\)/);
    expect(await page.title()).toBe('before');
    expect(heals[0]).toMatchObject({ outcome: 'suggested' });
  });

  it('mode off changes nothing', async () => {
    const { heals } = heal({ healing: { mode: 'off' } });
    await page.setContent(V1);
    await page.locator('#save').click();
    await page.setContent(V2);
    await pwExpect(page.locator('#save').click({ timeout: 300 })).rejects.toThrow(/Timeout/);
    expect(heals).toEqual([]);
  });

  it('heals inside same-origin iframes and open shadow roots', async () => {
    const { heals } = heal();
    const frame = (body: string) => `<iframe name="pay" srcdoc="${body.replaceAll('"', '&quot;')}"></iframe>`;
    await page.setContent(frame('<button id="pay" onclick="parent.document.title=\'paid\'">Pay now</button>'));
    await page.frameLocator('iframe[name=pay]').locator('#pay').click();
    await page.setContent(frame('<button id="pay-btn" onclick="parent.document.title=\'paid\'">Pay now</button>'));
    await page.frameLocator('iframe[name=pay]').locator('#pay').click({ timeout: 500 });
    expect(await page.title()).toBe('paid');

    const shadow = (id: string) =>
      `<div id="host"></div><script>document.getElementById('host').attachShadow({mode:'open'}).innerHTML='<button id="${id}" onclick="document.title=\\'shadow\\'">Apply coupon</button>'</script>`;
    await page.setContent(shadow('apply'));
    await page.locator('#apply').click();
    await page.setContent(shadow('apply-coupon'));
    await page.locator('#apply').click({ timeout: 500 });
    expect(await page.title()).toBe('shadow');
    expect(heals.map((h) => h.outcome)).toEqual(['healed', 'healed']);
  });

  it('covers the ways users build locators', async () => {
    const { heals } = heal();
    await page.setContent(V1 + '<ul id="list"><li>One <button>Edit</button></li><li>Two <button>Edit</button></li></ul>');
    const forms: [string, () => Locator][] = [
      ['chain', () => page.locator('form').locator('#save')],
      ['getBy on a locator', () => page.locator('main').getByRole('button', { name: 'Cancel' })],
      ['filter', () => page.locator('#list li').filter({ hasText: 'Two' }).getByRole('button')],
      ['nth', () => page.locator('#list li button').nth(1)],
      ['last', () => page.locator('#list li button').last()],
      ['and', () => page.getByRole('button').and(page.locator('#cancel'))],
      ['or', () => page.locator('#missing').or(page.locator('#status'))],
      ['xpath', () => page.locator('xpath=//p[@id="status"]')],
    ];
    for (const [, make] of forms) await pwExpect(make()).toBeVisible();
    await page.setContent(
      V2 + '<ul id="items"><li class="row">One <button class="edit">Edit</button></li><li class="row">Two <button class="edit">Edit</button></li></ul>',
    );
    for (const [name, make] of forms) {
      await pwExpect(make(), name).toBeVisible({ timeout: 300 });
    }
    expect(heals.filter((h) => h.outcome === 'healed').length).toBeGreaterThanOrEqual(forms.length - 1);
  });
});

describe('every action and assertion heals', () => {
  const FORM = (v: 1 | 2) => {
    const id = (name: string) => (v === 1 ? name : `${name}-v2`);
    return `<main><form onsubmit="return false">
      <label for="${id('agree')}">I agree</label><input type="checkbox" id="${id('agree')}">
      <label for="${id('size')}">Size</label><select id="${id('size')}"><option value="s">Small</option><option value="l">Large</option></select>
      <label for="${id('nick')}">Nickname</label><input id="${id('nick')}" value="ada">
      <button type="button" id="${id('hover')}" onmouseover="this.dataset.hovered='yes'" ondblclick="document.title='double'">Hover me</button>
      <p id="${id('note')}" title="A note">Shipping is free</p></form></main>`;
  };
  type Case = [name: string, run: (l: (id: string) => Locator, timeout: number) => Promise<unknown>];
  const l = (id: string) => page.locator(`#${id}`);
  const cases: Case[] = [
    ['check', (l, timeout) => l('agree').check({ timeout })],
    ['selectOption', (l, timeout) => l('size').selectOption('l', { timeout })],
    ['fill', (l, timeout) => l('nick').fill('grace', { timeout })],
    ['press', (l, timeout) => l('nick').press('End', { timeout })],
    ['hover', (l, timeout) => l('hover').hover({ timeout })],
    ['dblclick', (l, timeout) => l('hover').dblclick({ timeout })],
    ['textContent', (l, timeout) => l('note').textContent({ timeout })],
    ['inputValue', (l, timeout) => l('nick').inputValue({ timeout })],
    ['isChecked', (l, timeout) => l('agree').isChecked({ timeout })],
    ['getAttribute', (l, timeout) => l('note').getAttribute('title', { timeout })],
    ['toBeChecked', (l, timeout) => pwExpect(l('agree')).toBeChecked({ timeout })],
    ['toHaveValue', (l, timeout) => pwExpect(l('size')).toHaveValue('l', { timeout })],
    ['toContainText', (l, timeout) => pwExpect(l('note')).toContainText('free', { timeout })],
    ['toHaveAttribute', (l, timeout) => pwExpect(l('note')).toHaveAttribute('title', 'A note', { timeout })],
    ['toBeEnabled', (l, timeout) => pwExpect(l('hover')).toBeEnabled({ timeout })],
  ];

  it('heals each waiting action and web-first assertion on an element whose id changed', async () => {
    const { heals, flush } = heal();
    await page.setContent(FORM(1));
    for (const [, run] of cases) await run(l, 5000);
    await flush();
    await page.setContent(FORM(2));
    const failed: string[] = [];
    for (const [name, run] of cases) await run(l, 1000).catch(() => failed.push(name));
    expect(failed).toEqual([]);
    expect(await page.locator('#agree-v2').isChecked()).toBe(true);
    expect(await page.locator('#size-v2').inputValue()).toBe('l');
    expect(await page.locator('#hover-v2').getAttribute('data-hovered')).toBe('yes');
    expect(await page.title()).toBe('double');
    // each selector relocates once; later steps on it use the fix it learned
    const healed = heals.filter((h) => h.outcome === 'healed');
    expect(healed).toHaveLength(cases.length);
    expect(healed.filter((h) => h.strategy === 'known_fix')).toHaveLength(cases.length - 5);
    expect(new Set(healed.filter((h) => h.strategy === 'relocate').map((h) => h.from.selector))).toEqual(new Set(['#agree', '#size', '#nick', '#hover', '#note']));
  }, 30_000);
});

describe('lists and timeouts', () => {
  it('heals a list assertion as a set, never onto one element, and a chain on the healed set', async () => {
    const { heals, flush } = heal();
    const list = (cls: string, names: string[]) => `<h1>Team</h1><ul id="team">${names.map((n) => `<li class="${cls}">${n}</li>`).join('')}</ul><p>Contact us</p>`;
    const names = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing'];
    await page.setContent(list('item', names));
    await pwExpect(page.locator('li.item')).toHaveCount(3);
    await pwExpect(page.locator('li.item').last()).toHaveText('Alan Turing');
    await flush();
    await page.setContent(list('member', names));
    await pwExpect(page.locator('li.item')).toHaveText(names);
    await pwExpect(page.locator('li.item').last()).toHaveText('Alan Turing');
    expect(heals.map((h) => [h.strategy, h.outcome, h.to?.code])).toEqual([
      ['relocate_set', 'healed', "page.locator('li.member')"],
      // The chain goes through the fix just learnt for its list, without relocating the list again.
      ['known_fix', 'healed', "page.locator('li.member').last()"],
    ]);
    expect(heals[0]!.explanation.length).toBeGreaterThan(0);
    // Defined by structure, not by the count expected: one member fewer fails the count.
    await page.setContent(list('member', names.slice(0, 2)));
    await pwExpect(pwExpect(page.locator('li.item')).toHaveCount(3, { timeout: 300 })).rejects.toThrow();
    expect(heals.slice(2).filter((h) => h.outcome === 'healed')).toEqual([]);
  });

  it('heals a chain that picks by position on a list whose later links broke too: inside the i-th of the healed list', async () => {
    const { heals, flush } = heal();
    const shop = (v2: boolean) =>
      `<h1>Shop</h1><div id="list">${['Desk Lamp', 'Water Bottle', 'Smart Ring']
        .map((n) => (v2 ? `<article class="tile"><h2>${n}</h2><a href="#" role="button" class="add" onclick="document.title='${n}'">Add to bag</a></article>` : `<div class="card"><h3>${n}</h3><button class="add" onclick="document.title='${n}'">Add to cart</button></div>`))
        .join('')}</div>`;
    await page.setContent(shop(false));
    await pwExpect(page.locator('.card')).toHaveCount(3);
    await page.locator('.card').nth(1).getByRole('button', { name: 'Add to cart' }).click();
    await flush();
    await page.setContent(shop(true));
    await page.locator('.card').nth(1).getByRole('button', { name: 'Add to cart' }).click();
    expect(await page.title()).toBe('Water Bottle');
    expect(heals.map((h) => [h.strategy, h.outcome, h.to?.code])).toEqual([
      ['relocate_set', 'healed', "page.locator('article.tile').nth(1).getByRole('button', { name: 'Add to bag' })"],
    ]);
  });

  it('tries a chain on a known list as a set first when the strategy tracker says the set heal does better at chains', async () => {
    const shop = (v2: boolean) =>
      `<h1>Shop</h1><div id="list">${['Desk Lamp', 'Water Bottle', 'Smart Ring']
        .map((n) => (v2 ? `<article class="tile"><h2>${n}</h2><a href="#" role="button" class="buy" onclick="document.title='${n}'">Add to bag</a></article>` : `<div class="card"><h3>${n}</h3><button class="add" onclick="document.title='${n}'">Add to cart</button></div>`))
        .join('')}</div>`;
    const run = async (executions: StrategyExecution[]) => {
      const { heals, flush } = heal({ executions });
      await page.setContent(shop(false));
      await pwExpect(page.locator('.card')).toHaveCount(3);
      await page.locator('.card').filter({ hasText: 'Water Bottle' }).locator('button.add').click();
      await flush();
      await page.setContent(shop(true));
      await page.locator('.card').filter({ hasText: 'Water Bottle' }).locator('button.add').click();
      expect(await page.title()).toBe('Water Bottle');
      return heals.map((h) => [h.strategy, h.outcome]);
    };
    const tries = (strategy: string, success: boolean): StrategyExecution[] =>
      Array.from({ length: 6 }, (_, i) => ({ project: 'test', runId: `r${i}`, strategy, taskType: 'selector_missing', complexity: 'chain', success, durationMs: 100, costUsd: 0, at: '2026-12-01T10:00:00.000Z' }));
    // The default order relocates the chain's element first, which abstains here, then heals the set.
    expect(await run([])).toEqual([['relocate', 'abstained'], ['relocate_set', 'healed']]);
    expect(await run([...tries('relocate', false), ...tries('relocate_set', true)])).toEqual([['relocate_set', 'healed']]);
    // Too few tries to rank: the default order stands.
    expect(await run([...tries('relocate', false), ...tries('relocate_set', true)].slice(2, 10))).toEqual([['relocate', 'abstained'], ['relocate_set', 'healed']]);
  });

  it('never heals a list onto elements unlike it, nor a list that is gone', async () => {
    const { heals, flush } = heal();
    await page.setContent('<h1>Team</h1><ul id="team"><li class="item">Ada Lovelace</li><li class="item">Grace Hopper</li></ul>');
    await pwExpect(page.locator('li.item')).toHaveCount(2);
    await flush();
    await page.setContent('<h1>Team</h1><p>Nobody here yet.</p>');
    await pwExpect(pwExpect(page.locator('li.item')).toHaveCount(2, { timeout: 300 })).rejects.toThrow();
    expect(heals.map((h) => [h.strategy, h.outcome])).toEqual([['relocate_set', 'abstained']]);
    expect(heals[0]!.reason).toMatch(/^abstained: none of the 2 sampled members/);
  });

  it('caps a step at the probe time without changing its other options', () => {
    expect(argsWithTimeout('click', [], 1500)).toEqual([{ timeout: 1500 }]);
    expect(argsWithTimeout('click', [{ force: true, timeout: 0 }], 1500)).toEqual([{ force: true, timeout: 1500 }]);
    expect(argsWithTimeout('click', [{ timeout: 300 }], 1500)).toEqual([{ timeout: 300 }]);
    expect(argsWithTimeout('fill', ['x'], 1500)).toEqual(['x', { timeout: 1500 }]);
    expect(argsWithTimeout('selectOption', [{ label: 'Blue' }], 1500)).toEqual([{ label: 'Blue' }, { timeout: 1500 }]);
    expect(argsWithTimeout('dispatchEvent', ['click'], 1500)).toEqual(['click', undefined, { timeout: 1500 }]);
  });

  it('looks for a known element elsewhere without waiting out a long step timeout', async () => {
    const { heals } = heal();
    await page.setContent(V1);
    await page.locator('#save').click();
    await page.setContent(V2);
    // 60 s would outlast this test's own timeout: the heal must come from the probe
    await page.locator('#save').click({ timeout: 60_000 });
    expect(await page.title()).toBe('saved');
    expect(heals[0]).toMatchObject({ outcome: 'healed', strategy: 'relocate' });
  }, 20_000);
});

describe('chains', () => {
  const grid = (card: string, button: string, names: string[]) =>
    `<main><h1>Products</h1><ul>${names
      .map((n, i) => `<li class="${card}" data-testid="${card}"><h3>${n}</h3><p>$${10 + i}.00</p><button onclick="document.title='${n}'">${button}</button></li>`)
      .join('')}</ul></main>`;
  const NAMES = ['Desk Lamp', 'Water Bottle', 'Smart Ring', 'Headphones', 'Speaker', 'Backpack'];

  it('heals the broken parent of a chain by its own fingerprint and keeps the rest, among look-alike cards', async () => {
    const { heals, flush } = heal();
    const addToCart = (name: string) => page.getByTestId('product-card').filter({ hasText: name }).getByRole('button', { name: 'Add to cart' });
    await page.setContent(grid('product-card', 'Add to cart', NAMES));
    await addToCart('Smart Ring').click();
    await flush();
    await page.setContent(grid('product-tile', 'Add to bag', NAMES));
    await page.evaluate(() => (document.title = ''));
    await addToCart('Smart Ring').click({ timeout: 500 });
    expect(await page.title()).toBe('Smart Ring');
    expect(heals).toHaveLength(1);
    expect(heals[0]).toMatchObject({ outcome: 'healed', strategy: 'relocate' });
    expect(heals[0]!.reason).toMatch(/healed the chain at its broken link/);
    expect(heals[0]!.to!.code).toBe("page.getByTestId('product-tile').filter({ hasText: 'Smart Ring' }).getByRole('button', { name: 'Add to bag' })");
  });

  it('relocates a changed child inside a parent that still works, not elsewhere on the page', async () => {
    const { heals } = heal();
    const section = (id: string, button: string, title: string) => `<section id="${id}"><p>Desk Lamp</p>${button.replace('>', ` onclick="document.title='${title}'">`)}</section>`;
    await page.setContent(`<main>${section('cart', '<button id="rm">Remove</button>', 'right')}${section('saved', '<button id="rm-saved">Remove</button>', 'wrong')}</main>`);
    await page.locator('#cart').locator('#rm').click();
    await page.setContent(`<main>${section('saved', '<button class="remove">Remove</button>', 'wrong')}${section('cart', '<button class="remove">Remove</button>', 'right')}</main>`);
    await page.evaluate(() => (document.title = ''));
    await page.locator('#cart').locator('#rm').click({ timeout: 500 });
    expect(await page.title()).toBe('right');
    expect(heals[0]).toMatchObject({ outcome: 'healed' });
    expect(heals[0]!.to!.code).toMatch(/^page\.locator\('#cart'\)\./);
  });
});

describe('slow steps', () => {
  const later = (ms: number) =>
    `<main><button id="go" disabled onclick="document.title='went'">Go</button></main><script>setTimeout(() => document.getElementById('go').disabled = false, ${ms})</script>`;

  it('remembers how long a slow step took', async () => {
    const { observations, catalog, flush } = heal();
    await page.setContent(later(1300));
    await page.locator('#go').click({ timeout: 5000 });
    await flush();
    expect(observations.find((o) => o.waitedMs !== undefined)?.waitedMs).toBeGreaterThanOrEqual(1000);
    expect(catalog.slowestMs('about:', '#go')).toBeGreaterThanOrEqual(1000);

  }, 20_000);

  it('gives a step that timed out on an element that is there one longer wait when it was slow before', async () => {
    // History without a fingerprint, so the step runs as written (no probe): 800 ms, then 1600 ms more.
    const catalog = new WorkerCatalog('test');
    catalog.observe({ selector: '#go', code: "locator('#go')", pageKey: 'about:', outcome: 'worked', waitedMs: 5000, at: new Date().toISOString() });
    const { heals } = heal({ catalog });
    await page.setContent(later(1500));
    await page.locator('#go').click({ timeout: 800 });
    expect(await page.title()).toBe('went');
    expect(heals).toMatchObject([{ strategy: 'extended_wait', category: 'timeout', outcome: 'healed', to: { selector: '#go' } }]);
    expect(heals[0]!.reason).toMatch(/timed out after 800 ms .* waited 1600 ms more/);
  }, 20_000);

  // The step acts, then waits for the navigation it started, which never answers: it times out
  // after acting however slow the machine is (a handler that blocks the page raced the timeout).
  // The page cannot be asked while that navigation is pending; the route counts the acts.
  const hangingNavigation = async () => {
    const navigations = { count: 0 };
    await page.route('http://medic.test/**', () => void navigations.count++);
    return { navigations, navigate: "location.href = 'http://medic.test/next'" };
  };

  it('gives no second wait to a click that timed out after it was performed: it would click twice', async () => {
    const catalog = new WorkerCatalog('test');
    catalog.observe({ selector: '#add', code: "locator('#add')", pageKey: 'about:', outcome: 'worked', waitedMs: 5000, at: new Date().toISOString() });
    const { heals } = heal({ catalog });
    const { navigations, navigate } = await hangingNavigation();
    await page.setContent(`<button id="add" onclick="${navigate}">Add</button>`);
    await pwExpect(page.locator('#add').click({ timeout: 2000 })).rejects.toThrow(/Timeout 2000ms exceeded/);
    expect(navigations.count).toBe(1);
    expect(heals).toEqual([]);
  }, 20_000);

  it('gives no second wait to a key press that timed out after it was sent: it would press twice', async () => {
    const catalog = new WorkerCatalog('test');
    catalog.observe({ selector: '#q', code: "locator('#q')", pageKey: 'about:', outcome: 'worked', waitedMs: 5000, at: new Date().toISOString() });
    const { heals } = heal({ catalog });
    const { navigations, navigate } = await hangingNavigation();
    await page.setContent(`<input id="q" onkeydown="${navigate}">`);
    await pwExpect(page.locator('#q').press('Enter', { timeout: 2000 })).rejects.toThrow(/Timeout 2000ms exceeded/);
    expect(navigations.count).toBe(1);
    expect(heals).toEqual([]);
  }, 20_000);

  it('gives no second wait without that history, nor to a real failure of a fast step', async () => {
    const { heals } = heal();
    await page.setContent(later(60_000));
    await pwExpect(page.locator('#go').click({ timeout: 800 })).rejects.toThrow(/Timeout 800ms exceeded/);
    await pwExpect(pwExpect(page.locator('#go')).toBeEnabled({ timeout: 800 })).rejects.toThrow();
    expect(heals).toEqual([]);
  }, 20_000);
});

describe('cascade guard', () => {
  it('stops heal attempts, and says why once, when the application is down', async () => {
    const opened: string[] = [];
    const guard = new CascadeGuard({ threshold: 2, onOpen: (reason) => opened.push(reason) });
    const { heals } = heal({ guard });
    await page.setContent(V1);
    await page.locator('#save').click();
    await page.goto('http://127.0.0.1:9/').catch(() => undefined); // nothing listens on port 9
    for (let i = 0; i < 3; i++) await pwExpect(page.locator('#save').click({ timeout: 200 })).rejects.toThrow();
    expect(guard.open).toBe(true);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatch(/error page|ERR_CONNECTION_REFUSED/);
    expect(heals).toEqual([]);
  });
});
