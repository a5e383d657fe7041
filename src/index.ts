// The engine's public API, re-exported by the package entry (fixtures/index.ts).
export { defineMedicConfig, resolveMedicConfig, ENV_OVERRIDES, medicConfigSchema } from './config/index.js';
export type { MedicConfig, MedicOptions } from './config/index.js';
export { chromiumLaunchOptions, findChromium, SYSTEM_CHROMIUM_ARGS } from './browser/chromium.js';
export { MedicError, MedicConfigError, MedicStoreError, MedicBrowserError, isMedicError } from './errors.js';
