import { relative, sep } from 'node:path';
import { stripVTControlCharacters as stripAnsi } from 'node:util';
import type { TestCase, TestResult, TestStep } from '@playwright/test/reporter';
import { signError } from '../src/learning/signature.js';
import type { AttemptRecord } from '../src/store/records.js';

/** Project, file and describe titles: stable for a test across runs. */
export function testKeyOf(test: TestCase, rootDir: string): string {
  const project = projectNameOf(test);
  return [...(project ? [project] : []), relativeFile(test.location.file, rootDir), ...describeTitles(test), test.title].join(' › ');
}

/** Maps one finished attempt to its record. Pure: no store, no clock. */
export function toAttempt(test: TestCase, result: TestResult, runId: string, rootDir: string): AttemptRecord {
  const first = result.error ?? result.errors[0];
  let error: AttemptRecord['error'] = null;
  if (first) {
    const message = stripAnsi(first.message ?? first.value ?? 'unknown error');
    const stack = first.stack ? stripAnsi(first.stack) : null;
    error = { message, stack, ...signError({ message, stack }), count: Math.max(1, result.errors.length) };
  }
  const annotations = 'annotations' in result && Array.isArray(result.annotations) ? result.annotations : test.annotations;
  return {
    runId,
    testKey: testKeyOf(test, rootDir),
    testId: test.id,
    title: test.title,
    titlePath: [...describeTitles(test), test.title],
    projectName: projectNameOf(test),
    file: relativeFile(test.location.file, rootDir),
    line: test.location.line,
    column: test.location.column,
    retry: result.retry,
    status: result.status,
    expectedStatus: test.expectedStatus,
    outcome: test.outcome(),
    startedAt: result.startTime.toISOString(),
    durationMs: Math.max(0, result.duration),
    workerIndex: result.workerIndex,
    parallelIndex: result.parallelIndex,
    error,
    annotations: annotations.map((a) => (a.description === undefined ? { type: a.type } : { type: a.type, description: a.description })),
    tags: [...test.tags],
    steps: stepNames(result.steps),
    locators: [],
  };
}

/** Playwright's API calls and assertions of the test body, in order, inside `test.step`s too, never hooks or fixtures. */
function stepNames(steps: readonly TestStep[]): string[] {
  const out: string[] = [];
  const walk = (list: readonly TestStep[]) => {
    for (const step of list) {
      if (out.length >= MAX_STEPS) return;
      if (step.category === 'test.step') walk(step.steps);
      else if (step.category === 'pw:api' && !step.error) out.push(apiName(step.title)); // a failed call (a probe that a heal replaced) is not what worked
      else if (step.category === 'expect') {
        const matcher = EXPECT_TITLE.exec(step.title)?.[1];
        if (matcher) out.push(`expect ${matcher}`);
      }
    }
  };
  walk(steps);
  return out;
}

const MAX_STEPS = 200;
/** `Expect "toHaveText"`, `Expect "not toBeVisible"`, `Expect "soft toBe"`, `Expect "poll toBe"`; older Playwright: `expect.toHaveText`, `expect.not.toBeVisible`. */
const EXPECT_TITLE = /^expect(?: "|\.)(?:(?:poll|soft|not)[ .])*(\w+)/i;

/** `Fill "Ada"` → `fill`; `Navigate to "/cart"` → `navigate to`: the call without what it typed or where it went. */
function apiName(title: string): string {
  return title.replace(/"(?:[^"\\]|\\.)*"/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

function projectNameOf(test: TestCase): string {
  return test.parent.project()?.name ?? '';
}

function describeTitles(test: TestCase): string[] {
  const titles: string[] = [];
  for (let suite = test.parent; suite && suite.type === 'describe'; suite = suite.parent!) titles.unshift(suite.title);
  return titles;
}

function relativeFile(file: string, rootDir: string): string {
  return relative(rootDir, file).split(sep).join('/');
}
