import { z } from 'zod';
import type { FailurePattern } from '../learning/failurePatterns.js';
import type { ChatMessage } from './client.js';
import { maskSecrets } from './secrets.js';
import { parseAnswer } from './strictJson.js';

export { maskSecrets } from './secrets.js';

// A root-cause hypothesis for a failure pattern: the prompt and the strict reading of the answer.

const cap = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The model's answer: what probably broke, and what to change. */
export const summaryAnswerSchema = z
  .object({ hypothesis: z.string().trim().min(1).max(600), suggestedFix: z.string().trim().min(1).max(600) })
  .strict();
export type SummaryAnswer = z.infer<typeof summaryAnswerSchema>;

/**
 * `summaryAnswerSchema` as the JSON schema of the request's response format (strict mode).
 * @example client.chat({ model, messages: summaryMessages(pattern), schema: SUMMARY_SCHEMA, maxTokens: 400 })
 */
export const SUMMARY_SCHEMA = {
  name: 'failure_summary',
  schema: {
    type: 'object',
    properties: { hypothesis: { type: 'string' }, suggestedFix: { type: 'string' } },
    required: ['hypothesis', 'suggestedFix'],
    additionalProperties: false,
  },
} as const satisfies { name: string; schema: Record<string, unknown> };

const SYSTEM = [
  'You analyse a group of automated browser-test failures (Playwright) that share one root cause.',
  'Answer only with a JSON object {"hypothesis": string, "suggestedFix": string}:',
  'hypothesis: the most likely root cause, in one or two sentences;',
  'suggestedFix: one concrete change to the test or the application.',
  'Base both on the evidence shown; when it is thin, say so rather than invent details.',
].join('\n');

export type SummaryInput = Pick<FailurePattern, 'category' | 'signatures' | 'examples' | 'tests' | 'count'> & { knownFixes?: string[] };

/**
 * The request for one pattern's summary: its category, first signature, count, up to five
 * tests, up to three examples (secrets masked, each cut shorter until the prompt fits
 * `maxChars`, the last dropped when even that is not enough) and the fixes known to work.
 * @example client.chat({ model, messages: summaryMessages(pattern), schema: SUMMARY_SCHEMA, maxTokens: 400 })
 */
export function summaryMessages(pattern: SummaryInput, maxChars = 6000): ChatMessage[] {
  const tests = pattern.tests.slice(0, 5).map((t) => `- ${cap(maskSecrets(t), 160)}`);
  if (pattern.tests.length > 5) tests.push(`- and ${pattern.tests.length - 5} more`);
  const fixes = (pattern.knownFixes ?? []).slice(0, 5).map((f) => `- ${cap(maskSecrets(f), 200)}`);
  const head = [
    `Category: ${pattern.category}`,
    `Occurrences: ${pattern.count}`,
    `Signature: ${cap(maskSecrets(pattern.signatures[0] ?? ''), 300)}`,
    `Tests (${pattern.tests.length}):`,
    ...tests,
    ...(fixes.length ? ['Fixes that turned some of these failures into passes:', ...fixes] : []),
  ];
  const examples = pattern.examples.slice(0, 3).map(maskSecrets);
  const tail = ['', 'What is the most likely root cause, and what should change?'];
  const render = (count: number, each: number) =>
    [...head, ...(count ? ['Example failures:'] : []), ...examples.slice(0, count).map((e, i) => `--- ${i + 1}\n${cap(e, each)}`), ...tail].join('\n');
  let count = examples.length;
  let user = render(count, 1500);
  while (count > 0 && SYSTEM.length + user.length > maxChars) {
    const room = Math.floor((maxChars - SYSTEM.length - render(0, 0).length) / count) - 30;
    if (room >= 200) user = render(count, Math.min(1500, room));
    if (room < 200 || SYSTEM.length + user.length > maxChars) user = render(--count, 1500);
  }
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: user },
  ];
}

/**
 * The model's answer read strictly: one JSON object matching `summaryAnswerSchema`. Never throws.
 * @example parseSummaryAnswer('{"hypothesis": "The cart badge moved.", "suggestedFix": "Use getByTestId."}').ok // true
 */
export function parseSummaryAnswer(text: string): ({ ok: true } & SummaryAnswer) | { ok: false; error: string } {
  const parsed = parseAnswer(text, summaryAnswerSchema);
  return parsed.ok ? { ok: true, ...parsed.value } : parsed;
}
