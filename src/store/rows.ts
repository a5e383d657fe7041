import { MedicStoreError } from '../errors.js';

/** What a zod schema offers that `parseRow` needs. */
export type RowSchema<T> = { safeParse(value: unknown): { success: true; data: T } | { success: false; error: Error } };

/**
 * A stored record read back: JSON, then validated with its schema (old rows outlive code).
 * Throws MedicStoreError saying which table of which store holds the bad row.
 * @example const run = parseRow(runRecordSchema, row.data, 'runs', store.location);
 */
export function parseRow<T>(
  schema: RowSchema<T>,
  data: string,
  table: string,
  location: string,
  corruptFix = 'The file was changed outside playwright-medic; move it aside to start a new store.',
): T {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (error) {
    throw new MedicStoreError(`A row of ${table} in ${location} is not valid JSON.`, { fix: corruptFix, cause: error });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new MedicStoreError(`A row of ${table} in ${location} does not match its schema: ${parsed.error.message}`, {
      fix: 'It was probably written by another version of playwright-medic: use the same version everywhere the store is shared.',
    });
  }
  return parsed.data;
}
