import { z } from 'zod';

const limit = z.number().int().positive().optional();

export const runQuerySchema = z.object({ project: z.string().optional(), limit }).strict();

export const attemptQuerySchema = z.object({ runId: z.string().optional(), testKey: z.string().optional(), limit }).strict();
