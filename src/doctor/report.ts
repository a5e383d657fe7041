import { z } from 'zod';

/** `problem`: something configured does not work (the exit code is 1); `warn`: works, but worth a look; `skipped`: not configured. */
export const checkStatusSchema = z.enum(['ok', 'warn', 'problem', 'skipped']);
export type CheckStatus = z.infer<typeof checkStatusSchema>;

/** One thing `medic doctor` looked at. */
export const checkSchema = z
  .object({
    /** `config`, `store`, `vectors`, `embedder`, `llm`, `breakers`, `spool`, `disk`. */
    name: z.string().min(1),
    status: checkStatusSchema,
    /** What was found, one line. */
    detail: z.string(),
    /** One line: what to change (problems and warnings). */
    fix: z.string().optional(),
    /** What `--fix` did about it. */
    fixed: z.string().optional(),
    /** How long the check took, in ms. */
    ms: z.number().nonnegative(),
  })
  .strict();
export type Check = z.infer<typeof checkSchema>;

/** The `--json` output of `medic doctor`. */
export const doctorReportSchema = z
  .object({
    ok: z.boolean(),
    problems: z.number().int().nonnegative(),
    warnings: z.number().int().nonnegative(),
    checks: z.array(checkSchema),
  })
  .strict();
export type DoctorReport = z.infer<typeof doctorReportSchema>;

export function summarizeChecks(checks: readonly Check[]): DoctorReport {
  const problems = checks.filter((c) => c.status === 'problem').length;
  return doctorReportSchema.parse({ ok: problems === 0, problems, warnings: checks.filter((c) => c.status === 'warn').length, checks });
}

/** A Fix line of a MedicError's message is shown as the check's fix, not twice. */
export function splitFix(message: string): { detail: string; fix?: string } {
  const at = message.indexOf('\nFix: ');
  if (at < 0) return { detail: message.replace(/\s*\n\s*/g, ' ') };
  return { detail: message.slice(0, at).replace(/\s*\n\s*/g, ' '), fix: message.slice(at + 6).replace(/\s*\n\s*/g, ' ') };
}

const MARK: Record<CheckStatus, string> = { ok: '✓', warn: '!', problem: '✗', skipped: '-' };

export function formatDoctor(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.name.length));
  const lines = ['medic doctor (configuration: defaults and MEDIC_* variables)'];
  for (const c of report.checks) {
    lines.push(`  ${MARK[c.status]} ${c.name.padEnd(width)}  ${c.detail}`);
    if (c.fixed) lines.push(`  ${' '.repeat(width + 2)}  fixed: ${c.fixed}`);
    if (c.fix && c.status !== 'ok' && c.status !== 'skipped') lines.push(`  ${' '.repeat(width + 2)}  fix: ${c.fix}`);
  }
  const counts = `${report.problems} problem${report.problems === 1 ? '' : 's'}, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}`;
  lines.push(report.ok ? `healthy (${counts})` : `${counts}: see the fix lines above`);
  return lines.join('\n');
}
