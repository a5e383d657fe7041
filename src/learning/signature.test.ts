import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { failureSignature, normalizeErrorMessage, signatureBasis } from './signature.js';

// Real errors from real failing runs: scripts/capture-errors.mjs runs test/error-capture twice.
const capturedErrorSchema = z.object({ id: z.string(), expected: z.string(), message: z.string(), stack: z.string() });
type CapturedError = z.infer<typeof capturedErrorSchema>;

function load(name: string): Map<string, CapturedError> {
  const text = readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');
  return new Map(z.array(capturedErrorSchema).parse(JSON.parse(text)).map((error) => [error.id, error]));
}

const run1 = load('playwright-errors.json');
const run2 = load('playwright-errors.run2.json');

/**
 * Captured errors that are the same failure and must share a signature. Every other pair of
 * captured errors is a different failure (another call, locator, URL, text, or kind) and must not.
 */
const SAME_FAILURE: string[][] = [
  // The bare test timeout says nothing else (the 2s and 5s timeouts are masked alike).
  [
    'timeout.spec.ts::timeout: waitForTimeout beyond the test timeout#0',
    'timeout.spec.ts::timeout: a promise that never resolves#0',
    'selector.spec.ts::selector_missing: click without an action timeout runs into the test timeout#0',
  ],
  // A promise rejected before it was awaited is reported twice, as the test error and as an unhandled rejection.
  ['navigation.spec.ts::navigation: frame detached while waiting#0', 'navigation.spec.ts::navigation: frame detached while waiting#1'],
  [
    'crash.spec.ts::page_crash: renderer crashes while waiting for a selector#0',
    'crash.spec.ts::page_crash: renderer crashes while waiting for a selector#1',
  ],
];

describe('failureSignature on captured Playwright errors', () => {
  it('captured the same tests in both runs', () => {
    expect([...run2.keys()].sort()).toEqual([...run1.keys()].sort());
    expect(run1.size).toBeGreaterThan(40);
  });

  it('gives each error the same signature in run 1 and run 2', () => {
    const differing = [...run1.values()]
      .filter((error) => run2.has(error.id))
      .filter((error) => failureSignature(error) !== failureSignature(run2.get(error.id)!))
      .map((error) => ({ id: error.id, run1: signatureBasis(error), run2: signatureBasis(run2.get(error.id)!) }));
    expect(differing).toEqual([]);
  });

  it('really masks something: many messages differ between the runs, their signatures do not', () => {
    const varying = [...run1.values()].filter((error) => run2.get(error.id)?.message !== error.message);
    expect(varying.length).toBeGreaterThanOrEqual(10);
    for (const error of varying) expect(failureSignature(error), error.id).toBe(failureSignature(run2.get(error.id)!));
  });

  it('groups the same failures together and keeps every other failure apart', () => {
    const bySignature = new Map<string, string[]>();
    for (const error of run1.values()) {
      const signature = failureSignature(error);
      bySignature.set(signature, [...(bySignature.get(signature) ?? []), error.id]);
    }
    const groups = [...bySignature.values()].map((ids) => ids.sort()).filter((ids) => ids.length > 1);
    expect(groups.sort()).toEqual(SAME_FAILURE.map((ids) => [...ids].sort()).sort());
    const kinds = run1.size - SAME_FAILURE.reduce((sum, ids) => sum + ids.length - 1, 0);
    expect(bySignature.size).toBe(kinds);
  });

  it('gives designed differences different signatures', () => {
    const sig = (id: string) => {
      const error = run1.get(id);
      expect(error, id).toBeDefined();
      return failureSignature(error!);
    };
    // A different selector, the same action and message shape.
    expect(sig('selector.spec.ts::selector_missing: click on missing css#0')).not.toBe(sig('selector.spec.ts::selector_missing: click on missing getByText#0'));
    expect(sig('selector.spec.ts::selector_missing: click on missing getByText#0')).not.toBe(sig('selector.spec.ts::selector_missing: click on missing xpath#0'));
    // A different expected text, the same matcher.
    expect(sig('assertion.spec.ts::assertion: soft assertions#0')).not.toBe(
      sig('assertion.spec.ts::assertion: toHaveText different text on an existing element#0'),
    );
    // A different URL path, the same network error.
    expect(sig('network.spec.ts::network: goto a closed port#0')).not.toBe(sig('network.spec.ts::network: route.abort connectionrefused on goto#0'));
    // A locator that never resolved versus one that resolved to a disabled element.
    expect(sig('selector.spec.ts::selector_missing: click on missing css#0')).not.toBe(sig('timeout.spec.ts::timeout: click on a disabled button#0'));
  });

  it('keeps the locator each captured call waited for', () => {
    for (const error of run1.values()) {
      const waited = /^\s*- (waiting for (?:locator|getBy\w+)\(.*)$/m.exec(error.message)?.[1];
      if (waited) expect(signatureBasis(error), error.id).toContain(normalizeErrorMessage(waited));
    }
  });

  it('leaves no absolute path or line number in what it hashes', () => {
    for (const error of run1.values()) {
      const basis = signatureBasis(error);
      expect(basis, error.id).not.toMatch(/\/work\/|\/home\/|\/tmp\//);
      expect(basis, error.id).not.toMatch(/\.ts:\d+/);
    }
  });
});

describe('normalizeErrorMessage', () => {
  it('strips ANSI codes and masks durations and numbers', () => {
    expect(normalizeErrorMessage('\u001b[31mTimeoutError\u001b[39m: locator.click: Timeout \u001b[33m1000\u001b[39mms exceeded.')).toBe(
      'TimeoutError: locator.click: Timeout <n>ms exceeded.',
    );
    expect(normalizeErrorMessage('Received: "Order #96357 pending" after 2.5s')).toBe('Received: "Order #<n> pending" after <n>s');
  });

  it('keeps digits that belong to a word', () => {
    expect(normalizeErrorMessage("locator('h1') and getByTestId('item2') on x64")).toBe("locator('h1') and getByTestId('item2') on x64");
  });

  it('keeps scheme and host of URLs and masks port, ids in the path, query values and fragment', () => {
    expect(normalizeErrorMessage('net::ERR_CONNECTION_REFUSED at http://127.0.0.1:41569/orders/8812/edit?session=ab12&tab=2#row-7')).toBe(
      'net::ERR_CONNECTION_REFUSED at http://127.0.0.1:<port>/orders/<n>/edit?session=<v>&tab=<v>#<v>',
    );
    expect(normalizeErrorMessage('at https://Shop.Example.test/p/3f9a2c71-1b2c-4d5e-8f90-a1b2c3d4e5f6')).toBe('at https://shop.example.test/p/<uuid>');
    expect(normalizeErrorMessage('navigating to "http://nothing.invalid/"')).toBe('navigating to "http://nothing.invalid/"');
  });

  it('masks ports after a bare host', () => {
    expect(normalizeErrorMessage('connect ECONNREFUSED 127.0.0.1:34079')).toBe('connect ECONNREFUSED 127.0.0.1:<port>');
    expect(normalizeErrorMessage('connect ECONNREFUSED localhost:8080')).toBe('connect ECONNREFUSED localhost:<port>');
  });

  it('masks uuids, hex and generated ids, quoted or not', () => {
    expect(normalizeErrorMessage("getByTestId('cart-item-4b92bf8c')")).toBe("getByTestId('cart-item-<id>')");
    expect(normalizeErrorMessage("getByTestId('cart-item-12345678')")).toBe("getByTestId('cart-item-<id>')");
    expect(normalizeErrorMessage('id "V1StGXR8_Z5jdHi6B" at 0x7ffd5e8c')).toBe('id "<id>" at <hex>');
    expect(normalizeErrorMessage("token 'k3j4h5lq' for 550e8400-e29b-41d4-a716-446655440000")).toBe("token '<id>' for <uuid>");
  });

  it('reduces file paths to the file name and masks line and column', () => {
    expect(normalizeErrorMessage('at /home/ci/work/app/tests/cart.spec.ts:12:5')).toBe('at cart.spec.ts:<n>:<n>');
    expect(normalizeErrorMessage('at C:\\Users\\dev\\app\\tests\\cart.spec.ts:12:5')).toBe('at cart.spec.ts:<n>:<n>');
  });

  it('masks temp dirs', () => {
    expect(normalizeErrorMessage('ENOENT: no such file, open /tmp/playwright-artifacts-Ab12Cd/trace.zip')).toBe('ENOENT: no such file, open <tmp>');
    expect(normalizeErrorMessage("open '/var/folders/xy/k2j3/T/medic-x/a.json'")).toBe("open '<tmp>'");
  });
});

describe('failureSignature', () => {
  const click = (selector: string, ms = 1000, port = 4173) => ({
    message: `TimeoutError: locator.click: Timeout ${ms}ms exceeded.\nCall log:\n  - waiting for locator('${selector}')\n    - navigating to "http://127.0.0.1:${port}/"`,
    stack: `TimeoutError: locator.click: Timeout ${ms}ms exceeded.\n    at ClickHelper.run (/home/ci/repo/node_modules/playwright-core/lib/client/locator.js:1:2)\n    at /home/ci/repo/tests/cart.spec.ts:12:5`,
  });

  it('is a short hex hash', () => {
    expect(failureSignature(click('#buy'))).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is the same across timeouts, ports and checkouts', () => {
    const other = click('#buy', 5000, 51234);
    other.stack = other.stack.replaceAll('/home/ci/repo', 'D:/agent/_work/7/s').replace(':12:5', ':40:9');
    expect(failureSignature(other)).toBe(failureSignature(click('#buy')));
  });

  it('differs for a different selector, category, expected text or user file', () => {
    expect(failureSignature(click('#pay'))).not.toBe(failureSignature(click('#buy')));
    const testId = (id: string) => ({
      message: `TimeoutError: locator.click: Timeout 1000ms exceeded.\nCall log:\n  - waiting for getByTestId('${id}')\n`,
    });
    expect(failureSignature(testId('cart'))).not.toBe(failureSignature(testId('checkout')));
    expect(failureSignature(testId('cart-3f9a2c71'))).toBe(failureSignature(testId('cart-8e01b7d4')));
    expect(failureSignature(click('#buy'), 'timeout')).not.toBe(failureSignature(click('#buy')));
    const text = (expected: string) => ({ message: `Error: expect(locator).toHaveText(expected) failed\n\nExpected: "${expected}"\nReceived: "Cart"` });
    expect(failureSignature(text('Basket'))).not.toBe(failureSignature(text('Checkout')));
    const moved = click('#buy');
    moved.stack = moved.stack.replace('cart.spec.ts', 'checkout.spec.ts');
    expect(failureSignature(moved)).not.toBe(failureSignature(click('#buy')));
  });

  it('ignores how often Playwright retried', () => {
    const log = (times: number) => ({
      message: `Error: expect(locator).toHaveText(expected) failed\n\nExpected: "Basket"\nReceived: "Cart"\n\nCall log:\n  - waiting for locator('h2')\n    ${times} × locator resolved to <h2>Cart</h2>\n       - unexpected value "Cart"\n  - retrying click action, attempt #${times}`,
    });
    expect(failureSignature(log(3))).toBe(failureSignature(log(11)));
  });

  it('uses the category it is given, or computes it', () => {
    const error = { message: 'Test timeout of 5000ms exceeded.' };
    expect(failureSignature(error)).toBe(failureSignature(error, 'timeout'));
  });
});
