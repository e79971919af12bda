import type { ApplyProgress, ApplyResult } from './apply.js';
import type { PlanReport } from './plan.js';
import type { RollbackResult } from './rollback.js';
import type { RunStatusLine } from './status.js';
import type { ValidateReport } from './validate.js';

const n = (value: number): string => value.toLocaleString('en-US');
const show = (value: unknown): string => JSON.stringify(value);
const LISTED_PROBLEMS = 50;

/** The dry run as a person reads it. */
export function formatPlan(report: PlanReport): string {
  const lines = [
    `plan for ${report.store} table ${report.table} (key ${report.idColumn}; columns ${report.columns.join(', ')}): nothing was written`,
    `rows scanned:            ${n(report.rowsScanned)}`,
    `rows that would change:  ${n(report.rowsToChange)}`,
    `rows it cannot handle:   ${n(report.problems.rows)} (left as they are)`,
    '',
    'per column: cells that would change / cells with tags / empty cells',
    ...report.columns.map((column) => {
      const stats = report.perColumn[column]!;
      return `  ${column.padEnd(12)} ${n(stats.changes).padStart(8)} / ${n(stats.withTags)} / ${n(stats.empty)}`;
    }),
  ];
  if (report.topChanges.length > 0) {
    lines.push('', 'most frequent changes (cells):');
    for (const change of report.topChanges) lines.push(`  ${String(change.count).padStart(7)}  ${change.column.padEnd(10)} ${show(change.from)} -> ${show(change.to)}`);
  }
  lines.push('', `items identical after normalization: ${n(report.duplicates.groups)} groups, ${n(report.duplicates.rows)} rows`);
  for (const group of report.duplicates.listed) {
    const more = group.size > group.keys.length ? ` and ${group.size - group.keys.length} more` : '';
    lines.push(`  ${group.keys.map(show).join(', ')}${more}${group.onlyAfterNormalization ? '  (identical only after normalization)' : ''}`);
  }
  if (report.duplicates.groups > report.duplicates.listed.length) lines.push(`  … ${report.duplicates.groups - report.duplicates.listed.length} more groups (--json lists the largest ${report.duplicates.listed.length} too)`);
  if (report.problems.rows > 0) {
    lines.push('', `rows it cannot handle, by reason: ${Object.entries(report.problems.byCode).map(([code, count]) => `${code} ${count}`).join(', ')}`);
    for (const problem of report.problems.listed.slice(0, LISTED_PROBLEMS)) lines.push(`  ${report.idColumn} ${show(problem.key)}: ${problem.column}: ${problem.message}`);
    const unlisted = report.problems.listed.length - LISTED_PROBLEMS;
    if (unlisted > 0) lines.push(`  … ${unlisted} more in --json${report.problems.listed.length < report.problems.rows ? ' (which lists the first 10,000)' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/** An apply's closing summary. */
export function formatApply(result: ApplyResult): string {
  const { run } = result;
  if (result.mode === 'already-done') return `run "${run.name}" on ${run.table} was already complete (finished ${run.finishedAt}): ${n(run.rowsChanged)} rows changed, nothing to do\n`;
  return [
    `run "${run.name}" on ${run.table}: done${result.mode === 'resumed' ? ' (resumed)' : ''}`,
    `rows scanned: ${n(run.rowsScanned)}; changed: ${n(run.rowsChanged)}; left as they are (cannot handle): ${n(run.rowsSkipped)}`,
    `${n(Math.round(result.rowsPerSecond))} rows/s over ${result.seconds.toFixed(2)} s in ${result.batches} batches; journal: ${n(result.journal.entries)} entries, ${result.journal.bytes === null ? '?' : n(result.journal.bytes)} bytes`,
    `undo with: semfilter backfill rollback --db ${result.store} --run ${run.name}`,
  ].join('\n') + '\n';
}

/** validate's verdict and every failure. */
export function formatValidate(report: ValidateReport): string {
  const lines = [
    `${report.verdict}: ${report.store} table ${report.table}${report.run === null ? ' (no completed run: row count and journal not checked)' : `, run "${report.run}"`}`,
    `rows checked: ${n(report.rowsChecked)}; journal entries checked: ${n(report.journalEntriesChecked)}; rows it cannot handle (not failures): ${n(report.rowsSkipped)}`,
  ];
  for (const failure of report.failures) lines.push(`FAIL ${failure.check}: ${failure.message}${failure.keys.length > 0 ? `: ${failure.keys.map(show).join(', ')}` : ''}`);
  return `${lines.join('\n')}\n`;
}

/** rollback's summary, conflicts listed. */
export function formatRollback(result: RollbackResult): string {
  const { run } = result;
  const lines = [`run "${run.name}" on ${run.table}: ${result.mode === 'already-rolled-back' ? 'was already rolled back' : 'rolled back'}; rows restored: ${n(result.restored)}; conflicts (left as they are): ${n(result.conflictCount)}`];
  for (const conflict of result.conflicts) {
    lines.push(conflict.column === null ? `  conflict: ${show(conflict.key)}: the row no longer exists` : `  conflict: ${show(conflict.key)}: ${conflict.column} holds ${show(conflict.found)}, the backfill wrote ${show(conflict.expected)}`);
  }
  if (result.conflictCount > result.conflicts.length) lines.push(`  … ${result.conflictCount - result.conflicts.length} more`);
  return `${lines.join('\n')}\n`;
}

/** status: one line per run. */
export function formatStatus(store: string, runs: readonly RunStatusLine[]): string {
  if (runs.length === 0) return `no backfill runs in ${store}\n`;
  const lines = runs.map((run) => `${run.name}  ${run.table}  ${run.state}  cursor ${show(run.cursor)}  scanned ${n(run.rowsScanned)}/${n(run.rowsAtStart)}  changed ${n(run.rowsChanged)}  skipped ${n(run.rowsSkipped)}${run.rowsRestored + run.conflicts > 0 ? `  restored ${n(run.rowsRestored)}  conflicts ${n(run.conflicts)}` : ''}  started ${run.startedAt}  updated ${run.updatedAt}`);
  return `${lines.join('\n')}\n`;
}

/** Progress for a terminal (one bar, redrawn) or a pipe (a JSON line per batch, at most one a second). */
export function progressWriter(stream: NodeJS.WritableStream & { isTTY?: boolean }, now: () => number = Date.now): { update(progress: ApplyProgress): void; end(): void } {
  let last = 0;
  let drawn = false;
  return {
    update(progress) {
      const done = progress.rowsScanned >= progress.rowsTotal;
      if (!done && now() - last < (stream.isTTY ? 100 : 1000)) return;
      last = now();
      if (stream.isTTY) {
        const fraction = progress.rowsTotal === 0 ? 1 : Math.min(1, progress.rowsScanned / progress.rowsTotal);
        const bar = '#'.repeat(Math.round(fraction * 30)).padEnd(30, '.');
        stream.write(`\r[${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${n(progress.rowsScanned)}/${n(progress.rowsTotal)} rows, ${n(progress.rowsChanged)} changed, ${n(Math.round(progress.rowsPerSecond))} rows/s `);
        drawn = true;
      } else {
        stream.write(`${JSON.stringify({ event: 'progress', ...progress, rowsPerSecond: Math.round(progress.rowsPerSecond) })}\n`);
      }
    },
    end() {
      if (drawn) stream.write('\n');
    },
  };
}
