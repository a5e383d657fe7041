import { describe, expect, it } from 'vitest';
import type { HealEvent } from '../learning/heals.js';
import { makeHeal } from '../store/contract.learning.testkit.js';
import { makeAttempt } from '../store/contract.testkit.js';
import type { AttemptRecord } from '../store/records.js';
import { TS } from './apply.testkit.js';
import { planApply, type ApplyInput } from './plan.js';
import { sha256 } from './sources.js';

const checkoutPage = `import type { Page } from '@playwright/test';
export class CheckoutPage {
  constructor(private readonly page: Page) {}
  get email() {
    return this.page.getByLabel('Email');
  }
  readonly total = this.page.locator('.summary #total');
}
`;
const signInPage = `import type { Page } from '@playwright/test';
export class SignInPage {
  constructor(private readonly page: Page) {}
  get email() {
    return this.page.getByLabel('Email');
  }
}
`;
const checkoutSpec = `import { test, expect } from '@playwright/test';
import { CheckoutPage } from './pages/CheckoutPage';
import { SignInPage } from './pages/SignInPage';

test('checks out', async ({ page }) => {
  const checkout = new CheckoutPage(page);
  await new SignInPage(page).email.fill('a@b.c');
  await checkout.email.fill('a@b.c');
  await expect(checkout.total).toHaveText('$5');
  await expect(page.getByText('Thanks')).toBeVisible();
});
`;
const signInSpec = `import { test } from '@playwright/test';
import { SignInPage } from './pages/SignInPage';

test('signs in', async ({ page }) => {
  await new SignInPage(page).email.fill('a@b.c');
});
`;
const FILES: Record<string, string> = { 'checkout.spec.ts': checkoutSpec, 'signin.spec.ts': signInSpec, 'pages/CheckoutPage.ts': checkoutPage, 'pages/SignInPage.ts': signInPage };
const IMPORTS: Record<string, string[]> = { 'checkout.spec.ts': ['pages/CheckoutPage.ts', 'pages/SignInPage.ts'], 'signin.spec.ts': ['pages/SignInPage.ts'] };
const hashes = (files: Record<string, string>, spec: string) => Object.fromEntries([spec, ...IMPORTS[spec]!].map((f) => [f, sha256(files[f]!)]));

const ref = (code: string) => ({ selector: `sel:${code.replace(/^page\./, '')}`, code });
const heal = (from: string, to: string, overrides: Partial<HealEvent> = {}): HealEvent =>
  makeHeal({ id: `${from}#${to}`, testId: 'checkout', testKey: 'chromium › checkout.spec.ts › checks out', from: ref(from), to: ref(to), sources: hashes(FILES, 'checkout.spec.ts'), ...overrides });
const checkoutAttempt = makeAttempt({ testId: 'checkout', file: 'checkout.spec.ts', locators: ["page.getByLabel('Email')", "page.locator('.summary #total')"] });
const signInAttempt = makeAttempt({ testId: 'signin', file: 'signin.spec.ts', title: 'signs in', locators: ["page.getByLabel('Email')"] });

function plan(heals: HealEvent[], options: { files?: Record<string, string>; attempts?: AttemptRecord[]; force?: boolean; runHeals?: HealEvent[] } = {}) {
  const files = options.files ?? FILES;
  const input: ApplyInput = {
    heals,
    runHeals: options.runHeals ?? heals,
    attempts: options.attempts ?? [checkoutAttempt, signInAttempt],
    rootDir: '/project',
    read: (path) => files[path],
    importsOf: (spec) => IMPORTS[spec] ?? [],
    force: options.force ?? false,
  };
  return planApply(TS, input);
}

describe('planApply', () => {
  it('rewrites the locator where the page object writes it, leaving the one that still works elsewhere', () => {
    const result = plan([heal("getByLabel('Email')", "page.getByRole('textbox', { name: 'Email' })")]);
    expect(result.changes).toEqual([
      {
        from: "getByLabel('Email')",
        to: "getByRole('textbox', { name: 'Email' })",
        heals: 1,
        review: 'pending',
        status: 'applied',
        places: ['pages/CheckoutPage.ts:5'],
        reasons: [],
        notes: ['left at pages/SignInPage.ts:5: "signs in" (signin.spec.ts) used the same locator there unchanged in the same run'],
      },
    ]);
    expect(result.files.map((f) => [f.path, f.after])).toEqual([['pages/CheckoutPage.ts', checkoutPage.replace("getByLabel('Email')", "getByRole('textbox', { name: 'Email' })")]]);
    expect(result.files[0]!.diff).toContain("-    return this.page.getByLabel('Email');\n+    return this.page.getByRole('textbox', { name: 'Email' });\n");
  });

  it('rewrites every use it cannot clear: without the second spec, both page objects change', () => {
    const result = plan([heal("getByLabel('Email')", "getByRole('textbox', { name: 'Email' })", { review: 'accepted' })], { attempts: [checkoutAttempt] });
    expect(result.changes[0]).toMatchObject({ status: 'applied', review: 'accepted', places: ['pages/CheckoutPage.ts:5', 'pages/SignInPage.ts:5'] });
  });

  it('refuses a file changed since the heal was recorded, and heals recorded without hashes, unless forced', () => {
    const changed = { ...FILES, 'pages/CheckoutPage.ts': checkoutPage.replace('get email', 'get mail') + '// edited\n' };
    const edited = plan([heal("locator('.summary #total')", "locator('#total')")], { files: changed });
    expect(edited.files).toEqual([]);
    expect(edited.changes[0]).toMatchObject({ status: 'skipped', reasons: [expect.stringMatching(/^pages\/CheckoutPage\.ts changed since the heal was recorded \(.*\): run the tests again .* or pass --force$/)] });
    expect(plan([heal("locator('.summary #total')", "locator('#total')")], { files: changed, force: true }).changes[0]!.status).toBe('applied');

    const old = plan([heal("locator('.summary #total')", "locator('#total')", { sources: undefined })]);
    expect(old.changes[0]).toMatchObject({ status: 'skipped', reasons: [expect.stringMatching(/recorded before heals kept the hashes .*--force/)] });
    expect(plan([heal("locator('.summary #total')", "locator('#total')", { sources: undefined })], { force: true }).files).toHaveLength(1);
  });

  it('takes the newest heal of a locator, and skips where heals of one run disagree', () => {
    const older = heal("locator('.summary #total')", "locator('#sum')", { runId: 'run-0', at: '2026-11-20T10:00:00.000Z' });
    const newer = heal("locator('.summary #total')", "locator('#total')");
    const result = plan([newer, older], { attempts: [checkoutAttempt, { ...checkoutAttempt, runId: 'run-0' }] });
    expect(result.changes.find((c) => c.to === "locator('#total')")).toMatchObject({ status: 'applied' });
    expect(result.changes.find((c) => c.to === "locator('#sum')")).toMatchObject({ status: 'skipped', reasons: [], notes: [expect.stringMatching(/superseded at .* by a newer heal to locator\('#total'\)/)] });

    const rival = heal("locator('.summary #total')", "getByTestId('total')", { id: 'other', at: '2026-11-24T10:00:09.000Z' });
    const split = plan([newer, rival]);
    expect(split.files).toEqual([]);
    expect(split.changes.map((c) => c.status)).toEqual(['skipped', 'skipped']);
    expect(split.changes[0]!.reasons[0]).toMatch(/heals of the same run disagree on pages\/CheckoutPage\.ts:7: (getByTestId\('total'\) or locator\('#total'\)|locator\('#total'\) or getByTestId\('total'\))/);
  });

  it('does not apply two changes that edit the same code differently', () => {
    const spec = checkoutSpec.replace("await expect(checkout.total).toHaveText('$5');", "await expect(checkout.total).toHaveText('$5');\n  await expect(checkout.total.first()).toBeVisible();");
    const files = { ...FILES, 'checkout.spec.ts': spec };
    const heals = [
      heal("locator('.summary #total')", "locator('#total')", { sources: hashes(files, 'checkout.spec.ts') }),
      heal("locator('.summary #total').first()", "locator('#sum').first()", { id: 'x', sources: hashes(files, 'checkout.spec.ts') }),
    ];
    const result = plan(heals, { files });
    expect(result.files).toEqual([]);
    expect(result.changes.map((c) => c.reasons[0])).toEqual([
      expect.stringMatching(/^not rewritten at .*: another change edits the same code differently \(locator\('\.summary #total'\)\.first\(\) → locator\('#sum'\)\.first\(\)\)$/),
      expect.stringMatching(/another change edits the same code differently \(locator\('\.summary #total'\) → locator\('#total'\)\)$/),
    ]);
  });

  it('says when a change is already in the code, when the locator is not found, and when the spec is elsewhere', () => {
    const applied = { ...FILES, 'pages/CheckoutPage.ts': checkoutPage.replace("'.summary #total'", "'#total'") };
    const again = plan([heal("locator('.summary #total')", "locator('#total')", { sources: hashes(applied, 'checkout.spec.ts') })], { files: applied });
    expect(again.changes[0]).toMatchObject({ status: 'already applied', reasons: [] });

    const missing = plan([heal("getByText('Gone')", "getByText('Here')")]);
    expect(missing.changes[0]).toMatchObject({ status: 'skipped', reasons: ["could not find getByText('Gone') in checkout.spec.ts, pages/CheckoutPage.ts, pages/SignInPage.ts"] });

    const elsewhere = plan([heal("getByText('Thanks')", "getByText('Thank you')")], { attempts: [{ ...checkoutAttempt, file: 'e2e/checkout.spec.ts' }] });
    expect(elsewhere.changes[0]!.reasons).toEqual(["e2e/checkout.spec.ts is not in /project (pass --root-dir <the Playwright config's rootDir, its testDir when set>)"]);
  });
});
