import { z } from 'zod';
import { readStored, writeStored, type KeyValueStorage } from './key-value-storage.js';

/** A guardrail rollback, stored so it outlives a reload; it holds for one flag and config version. */
export interface RollbackLatch {
  readonly flag: string;
  readonly configVersion: number;
  readonly at: string;
  readonly metric: string;
  readonly value: number;
  readonly threshold: number;
}

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
