import type * as OpenAISdk from 'openai';

export type OpenAIModule = typeof OpenAISdk;

let loaded: OpenAIModule | undefined;

/**
 * The openai SDK, loaded by the first call that needs it: a suite that configures no LLM and no
 * openai embedder never loads it (every worker and the runner would otherwise pay about 0.1 s).
 * @example const sdk = await loadOpenAI(); const client = new sdk.default({ apiKey });
 */
export async function loadOpenAI(): Promise<OpenAIModule> {
  return (loaded ??= await import('openai'));
}
