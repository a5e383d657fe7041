import type { z } from 'zod';
import { MedicConfigError } from '../errors.js';
import { applyEnvOverrides, envNameFor } from './env.js';
import { medicConfigSchema, type MedicConfig, type MedicOptions } from './schema.js';

/**
 * Validates playwright-medic's options, applies MEDIC_* environment overrides and fills in
 * defaults. Pass the result to the reporter and to `use: { medic }`.
 * Throws a MedicConfigError naming each bad option, its value and the fix.
 * @example const medic = defineMedicConfig({ healing: { threshold: 0.9 } });
 */
export function defineMedicConfig(options: MedicOptions = {}, env: NodeJS.ProcessEnv = process.env): MedicConfig {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new MedicConfigError(`playwright-medic options must be an object, got ${describe(options)}.`, {
      fix: 'Call defineMedicConfig({ ... }) with an object, or with nothing for the defaults.',
    });
  }
  const input = applyEnvOverrides(options, env);
  const parsed = medicConfigSchema.safeParse(input);
  if (!parsed.success) throw new MedicConfigError(formatIssues(parsed.error.issues, input, env));
  return parsed.data;
}

/** Same as defineMedicConfig; accepts what the reporter or fixture was given (possibly undefined). */
export function resolveMedicConfig(options: unknown, env: NodeJS.ProcessEnv = process.env): MedicConfig {
  return defineMedicConfig((options ?? {}) as MedicOptions, env);
}

function formatIssues(issues: z.core.$ZodIssue[], input: unknown, env: NodeJS.ProcessEnv): string {
  const lines = [`Invalid playwright-medic configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):`];
  for (const issue of issues) {
    const path = issue.path;
    const where = path.length ? path.join('.') : '(options)';
    const envName = envNameFor(path);
    const fromEnv = envName !== undefined && env[envName] !== undefined && env[envName] !== '';
    const value = issue.code === 'unrecognized_keys' ? undefined : valueAt(input, path);
    lines.push(`  ✖ ${where}: ${issue.message}${value === undefined ? '' : ` (got ${describe(value)})`}`);
    if (issue.code === 'unrecognized_keys') {
      lines.push(`    → Remove or rename ${issue.keys.map((key) => `"${key}"`).join(', ')}; see the configuration reference in the README.`);
    } else if (fromEnv) {
      lines.push(`    → The value comes from the environment: fix or unset ${envName}.`);
    } else {
      lines.push(`    → Fix "${where}" in defineMedicConfig({...})${envName ? ` or set ${envName}` : ''}; see the README's configuration reference.`);
    }
  }
  return lines.join('\n');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}
