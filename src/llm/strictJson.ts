import type { z } from 'zod';

/** A parsed model answer, or a short reason why it was refused. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

// One optional ```json fence around the whole answer; anything before or after it is refused.
const FENCE = /^```(?:json)?[ \t]*\r?\n([\s\S]*?)\r?\n?```$/i;

const snippet = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);

/**
 * The one JSON object a model answered: the whole text (surrounding whitespace and one ```json
 * fence tolerated), never a value dug out of prose, so a chatty answer is refused rather than
 * half-read. Never throws.
 * @example parseStrictJson('```json\n{"index": 2}\n```') // { ok: true, value: { index: 2 } }
 */
export function parseStrictJson(text: string): Parsed<Record<string, unknown>> {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, error: 'empty answer' };
  const body = FENCE.exec(trimmed)?.[1]?.trim() ?? trimmed;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, error: `not JSON: ${snippet(body)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: `not a JSON object: ${snippet(body)}` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/**
 * `parseStrictJson` and then `schema`: the answer's value, or its first problem in a few words.
 * @example parseAnswer('{"a": 1}', z.object({ a: z.string() }).strict()) // { ok: false, error: 'a: Invalid input: expected string, received number' }
 */
export function parseAnswer<T>(text: string, schema: z.ZodType<T>): Parsed<T> {
  const json = parseStrictJson(text);
  if (!json.ok) return json;
  const result = schema.safeParse(json.value);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return { ok: false, error: `${where}${issue?.message ?? 'does not match the answer schema'}` };
}
