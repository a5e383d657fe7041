import type { TestResult } from '@playwright/test/reporter';
import { readFileSync } from 'node:fs';
import { LEARNING_CONTENT_TYPE, parseLearningMessage, type LearningMessage } from '../src/learning/messages.js';
import type { HealEvent } from '../src/learning/heals.js';

/**
 * The learning messages a worker attached to one attempt, validated. An attachment that does
 * not parse is counted, never thrown: one bad message must not lose the others.
 */
export function learningOf(result: TestResult): { messages: LearningMessage[]; invalid: unknown[] } {
  const messages: LearningMessage[] = [];
  const invalid: unknown[] = [];
  for (const attachment of result.attachments) {
    if (attachment.contentType !== LEARNING_CONTENT_TYPE) continue;
    try {
      const body = attachment.body ?? (attachment.path ? readFileSync(attachment.path) : undefined);
      if (!body) throw new Error(`the attachment ${attachment.name} has no body`);
      messages.push(parseLearningMessage(body));
    } catch (error) {
      invalid.push(error);
    }
  }
  return { messages, invalid };
}

/** A worker's heal report with the run and test it belongs to. */
export function toHealEvent(
  heal: LearningMessage['heals'][number],
  where: { project: string; runId: string; testKey: string; testId: string; retry: number },
): HealEvent {
  return { ...heal, ...where, review: 'pending' };
}
