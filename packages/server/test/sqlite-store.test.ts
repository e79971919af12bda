import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/index.js';
import { clientSnapshot, seeded } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'semfilter-sqlite-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CONFIG = { flag: 'semantic-filter', version: 1, stage: 0, mode: 'on' as const };
const PROFILE = { semanticRuns: 3, traditionalRuns: 2, semanticLatencyMs: 100, semanticFallbackRate: 0, passRate: 0.5 };
const KEY = { flag: 'semantic-filter', stage: 0, mode: 'on' };
const AT = Date.UTC(2026, 0, 1, 12, 0, 30);

describe('the SQLite store', () => {
  it('adds every snapshot of a batch, and of concurrent batches, into one bucket: sums are exact', async () => {
    const store = new SqliteStore(join(dir, 'sums.db'));
    await store.migrate();
    const random = seeded(5);
    const snapshot = (i: number) => clientSnapshot(`client-${String(i).padStart(12, '0')}`, CONFIG, PROFILE, random, AT);
    expect(await store.ingest([snapshot(0), snapshot(1), snapshot(2)], AT)).toEqual({ accepted: 3, duplicates: 0 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.ingest([snapshot(10 + 2 * i), snapshot(11 + 2 * i)], AT + i)));
    const data = await store.windowData(KEY, AT - 30_000, AT + 30_000);
    expect(data.snapshots).toBe(23);
    expect(data.clients).toBe(23);
    expect(data.semantic.reduce((sum, mode) => sum + mode.runs, 0)).toBe(23 * PROFILE.semanticRuns);
    expect(data.traditional.reduce((sum, mode) => sum + mode.latency.count, 0)).toBe(23 * PROFILE.traditionalRuns);
    await store.close();
  });

  it('keeps counting into the rows of an earlier process (a restart) without losing or doubling a snapshot', async () => {
    const path = join(dir, 'restart.db');
    const random = seeded(6);
    const snapshot = (i: number) => clientSnapshot(`client-${String(i).padStart(12, '0')}`, CONFIG, PROFILE, random, AT);
    const first = new SqliteStore(path);
    await first.migrate();
    const resent = snapshot(0);
    await first.ingest([resent, snapshot(1)], AT);
    await first.close();
    const second = new SqliteStore(path);
    await second.migrate();
    expect(await second.ingest([resent, snapshot(2)], AT)).toEqual({ accepted: 1, duplicates: 1 });
    expect((await second.windowData(KEY, AT - 30_000, AT + 30_000)).snapshots).toBe(3);
    await second.close();
  });
});
