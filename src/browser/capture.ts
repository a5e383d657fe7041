import type { ElementHandle, Locator, Page } from '@playwright/test';
import { z } from 'zod';
import { MedicError } from '../errors.js';
import {
  CANDIDATES_KEY,
  captureCandidatesJson,
  captureElement,
  type CaptureOptions,
} from '../healing/capture.js';
import { fingerprintSchema, type Candidate, type Fingerprint } from '../healing/fingerprint.js';

export type { CaptureOptions } from '../healing/capture.js';

const candidatesSchema = z.array(fingerprintSchema.extend({ index: z.number().int().nonnegative() }));

function invalidCapture(what: string, error: z.ZodError): MedicError {
  return new MedicError('MEDIC_CAPTURE', `The page returned an invalid ${what}:\n${z.prettifyError(error)}`, {
    fix: 'This is a playwright-medic bug: report it with the page that was captured.',
    cause: error,
  });
}

/**
 * The fingerprint of the element a locator resolves to (strict: exactly one element).
 * @example const fp = await captureFingerprint(page.getByRole('button', { name: 'Save' }));
 */
export async function captureFingerprint(locator: Locator, options: CaptureOptions = {}): Promise<Fingerprint> {
  const raw = await locator.evaluate(captureElement, options);
  const parsed = fingerprintSchema.safeParse(raw);
  if (!parsed.success) throw invalidCapture('fingerprint', parsed.error);
  return parsed.data;
}

/**
 * The fingerprints of all candidate elements of a page (frames and open shadow roots
 * included), in document order; `candidateElement(page, candidate.index)` gets one back.
 * @example const candidates = await captureCandidates(page, { includeHidden: false });
 */
export async function captureCandidates(page: Page, options: CaptureOptions = {}): Promise<Candidate[]> {
  const json = await page.evaluate(captureCandidatesJson, options);
  const parsed = candidatesSchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw invalidCapture('candidate list', parsed.error);
  return parsed.data;
}

/**
 * The element of a candidate from the last `captureCandidates(page)`, as a handle that lives
 * in the element's own frame (so it can be passed to that frame's locators).
 * @example const handle = await candidateElement(page, best.index);
 */
export async function candidateElement(page: Page, index: number): Promise<ElementHandle<Element>> {
  const lookup = ([key, i]: [string, number]) => {
    const list = (window.top as unknown as Record<string, Element[] | undefined>)[key];
    return list ? (list[i] ?? null) : undefined;
  };
  const handle = await page.mainFrame().evaluateHandle(lookup, [CANDIDATES_KEY, index] as [string, number]);
  const element = handle.asElement();
  if (!element) {
    const missing = await handle.jsonValue();
    await handle.dispose();
    throw new MedicError(
      'MEDIC_CAPTURE',
      missing === undefined
        ? `No captured candidates in this page (asked for candidate ${index}); the page may have navigated since.`
        : `There is no candidate ${index} in the last capture of this page.`,
      { fix: 'Call captureCandidates(page) again and use an index from its result.' },
    );
  }
  const frame = await element.ownerFrame();
  if (!frame || frame === page.mainFrame()) return element as ElementHandle<Element>;
  // Re-resolve in the owner frame so the handle belongs to that frame's execution context.
  const own = (await frame.evaluateHandle(lookup, [CANDIDATES_KEY, index] as [string, number])).asElement();
  if (!own) return element as ElementHandle<Element>;
  await element.dispose();
  return own as ElementHandle<Element>;
}
