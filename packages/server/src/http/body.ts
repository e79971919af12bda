import type { z } from 'zod';
import { describeIssues } from '@semfilter/core';
import { FleetError } from '../errors.js';

/** Parses a body with a schema; issues carry paths from `body` as the library writes them. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new FleetError('INVALID_BODY', 'the body does not match what this endpoint takes', describeIssues(parsed.error, 'body'));
  return parsed.data;
}
