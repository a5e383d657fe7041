export { defineMedicConfig, resolveMedicConfig } from './define.js';
export { ENV_OVERRIDES } from './env.js';
export { medicConfigSchema, type MedicConfig, type MedicOptions } from './schema.js';
