import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TestResult } from '@playwright/test/reporter';
import type { HealEvent } from '../src/learning/heals.js';
import { screenshotPath } from '../src/report/load.js';

/**
 * Keeps the screenshots of a test's heals under `dir` (one file per heal), so the learning report
 * can show them after Playwright has cleaned its output folder.
 */
export async function keepScreenshots(result: Pick<TestResult, 'attachments'>, heals: readonly HealEvent[], dir: string): Promise<void> {
  for (const heal of heals) {
    if (!heal.screenshot) continue;
    const attachment = result.attachments.find((a) => a.name === heal.screenshot && a.contentType === 'image/png');
    if (!attachment) continue;
    const file = screenshotPath(dir, heal);
    await mkdir(dirname(file), { recursive: true });
    if (attachment.body) await writeFile(file, attachment.body);
    else if (attachment.path) await copyFile(attachment.path, file);
  }
}
