import { z } from 'zod';
import type { RollbackLatch } from '../rollout/decide.js';
import { readStored, writeStored, type KeyValueStorage } from '../rollout/storage.js';

/** A guardrail rollback as stored: which flag and config version it stops, when, and the breach that caused it. */
export const rollbackLatchSchema = z.strictObject({
  flag: z.string().min(1).max(256),
  configVersion: z.number().int().nonnegative(),
  /** ISO 8601 time of the rollback. */
  at: z.string().max(64),
  metric: z.string().max(64),
  value: z.number(),
  threshold: z.number(),
}) satisfies z.ZodType<RollbackLatch>;

/** The storage key of a flag's rollback latch. */
export function latchKey(flag: string): string {
  return `semfilter-rollback:${flag}`;
}

/** The flag's stored latch; a missing, corrupt or foreign value reads as none. */
export function readLatch(storage: KeyValueStorage | undefined, flag: string): RollbackLatch | null {
  const text = readStored(storage, latchKey(flag));
  if (text === null) return null;
  try {
    const parsed = rollbackLatchSchema.safeParse(JSON.parse(text));
    return parsed.success && parsed.data.flag === flag ? parsed.data : null;
  } catch {
    return null; // corrupt JSON: ignore it rather than keep a page from loading
  }
}

/** Stores (or, with null, removes) the flag's latch; false when the storage refused. */
export function writeLatch(storage: KeyValueStorage | undefined, flag: string, latch: RollbackLatch | null): boolean {
  return writeStored(storage, latchKey(flag), latch === null ? null : JSON.stringify(latch));
}
