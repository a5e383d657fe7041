import type { Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { isMedicError } from '../errors.js';
import {
  CANDIDATES_KEY,
  captureCandidates as captureCandidatesInPage,
  captureCandidatesJson,
  captureCandidatesWire,
  captureElement,
  decodeCandidates,
} from '../healing/capture.js';
import { FINGERPRINT_VERSION, type Candidate } from '../healing/fingerprint.js';
import { candidateElement, captureCandidates, captureFingerprint, captureResolved, captureShortlist, installCapture } from './capture.js';
import { testdata, useBrowserPage } from './browser.testkit.js';

let page: Page;
useBrowserPage((p) => (page = p), { viewport: { width: 1000, height: 700 } });

const only = (candidates: Candidate[], match: (c: Candidate) => boolean) => {
  const found = candidates.filter(match);
  expect(found, 'exactly one candidate should match').toHaveLength(1);
  return found[0]!;
};

describe('captureFingerprint', () => {
  it('fills every field of a plain element', async () => {
    await page.setContent(testdata('capture.html'));
    const fp = await captureFingerprint(page.locator('#email'));
    expect(fp).toMatchObject({
      version: FINGERPRINT_VERSION,
      tag: 'input',
      id: 'email',
      name: 'email',
      classes: ['field', 'wide'],
      role: 'textbox',
      accessibleName: 'Email address',
      label: 'Email address',
      placeholder: 'you@example.com',
      title: 'Your email',
      type: 'email',
      value: 'ada@example.com',
      testIds: { 'data-testid': 'email-input', 'data-qa': 'email', 'data-cy': 'mail' },
      xpath: '/html[1]/body[1]/main[1]/form[1]/div[1]/input[1]',
      idXpath: "//*[@id='email']",
      isButton: false,
      visible: true,
    });
    expect(fp.ancestors?.slice(0, 4)).toEqual([
      { tag: 'div', classes: ['row'] },
      { tag: 'form', id: 'signup' },
      { tag: 'main', id: 'content' },
      { tag: 'body' },
    ]);
    expect(fp.neighbors).toMatchObject({ left: 'Email address', above: 'Account settings' });
    expect(fp.neighbors?.any).toContain('Email address');
    const box = await page.locator('#email').boundingBox();
    expect(fp.box).toEqual({
      x: Math.round(box!.x),
      y: Math.round(box!.y),
      width: Math.round(box!.width),
      height: Math.round(box!.height),
    });
    expect(fp.frames).toBeUndefined();
    expect(fp.shadowPath).toBeUndefined();

    const link = await captureFingerprint(page.getByRole('link', { name: 'Docs' }));
    expect(link).toMatchObject({
      tag: 'a',
      text: 'Docs',
      visibleText: 'Docs',
      role: 'link',
      accessibleName: 'Docs',
      title: 'Read the docs',
      href: '/docs',
      classes: ['nav-link', 'active'],
      idXpath: "//*[@id='top']/a[1]",
    });
    const img = await captureFingerprint(page.getByAltText('Home'));
    expect(img).toMatchObject({ tag: 'img', role: 'img', alt: 'Home', accessibleName: 'Home', src: '/logo.png' });
    const mixed = await captureFingerprint(page.locator('#mixed'));
    expect(mixed).toMatchObject({ text: 'Hello new world', visibleText: 'Hello brave new world', role: 'paragraph' });
    const submit = await captureFingerprint(page.locator('input[type=submit]'));
    expect(submit).toMatchObject({ role: 'button', accessibleName: 'Create account', isButton: true, value: 'Create account' });
  });

  it('computes roles and names the way Playwright resolves getByRole', async () => {
    await page.setContent(testdata('capture.html'));
    const candidates = await captureCandidates(page);
    const named = candidates.filter((c) => c.role && c.accessibleName);
    expect(named.length).toBeGreaterThan(25);
    const expected: Record<string, string> = {
      '#pw': 'Secret', // aria-labelledby
      '#otp': 'One-time code', // aria-label
      'button[type=reset]': 'Clear form', // content: hidden text skipped, img alt included
      'button[type=button]': 'Close dialog',
      '#terms': 'I accept the terms', // label[for]
      'select[name=plan]': 'Plan',
      textarea: 'Street and number', // placeholder
      fieldset: 'Shipping', // legend
      '#icon': 'Star',
    };
    for (const [selector, name] of Object.entries(expected)) {
      const fp = await captureFingerprint(page.locator(selector), { neighbors: false });
      expect(fp.accessibleName, selector).toBe(name);
    }
    for (const candidate of named) {
      const element = await candidateElement(page, candidate.index);
      const role = candidate.role as Parameters<Page['getByRole']>[0];
      const matches = page.getByRole(role, { name: candidate.accessibleName, exact: true });
      const found = await matches.evaluateAll((els, target) => (els as Element[]).includes(target), element);
      expect(found, `${candidate.xpath} as ${candidate.role} "${candidate.accessibleName}"`).toBe(true);
    }
  });

  it('is what captureCandidates computes for the same element', async () => {
    await page.setContent(testdata('capture.html'));
    const candidates = await captureCandidates(page);
    for (const selector of ['#email', 'tr#row-alan button', '#mixed b', 'nav a >> nth=1']) {
      const single = await captureFingerprint(page.locator(selector));
      const candidate = only(candidates, (c) => c.xpath === single.xpath);
      const { index, ...rest } = candidate;
      expect(index).toBeGreaterThanOrEqual(0);
      expect(rest, selector).toEqual(single);
    }
  });

  it('never captures the value of a password or other secret field', async () => {
    await page.setContent(testdata('capture.html'));
    await page.locator('#pw').fill('correct horse battery staple');
    const pw = await captureFingerprint(page.locator('#pw'));
    expect(pw.type).toBe('password');
    expect(pw.value).toBeUndefined();
    expect((await captureFingerprint(page.locator('#otp'))).value).toBeUndefined();
    // "Show password" makes it a text field: its name still gives it away.
    await page.locator('#pw').evaluate((el) => el.setAttribute('type', 'text'));
    expect(await page.locator('#pw').inputValue()).toBe('correct horse battery staple');
    expect((await captureFingerprint(page.locator('#pw'))).value).toBeUndefined();
    const all = JSON.stringify(await captureCandidates(page, { includeHidden: true }));
    for (const secret of ['hunter2', 'correct horse', '493021', 'tok-8f7e6d']) expect(all).not.toContain(secret);
    expect(all).toContain('ada@example.com'); // ordinary values are kept
  });
});

describe('captureCandidates', () => {
  it('captures visible UI elements in document order and gives each element back by index', async () => {
    await page.setContent(testdata('capture.html'));
    const candidates = await captureCandidates(page);
    expect(candidates.map((c) => c.index)).toEqual(candidates.map((_, i) => i));
    const tags = new Set(candidates.map((c) => c.tag));
    for (const skipped of ['html', 'head', 'script', 'style', 'title', 'meta', 'option', 'circle']) expect(tags).not.toContain(skipped);
    const order = ['#top', '#email', '#row-ada', '#row-alan', '#mixed'].map((id) =>
      candidates.findIndex((c) => c.id === id.slice(1)),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    const email = only(candidates, (c) => c.id === 'email');
    const handle = await candidateElement(page, email.index);
    expect(await handle.evaluate((el) => el.id)).toBe('email');
    expect(await page.evaluate((key) => Array.isArray((window as unknown as Record<string, unknown>)[key]), CANDIDATES_KEY)).toBe(true);
    const error = await candidateElement(page, candidates.length + 5).catch((e: unknown) => e);
    expect(isMedicError(error)).toBe(true);
    expect((error as Error).message).toMatch(/no candidate \d+ in the last capture/);

    expect((await captureCandidates(page, { maxCandidates: 3 })).map((c) => c.tag)).toEqual(['body', 'nav', 'a']);
    await page.reload();
    const stale = await candidateElement(page, 0).catch((e: unknown) => e);
    expect((stale as Error).message).toMatch(/No captured candidates in this page/);
  });

  it("captures the project's own test-id attribute when told which one it is", async () => {
    await page.setContent('<button data-hook="buy" data-test-id="b1">Buy</button>');
    const [plain] = await captureCandidates(page).then((cs) => cs.filter((c) => c.tag === 'button'));
    expect(plain?.testIds).toEqual({ 'data-test-id': 'b1' });
    const [hooked] = await captureCandidates(page, { testIdAttribute: 'data-hook' }).then((cs) => cs.filter((c) => c.tag === 'button'));
    expect(hooked?.testIds).toEqual({ 'data-hook': 'buy', 'data-test-id': 'b1' });
  });

  it('leaves hidden elements out by default and takes them in with includeHidden', async () => {
    await page.setContent(testdata('capture.html'));
    const hiddenIds = ['gone', 'inside-gone', 'invisible', 'empty-box', 'hidden-attr'];
    const visible = await captureCandidates(page);
    expect(visible.filter((c) => hiddenIds.includes(c.id ?? ''))).toEqual([]);
    expect(visible.some((c) => c.id === 'shown')).toBe(true);
    expect(visible.every((c) => c.visible)).toBe(true);

    const all = await captureCandidates(page, { includeHidden: true });
    const hidden = all.filter((c) => hiddenIds.includes(c.id ?? ''));
    expect(hidden.map((c) => c.id).sort()).toEqual([...hiddenIds].sort());
    expect(hidden.every((c) => c.visible === false && c.neighbors === undefined)).toBe(true);
    // innerText semantics: text under display:none is still read, visibility:hidden text is not rendered.
    expect(only(all, (c) => c.id === 'gone').visibleText).toBe('Display none');
    expect(only(all, (c) => c.id === 'invisible').visibleText).toBeUndefined();
    expect(all.length).toBeGreaterThan(visible.length);
  });

  it('tells apart two rows with the same "Delete" button', async () => {
    await page.setContent(testdata('capture.html'));
    const deletes = (await captureCandidates(page)).filter((c) => c.tag === 'button' && c.accessibleName === 'Delete');
    expect(deletes).toHaveLength(2);
    const [ada, alan] = deletes as [Candidate, Candidate];
    expect(ada.neighbors?.left).toBe('Ada Lovelace');
    expect(alan.neighbors?.left).toBe('Alan Turing');
    expect(ada.neighbors?.above).toBe('Action');
    expect(ada.xpath).not.toBe(alan.xpath);
    expect(ada.idXpath).toBe("//*[@id='row-ada']/td[2]/button[1]");
    expect(alan.idXpath).toBe("//*[@id='row-alan']/td[2]/button[1]");
    expect(ada.ancestors?.[1]).toEqual({ tag: 'tr', id: 'row-ada' });
    expect(alan.ancestors?.[1]).toEqual({ tag: 'tr', id: 'row-alan' });
    expect(alan.box!.y).toBeGreaterThan(ada.box!.y);

    // Text that sits next to a button in the same element (a mixed text node) is a neighbour too.
    const removes = (await captureCandidates(page)).filter((c) => c.accessibleName === 'Remove');
    expect(removes.map((c) => c.neighbors?.left)).toEqual(['Buy milk', 'Walk the dog']);
  });

  it('walks same-origin iframes and records the frame chain and page coordinates', async () => {
    await page.setContent(testdata('frames.html'));
    await expect.poll(() => page.frames().length).toBe(4);
    const candidates = await captureCandidates(page);
    const pays = candidates.filter((c) => c.accessibleName === 'Pay now');
    expect(pays.map((c) => c.frames)).toEqual([
      ['iframe[name="checkout"]'],
      ['iframe[name="checkout"]', 'iframe[title="Card details"]'],
      ['iframe:nth-of-type(2)'],
    ]);
    const card = only(candidates, (c) => c.name === 'card');
    expect(card).toMatchObject({ label: 'Card number', value: '4111', xpath: '/html[1]/body[1]/label[1]/input[1]' });

    // Boxes are in top-page pixels: the inner frame's content is offset by both iframes.
    const inner = page.frameLocator('iframe[name="checkout"]').frameLocator('iframe').getByRole('button');
    const expected = await inner.boundingBox();
    const nested = pays[1]!;
    expect(nested.box!.x).toBeCloseTo(expected!.x, -1);
    expect(nested.box!.y).toBeCloseTo(expected!.y, -1);
    expect(nested.box!.x).toBeGreaterThan(100 + 20);

    // The element comes back as a handle that works with the frame's own locators.
    const handle = await candidateElement(page, nested.index);
    const same = await inner.evaluate((el, target) => el === target, handle);
    expect(same).toBe(true);
    expect(nested.neighbors?.above).toBe('Card number');
    // Captured from inside the frame, the element has the same fingerprint (frames chain and box included).
    const { index: _index, ...rest } = nested;
    expect(await captureFingerprint(inner)).toEqual(rest);
  });

  it('walks open shadow roots and records the shadow path; closed roots stay closed', async () => {
    await page.setContent(testdata('shadow.html'));
    const candidates = await captureCandidates(page);
    const follow = only(candidates, (c) => c.accessibleName === 'Follow Alan');
    expect(follow).toMatchObject({ shadowPath: ['user-card#card-2'], xpath: '/div[1]/button[1]' });
    // Ancestors cross the shadow boundary to the host.
    expect(follow.ancestors?.slice(0, 3)).toEqual([{ tag: 'div', classes: ['card'] }, { tag: 'user-card', id: 'card-2' }, { tag: 'body' }]);
    const chips = candidates.filter((c) => c.text === 'Pro');
    expect(chips.map((c) => c.shadowPath)).toEqual([
      ['user-card#card-1', 'badge-chip'],
      ['user-card#card-2', 'badge-chip'],
    ]);
    expect(follow.neighbors?.left).toBe('Pro');
    expect(candidates.some((c) => c.text === 'Closed secret')).toBe(false);
    const single = await captureFingerprint(page.getByRole('button', { name: 'Follow Alan' }));
    const { index: _index, ...rest } = follow;
    expect(rest).toEqual(single);
  });

  it('runs when a transpiler wrapped nested functions in __name (tsx, esbuild keepNames)', async () => {
    await page.setContent('<button>Go</button>');
    // esbuild's keepNames turns `const f = () => …` into `const f = __name(() => …, "f")` inside bodies.
    const named = '__name(function named() {}, "named");';
    const keepNames = (source: string) =>
      source.replace('const TEXT_CAP = 200;', `${named} const TEXT_CAP = 200;`).replace('const BUTTON_INPUTS', `${named} const BUTTON_INPUTS`);
    const source = keepNames(String(captureCandidatesInPage));
    expect(source.split(named)).toHaveLength(3);
    expect(await page.evaluate(`(${source})({})`)).toHaveLength(2);
    const bare = source.replace('var __name = function (f) { return f; };', '');
    expect(bare).not.toBe(source);
    await expect(page.evaluate(`(${bare})({})`)).rejects.toThrow(/__name is not defined/);
    expect(String(captureElement)).toContain(CANDIDATES_KEY);
  });

  it('brings candidates to Node in a compact form that decodes to exactly the plain capture', async () => {
    for (const file of ['capture.html', 'frames.html', 'shadow.html']) {
      await page.setContent(testdata(file));
      if (file === 'frames.html') await expect.poll(() => page.frames().length).toBe(4);
      const plain = JSON.parse(await page.evaluate(captureCandidatesJson, {})) as Candidate[];
      const wire = await page.evaluate(captureCandidatesWire, {});
      expect(wire.length).toBeLessThan(JSON.stringify(plain).length);
      expect(decodeCandidates(wire)).toEqual(plain);
      expect(await captureCandidates(page)).toEqual(plain);
    }
    // What the page returns is still checked: a broken list is a MEDIC_CAPTURE error, not bad data.
    const broken = JSON.stringify({ n: 1, a: [], c: [], d: { tag: [1] }, s: {} });
    await page.setContent('<button>Go</button>');
    const error = await captureCandidates({ evaluate: async () => broken } as unknown as Page).catch((e: unknown) => e);
    expect(isMedicError(error)).toBe(true);
    expect((error as Error).message).toMatch(/invalid candidate list/);
  });

  it('captures a page of more than 5,000 elements in one pass', async () => {
    const rows = Array.from(
      { length: 600 },
      (_, i) =>
        `<tr class="row"><td>User ${i}</td><td><a href="/u/${i}">Profile <b>${i}</b></a></td>` +
        `<td><label>Note <input name="n${i}" value="v${i}"></label></td>` +
        `<td><button class="btn" data-testid="del-${i}">Delete</button></td></tr>`,
    );
    const cards = Array.from(
      { length: 300 },
      (_, i) => `<div class="card"><h3>Card ${i}</h3><p>Some <em>text</em> for card ${i}</p><span class="badge">new</span></div>`,
    );
    await page.setContent(`<nav><a href="/">Home</a></nav><main><table><tbody>${rows.join('')}</tbody></table><section>${cards.join('')}</section></main>`);
    const elements = await page.evaluate(() => document.body.querySelectorAll('*').length + 1);
    expect(elements).toBeGreaterThanOrEqual(5000);

    const times: number[] = [];
    let candidates: Candidate[] = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      candidates = await captureCandidates(page);
      times.push(performance.now() - started);
    }
    const inPage = await page.evaluate(`(() => { const t = performance.now(); (${String(captureCandidatesInPage)})({}); return performance.now() - t; })()`);
    console.log(
      `captureCandidates: ${elements} elements, ${candidates.length} candidates, ` +
        `runs ${times.map((t) => t.toFixed(0)).join('/')} ms (in page alone ${Number(inPage).toFixed(0)} ms)`,
    );
    expect(candidates.length).toBe(elements);
    const last = only(candidates, (c) => c.testIds?.['data-testid'] === 'del-599');
    expect(last.neighbors?.left).toBe('Note');
    expect(last.idXpath).toBeUndefined();
    expect(last.xpath).toBe('/html[1]/body[1]/main[1]/table[1]/tbody[1]/tr[600]/td[4]/button[1]');
  });
});

/** The shortlist of `target`, each candidate paired with the full capture's fingerprint of the same element. */
async function shortlistBesideFull(target: Candidate, keep: number) {
  const shortlist = await captureShortlist(page, target, { keep });
  await page.evaluate((key) => ((window as unknown as Record<string, unknown>).__shortlisted = (window as unknown as Record<string, Element[]>)[key]), CANDIDATES_KEY);
  const full = await captureCandidates(page);
  const positions = await page.evaluate(
    ([key, indexes]) => {
      const w = window as unknown as Record<string, Element[]>;
      return indexes.map((i) => w[key]!.indexOf(w.__shortlisted![i]!));
    },
    [CANDIDATES_KEY, shortlist.map((c) => c.index)] as const,
  );
  return { shortlist, full, same: shortlist.map((c, k) => ({ c, full: full[positions[k]!] })) };
}
const withoutIndex = ({ index: _, ...fp }: Candidate) => fp;

describe('captureShortlist', () => {
  it('brings back only the best of the prefilter, each exactly as the full capture has it', async () => {
    const rows = Array.from(
      { length: 400 },
      (_, i) => `<li class="row"><span class="name">Item ${i}</span><button class="btn" data-testid="del-${i}">Delete</button></li>`,
    );
    await page.setContent(`<header><a id="cart-link" href="/cart">Cart (2)</a></header><ul>${rows.join('')}</ul>`);
    const full = await captureCandidates(page);
    const target = { ...only(full, (c) => c.id === 'cart-link'), id: 'bag-link', text: 'Cart' };
    const shortlist = await captureShortlist(page, target, { keep: 20 });
    expect(shortlist).toHaveLength(20);
    expect(shortlist.map((c) => c.index)).toEqual([...shortlist.map((c) => c.index)].sort((a, b) => a - b));
    for (const c of shortlist) expect(c).toEqual(full[c.index]);
    expect(shortlist.some((c) => c.id === 'cart-link')).toBe(true);
    // Indexes are positions in the page's last capture: the elements come back as after captureCandidates.
    const link = shortlist.find((c) => c.id === 'cart-link')!;
    expect(await (await candidateElement(page, link.index)).evaluate((el) => el.id)).toBe('cart-link');
  });

  // The shortlist's light first pass must not change what the ranker sees: the fingerprint of a
  // shortlisted element (neighbours included) is the full capture's, on pages with hidden
  // elements, frames and shadow roots.
  for (const file of ['capture.html', 'frames.html', 'shadow.html', 'locators.html']) {
    it(`gives each shortlisted element the full capture's fingerprint (${file})`, async () => {
      await page.setContent(testdata(file));
      if (file === 'frames.html') await expect.poll(() => page.frames().length).toBe(4);
      const all = await captureCandidates(page);
      for (const target of [all[0]!, all[Math.floor(all.length / 2)]!, all.at(-1)!]) {
        for (const keep of [3, all.length]) {
          const { shortlist, same } = await shortlistBesideFull(target, keep);
          expect(shortlist).toHaveLength(Math.min(keep, all.length));
          for (const { c, full } of same) expect(withoutIndex(c)).toEqual(full && withoutIndex(full));
        }
      }
      // A shortlist as long as the page is the page's visible candidates, in document order.
      const { same } = await shortlistBesideFull(all[1]!, all.length);
      expect(same.map(({ full }) => full?.index)).toEqual(all.map((c) => c.index));
    });
  }
});

describe('captureResolved', () => {
  const LIST = `<main><ul id="list"><li class="item" data-testid="row">Lamp</li><li class="item" data-testid="row">Mug</li>
    <li class="item" data-testid="row">Sleeve</li></ul><p id="note" data-testid="note">Three items</p>
    <button id="save">Save</button></main>`;
  const installed = async (html: string) => {
    await installCapture(page.context());
    await page.goto('about:blank');
    await page.setContent(html);
  };

  it('lets the page resolve CSS, XPath, test ids and positions, with the fingerprint Playwright would give', async () => {
    await installed(LIST);
    for (const locator of [
      page.locator('#note'),
      page.locator('xpath=//p[@id="note"]'),
      page.locator('//button'),
      page.getByTestId('note'),
      page.locator('li.item').nth(1),
      page.getByTestId('row').last(),
      page.locator('li').first(),
    ]) {
      const resolved = await captureResolved(locator);
      expect(resolved.resolvedBy, String(locator)).toBe('page');
      expect(resolved.count, String(locator)).toBe(1);
      expect(resolved.fingerprint, String(locator)).toEqual(await captureFingerprint(locator));
    }
    const list = await captureResolved(page.getByTestId('row'));
    expect(list).toMatchObject({ resolvedBy: 'page', count: 3 });
    expect(list.set?.members.map((m) => m.text)).toEqual(['Lamp', 'Mug', 'Sleeve']);
    expect(await captureResolved(page.locator('#gone'))).toEqual({ count: 0, resolvedBy: 'page' });
    expect(await captureResolved(page.locator('li').nth(5))).toEqual({ count: 0, resolvedBy: 'page' });
  });

  it("leaves to Playwright what the page cannot find as Playwright does: shadow roots, its own CSS, other engines", async () => {
    await installed(`${LIST}<div id="host"></div>`);
    await page.evaluate(() => {
      const root = document.getElementById('host')!.attachShadow({ mode: 'open' });
      root.innerHTML = '<li class="item">Shadow row</li>';
    });
    // Playwright's CSS pierces the open shadow root: the page's own query would miss one row.
    const pierced = await captureResolved(page.locator('li.item'));
    expect(pierced).toMatchObject({ resolvedBy: 'playwright', count: 4 });
    expect(pierced.set?.members.map((m) => m.text)).toContain('Shadow row');
    const nth = await captureResolved(page.locator('li.item').nth(3));
    expect(nth).toMatchObject({ resolvedBy: 'playwright', count: 1, fingerprint: { text: 'Shadow row' } });
    expect(await captureResolved(page.locator('li:has-text("Mug")'))).toMatchObject({ resolvedBy: 'playwright', count: 1, fingerprint: { text: 'Mug' } });
    expect(await captureResolved(page.getByRole('button', { name: 'Save' }))).toMatchObject({ resolvedBy: 'playwright', count: 1 });
  });

  it('compares test ids exactly as Playwright does, and leaves negations to it', async () => {
    await installed(`<div data-testid="a41" id="t41">x</div><div data-testid="aA" id="tA">y</div><input id="light" type="submit">
      <ul><li id="l1">first <x-card></x-card></li><li id="l2">second</li></ul>`);
    await page.evaluate(() => {
      const root = document.querySelector('x-card')!.attachShadow({ mode: 'open' });
      root.innerHTML = '<li id="s1">shadow <a href="#">link</a></li>';
    });
    // Playwright reads `\41` as "41"; CSS would read "A" and pick the other element.
    expect(await captureResolved(page.locator('internal:testid=[data-testid="a\\41"s]'))).toMatchObject({ resolvedBy: 'page', count: 1, fingerprint: { id: 't41' } });
    // HTML matches `type` case-insensitively in CSS; Playwright's test id does not.
    expect(await captureResolved(page.locator('internal:testid=[type="Submit"s]'))).toEqual({ count: 0, resolvedBy: 'page' });
    // Playwright's :has looks into the shadow root: its first match is l2, where the page's own query would say l1.
    expect(await captureResolved(page.locator('li:not(:has(a))').first())).toMatchObject({ resolvedBy: 'playwright', fingerprint: { id: 'l2' } });
  });

  it('resolves in the frame a locator belongs to', async () => {
    await installCapture(page.context());
    await page.goto('about:blank');
    await page.setContent(`<h1>Top</h1><iframe srcdoc="<p id='inner'>Inside</p>"></iframe>`);
    const frame = page.frames()[1]!;
    await frame.waitForSelector('#inner');
    expect(await captureResolved(frame.locator('#inner'))).toMatchObject({ resolvedBy: 'page', count: 1, fingerprint: { text: 'Inside' } });
    expect(await captureResolved(page.frameLocator('iframe').locator('#inner'))).toMatchObject({ resolvedBy: 'playwright', count: 1 });
  });

  it('asks Playwright on pages without the installed function', async () => {
    await page.setContent(LIST);
    expect(await captureResolved(page.locator('#note'))).toMatchObject({ resolvedBy: 'playwright', count: 1, fingerprint: { id: 'note' } });
  });
});
