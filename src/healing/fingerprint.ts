import { z } from 'zod';

/** Bump when a field changes meaning; stored fingerprints of older versions are still read. */
export const FINGERPRINT_VERSION = 1;

const box = z.object({ x: z.number(), y: z.number(), width: z.number().min(0), height: z.number().min(0) });

/** One level of the ancestor path, nearest parent first. */
const ancestor = z.object({ tag: z.string(), id: z.string().optional(), classes: z.array(z.string()).optional() });

/**
 * What an element looked like when its locator last worked (DESIGN.md, healing step 1).
 * Every field is optional: captures from real pages, old records and benchmark data carry
 * different subsets, and the ranker must work with whatever is present.
 */
export const fingerprintSchema = z.object({
  version: z.number().int().positive().optional(),
  /** Lower-case tag name: `button`, `a`, `input`. */
  tag: z.string().optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  classes: z.array(z.string()).optional(),
  /** The element's own text (its direct text nodes), whitespace collapsed. */
  text: z.string().optional(),
  /** What a user sees inside it (innerText), whitespace collapsed, capped. */
  visibleText: z.string().optional(),
  /** Explicit or implicit ARIA role. */
  role: z.string().optional(),
  accessibleName: z.string().optional(),
  /** Text of the associated <label> (for, wrapping, aria-labelledby). */
  label: z.string().optional(),
  placeholder: z.string().optional(),
  title: z.string().optional(),
  alt: z.string().optional(),
  type: z.string().optional(),
  value: z.string().optional(),
  href: z.string().optional(),
  src: z.string().optional(),
  /** data-testid, data-test, data-test-id, data-qa, data-cy … → value. */
  testIds: z.record(z.string(), z.string()).optional(),
  /** Absolute XPath: `/html[1]/body[1]/div[2]/a[1]`. */
  xpath: z.string().optional(),
  /** XPath relative to the nearest ancestor with an id: `//*[@id='nav']/li[2]/a[1]`. */
  idXpath: z.string().optional(),
  ancestors: z.array(ancestor).optional(),
  /** Bounding box in CSS pixels, relative to the top-level page. */
  box: box.optional(),
  /** A button, a submit/button/reset input, or role=button. */
  isButton: z.boolean().optional(),
  /** Texts of the nearest elements in each direction, and all of them together. */
  neighbors: z
    .object({ above: z.string(), below: z.string(), left: z.string(), right: z.string(), any: z.string() })
    .partial()
    .optional(),
  /** Frames from the top page down to the element's document: name or src of each iframe. */
  frames: z.array(z.string()).optional(),
  /** Shadow hosts from the document down to the element's shadow root, as CSS-like steps. */
  shadowPath: z.array(z.string()).optional(),
  visible: z.boolean().optional(),
});
export type Fingerprint = z.infer<typeof fingerprintSchema>;

/** A candidate of a changed page: a fingerprint plus how to find the element again. */
export type Candidate = Fingerprint & {
  /** Position in the capture (document order, frames and shadow roots included). */
  index: number;
};
