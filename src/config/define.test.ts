import { describe, expect, it } from 'vitest';
import { isMedicConfigError } from '../errors.js';
import { defineMedicConfig } from './define.js';

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(isMedicConfigError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a MedicConfigError');
}

describe('defineMedicConfig', () => {
  it('fills in every default', () => {
    const config = defineMedicConfig({}, {});
    expect(config.store).toEqual({ kind: 'sqlite', path: '.medic/medic.db', busyTimeoutMs: 10_000, keyPrefix: 'medic:', spoolPath: '.medic/spool.db' });
    expect(config.healing).toEqual({ mode: 'heal', failOnHeal: false }); // thresholds: the fitted model's unless set
    expect(config.llm).toBeUndefined();
    expect(config.project).toBe('default');
  });

  it('keeps what the user set and is idempotent', () => {
    const config = defineMedicConfig({ healing: { threshold: 0.9 }, store: { path: 'x.db' } }, {});
    expect(config.healing.threshold).toBe(0.9);
    expect(config.healing.mode).toBe('heal');
    expect(defineMedicConfig(config, {})).toEqual(config);
  });

  it('lets MEDIC_* variables override options', () => {
    const config = defineMedicConfig(
      { store: { path: 'from-options.db' }, healing: { threshold: 0.9 } },
      { MEDIC_STORE_PATH: '/tmp/env.db', MEDIC_HEALING_THRESHOLD: '0.95', MEDIC_QUIET: 'yes', MEDIC_LLM_MODELS: 'a, b' },
    );
    expect(config.store.path).toBe('/tmp/env.db');
    expect(config.healing.threshold).toBe(0.95);
    expect(config.quiet).toBe(true);
    expect(config.llm?.models).toEqual(['a', 'b']);
  });

  it('names the bad option, its value and the fix', () => {
    const message = messageOf(() => defineMedicConfig({ healing: { threshold: 1.5 } }, {}));
    expect(message).toMatch(/healing\.threshold: .*<=1 \(got 1\.5\)/);
    expect(message).toMatch(/Fix "healing\.threshold" in defineMedicConfig\(\{\.\.\.\}\) or set MEDIC_HEALING_THRESHOLD/);
  });

  it('lists every problem at once, unknown keys included', () => {
    const message = messageOf(() =>
      // @ts-expect-error deliberately wrong options
      defineMedicConfig({ stroe: {}, store: { kind: 'postgres' }, report: { summary: 'yes' } }, {}),
    );
    expect(message).toMatch(/3 problems/);
    expect(message).toMatch(/store\.kind: .*"sqlite".*"memory".*\(got "postgres"\)/);
    expect(message).toMatch(/report\.summary: .*boolean.*\(got "yes"\)/);
    expect(message).toMatch(/\(options\): .*"stroe"[\s\S]*Remove or rename "stroe"/);
  });

  it('blames the environment variable when the bad value came from it', () => {
    expect(messageOf(() => defineMedicConfig({}, { MEDIC_STORE_KIND: 'mongo' }))).toMatch(
      /store\.kind: .*\(got "mongo"\)\n.*fix or unset MEDIC_STORE_KIND/,
    );
    expect(messageOf(() => defineMedicConfig({}, { MEDIC_HEALING_THRESHOLD: 'high' }))).toMatch(
      /MEDIC_HEALING_THRESHOLD="high" is not a number\.\nFix: Set MEDIC_HEALING_THRESHOLD to a number/,
    );
  });

  it('takes a Redis store from the options or from MEDIC_REDIS_URL, which chooses it unless MEDIC_STORE_KIND is set', () => {
    expect(defineMedicConfig({ store: { kind: 'redis', url: 'redis://cache:6380/2' } }, {}).store).toMatchObject({ kind: 'redis', url: 'redis://cache:6380/2', keyPrefix: 'medic:' });
    expect(defineMedicConfig({}, { MEDIC_REDIS_URL: 'rediss://u:p@cache:6380', MEDIC_REDIS_PREFIX: 'team:' }).store).toMatchObject({
      kind: 'redis',
      url: 'rediss://u:p@cache:6380',
      keyPrefix: 'team:',
    });
    expect(defineMedicConfig({}, { MEDIC_REDIS_URL: 'redis://cache', MEDIC_STORE_KIND: 'sqlite' }).store.kind).toBe('sqlite');
    expect(messageOf(() => defineMedicConfig({ store: { kind: 'redis' } }, {}))).toMatch(/store\.url: kind 'redis' needs the server's url[\s\S]*MEDIC_REDIS_URL/);
    expect(messageOf(() => defineMedicConfig({}, { MEDIC_REDIS_URL: 'localhost:6379' }))).toMatch(
      /store\.url: expected a redis:\/\/ or rediss:\/\/ URL.*\(got "localhost:6379"\)\n.*fix or unset MEDIC_REDIS_URL/,
    );
  });

  it('takes a Chroma index from the options or from MEDIC_CHROMA_URL, which chooses it unless MEDIC_VECTORS_KIND is set', () => {
    expect(defineMedicConfig({}, {}).vectors).toEqual({ kind: 'local', prefix: 'medic-' });
    expect(defineMedicConfig({}, { MEDIC_CHROMA_URL: 'http://vectors:8000', MEDIC_CHROMA_PREFIX: 'team-' }).vectors).toEqual({ kind: 'chroma', url: 'http://vectors:8000', prefix: 'team-' });
    expect(defineMedicConfig({}, { MEDIC_CHROMA_URL: 'http://vectors:8000', MEDIC_VECTORS_KIND: 'local' }).vectors.kind).toBe('local');
    expect(messageOf(() => defineMedicConfig({ vectors: { kind: 'chroma' } }, {}))).toMatch(/vectors\.url: kind 'chroma' needs the server's url[\s\S]*MEDIC_CHROMA_URL/);
    expect(messageOf(() => defineMedicConfig({}, { MEDIC_CHROMA_URL: 'chroma:8000' }))).toMatch(/vectors\.url: expected an http:\/\/ or https:\/\/ URL.*\n.*fix or unset MEDIC_CHROMA_URL/);
  });

  it('refuses options that are not an object', () => {
    // @ts-expect-error deliberately wrong options
    expect(messageOf(() => defineMedicConfig('sqlite', {}))).toMatch(/must be an object, got "sqlite"/);
  });
});
