const BRAND = Symbol.for('playwright-medic.error');

/** Base of every error playwright-medic throws on purpose. `fix` says what to change. */
export class MedicError extends Error {
  declare readonly [BRAND]: true;
  declare readonly code: string;
  declare readonly fix: string | undefined;

  constructor(code: string, message: string, options: { fix?: string; cause?: unknown } = {}) {
    super(options.fix ? `${message}\nFix: ${options.fix}` : message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = 'MedicError';
    // Not enumerable: printed errors (Playwright prints what a config throws) show the message only.
    Object.defineProperties(this, {
      [BRAND]: { value: true },
      code: { value: code },
      fix: { value: options.fix },
    });
  }
}

/** The configuration (options or MEDIC_* variables) is invalid. */
export class MedicConfigError extends MedicError {
  constructor(message: string, options: { fix?: string; cause?: unknown } = {}) {
    super('MEDIC_CONFIG', message, options);
    this.name = 'MedicConfigError';
  }
}

/** The knowledge store cannot be opened, read or written. */
export class MedicStoreError extends MedicError {
  constructor(message: string, options: { fix?: string; cause?: unknown } = {}) {
    super('MEDIC_STORE', message, options);
    this.name = 'MedicStoreError';
  }
}

/** The store's server cannot be reached (down, network, timeouts): a write may be spooled and retried later. */
export class MedicStoreUnavailableError extends MedicStoreError {
  declare readonly unavailable: true;
  constructor(message: string, options: { fix?: string; cause?: unknown } = {}) {
    super(message, options);
    this.name = 'MedicStoreUnavailableError';
    Object.defineProperty(this, 'unavailable', { value: true });
  }
}

/** True when the store could not be reached (as opposed to refusing a record or a query). */
export function isStoreUnavailable(value: unknown): boolean {
  return isMedicStoreError(value) && (value as { unavailable?: boolean }).unavailable === true;
}

/** A knowledge pack (`medic export` / `medic import`) cannot be read, or is refused before anything is written. */
export class MedicPackError extends MedicError {
  constructor(message: string, options: { fix?: string; cause?: unknown } = {}) {
    super('MEDIC_PACK', message, options);
    this.name = 'MedicPackError';
  }
}

/** `medic apply` cannot run, or refuses to rewrite a source file (a missing `typescript`, a spec not found). */
export class MedicApplyError extends MedicError {
  constructor(message: string, options: { fix?: string; cause?: unknown } = {}) {
    super('MEDIC_APPLY', message, options);
    this.name = 'MedicApplyError';
  }
}

/** No usable browser was found or could be installed. */
export class MedicBrowserError extends MedicError {
  constructor(message: string, options: { fix?: string; cause?: unknown } = {}) {
    super('MEDIC_BROWSER', message, options);
    this.name = 'MedicBrowserError';
  }
}

/** True for any MedicError, even one thrown by another loaded copy of this package. */
export function isMedicError(value: unknown): value is MedicError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

export function isMedicStoreError(value: unknown): value is MedicStoreError {
  return isMedicError(value) && value.code === 'MEDIC_STORE';
}

export function isMedicConfigError(value: unknown): value is MedicConfigError {
  return isMedicError(value) && value.code === 'MEDIC_CONFIG';
}

export function isMedicPackError(value: unknown): value is MedicPackError {
  return isMedicError(value) && value.code === 'MEDIC_PACK';
}

export function isMedicApplyError(value: unknown): value is MedicApplyError {
  return isMedicError(value) && value.code === 'MEDIC_APPLY';
}

/** The message of any thrown value, for logs. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
