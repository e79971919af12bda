import type { ApplyProgress, ApplyResult } from './apply.js';
import { commandDbArgument } from './credentials.js';
import type { PlanReport } from './plan.js';
import type { RollbackResult } from './rollback.js';
import type { RunStatusLine } from './status.js';
import type { ValidateReport } from './validate.js';
import type { PruneResult } from './prune.js';
import { showKey } from './keys.js';
import type { Conflict } from './store.js';
import type { CellValue, Refusal } from './types.js';

const n = (value: number): string => value.toLocaleString('en-US');
const show = (value: unknown): string => JSON.stringify(value);
/** A stored cell as a person reads it: text quoted, numbers as digits, bytes in hex. */
const showCell = (value: CellValue): string => (value === null ? 'NULL' : typeof value === 'string' ? show(value) : value instanceof Uint8Array ? `x'${Buffer.from(value).toString('hex')}'` : String(value));
const LISTED_REFUSALS = 50;

function refusalLines(refusals: readonly Refusal[], total: number): string[] {
  const lines = refusals.slice(0, LISTED_REFUSALS).map((refusal) => `  ${showKey(refusal.key)}: ${refusal.message}`);
  if (total > lines.length) lines.push(`  … ${total - lines.length} more (status --json lists up to 1,000)`);
  return lines;
}
const LISTED_PROBLEMS = 50;

/** The dry run as a person reads it. */
export function formatPlan(report: PlanReport): string {
  const lines = [
    `plan for ${report.store} table ${report.table} (key ${report.keyColumns.join(', ')}; columns ${report.columns.join(', ')}): nothing was written`,
    `rows scanned:            ${n(report.rowsScanned)}`,
    `rows that would change:  ${n(report.rowsToChange)}`,
    `rows it cannot handle:   ${n(report.problems.rows)} (left as they are)`,
    `rows the database would refuse: ${n(report.refusals.rows)} (apply skips them with the database's message; --on-refusal stop ends the run instead)`,
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
    lines.push(`  ${group.keys.map(showKey).join(', ')}${more}${group.onlyAfterNormalization ? '  (identical only after normalization)' : ''}`);
  }
  if (report.duplicates.groups > report.duplicates.listed.length) lines.push(`  … ${report.duplicates.groups - report.duplicates.listed.length} more groups (--json lists the largest ${report.duplicates.listed.length} too)`);
  if (report.problems.rows > 0) {
    lines.push('', `rows it cannot handle, by reason: ${Object.entries(report.problems.byCode).map(([code, count]) => `${code} ${count}`).join(', ')}`);
    for (const problem of report.problems.listed.slice(0, LISTED_PROBLEMS)) lines.push(`  ${report.keyColumns.join(', ')} ${showKey(problem.key)}: ${problem.column}: ${problem.message}`);
    const unlisted = report.problems.listed.length - LISTED_PROBLEMS;
    if (unlisted > 0) lines.push(`  … ${unlisted} more in --json${report.problems.listed.length < report.problems.rows ? ' (which lists the first 10,000)' : ''}`);
  }
  if (report.refusals.rows > 0) {
    lines.push('', 'rows the database would refuse:');
    for (const collision of report.refusals.collisions.slice(0, LISTED_PROBLEMS)) {
      lines.push(`  unique index ${collision.index} (${collision.columns.join(', ')}): ${n(collision.size)} rows would hold ${collision.value}: ${collision.keys.map(showKey).join(', ')}${collision.size > collision.keys.length ? ' …' : ''}`);
    }
    lines.push(...refusalLines(report.refusals.foreseen, report.refusals.foreseen.length));
  }
  if (report.folds.length > 0) {
    lines.push('', 'changes that alter what a tag says (Unicode compatibility folds): look at them before apply');
    for (const fold of report.folds.slice(0, LISTED_PROBLEMS)) lines.push(`  ${String(fold.count).padStart(7)}  ${fold.column.padEnd(10)} ${show(fold.from)} -> ${show(fold.to)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** An apply's closing summary. */
export function formatApply(result: ApplyResult): string {
  const { run } = result;
  if (result.mode === 'already-done') return `run "${run.name}" on ${run.table} was already complete (finished ${run.finishedAt}): ${n(run.rowsChanged)} rows changed, nothing to do\n`;
  return [
    `run "${run.name}" on ${run.table}: done${result.mode === 'resumed' ? ' (resumed)' : ''}`,
    `rows scanned: ${n(run.rowsScanned)}; changed: ${n(run.rowsChanged)} (${n(run.cellsChanged)} cells); left as they are: ${n(run.rowsSkipped)} it cannot handle, ${n(run.rowsRefused)} the database refused`,
    ...refusalLines(result.refusals, run.rowsRefused),
    `${n(Math.round(result.rowsPerSecond))} rows/s over ${result.seconds.toFixed(2)} s in ${result.batches} batches; journal: ${n(result.journal.entries)} entries, ${result.journal.bytes === null ? '?' : n(result.journal.bytes)} bytes`,
    // a masked password would be sent as "***": the command leaves it out, and says so
    `undo with: semfilter backfill rollback --db ${commandDbArgument(result.store).text} --run ${run.name}${commandDbArgument(result.store).hidden ? ' (the password is not shown: pass the same --db, or set PGPASSWORD)' : ''}`,
  ].join('\n') + '\n';
}

/** validate's verdict, what it could not check, and every failure. */
export function formatValidate(report: ValidateReport): string {
  const sampled = report.rowsChecked < report.rowsInTable ? ` of ${n(report.rowsInTable)} in the table` : '';
  const lines = [
    `${report.verdict}: ${report.store} table ${report.table}${report.run === null ? '' : `, run "${report.run}"`}`,
    `rows checked: ${n(report.rowsChecked)}${sampled}; journal entries checked: ${n(report.journalEntriesChecked)}`,
    `not failures: ${n(report.rowsSkipped)} rows it cannot handle, ${n(report.rowsRefused)} the database refused, ${n(report.cellsChangedSince)} cells the application changed since apply, ${n(report.rowsDeletedSince)} rows it deleted`,
  ];
  for (const reason of report.notChecked) lines.push(`NOT CHECKED: ${reason}`);
  for (const failure of report.failures) lines.push(`FAIL ${failure.check}: ${failure.message}${failure.keys.length > 0 ? `: ${failure.keys.map(showKey).join(', ')}` : ''}`);
  return `${lines.join('\n')}\n`;
}

const CONFLICT_WORDS: Readonly<Record<Conflict['reason'], (conflict: Conflict) => string>> = {
  ROW_DELETED: () => 'the row no longer exists',
  CHANGED: (conflict) => `holds ${showCell(conflict.found)}, the backfill wrote ${showCell(conflict.written)}`,
  REWRITTEN: () => "holds what the backfill wrote, but the row was rewritten since (re-saved or re-inserted), so the value is the application's",
  REFUSED: (conflict) => `the database refused to put the old value back (${conflict.message ?? 'no message'}); it keeps ${showCell(conflict.found)}`,
};

/** rollback's summary, each conflicting cell listed with its reason. */
export function formatRollback(result: RollbackResult): string {
  const { run } = result;
  const lines = [`run "${run.name}" on ${run.table}: ${result.mode === 'already-rolled-back' ? 'was already rolled back' : 'rolled back'}; cells restored: ${n(result.restored)}; conflicts (cells left as they are): ${n(result.conflictCount)}`];
  for (const conflict of result.conflicts) lines.push(`  conflict ${conflict.reason}: ${showKey(conflict.key)} ${conflict.column}: ${CONFLICT_WORDS[conflict.reason](conflict)}`);
  if (result.conflictCount > result.conflicts.length) lines.push(`  … ${result.conflictCount - result.conflicts.length} more (rollback --json lists up to 1,000)`);
  return `${lines.join('\n')}\n`;
}

/** prune's summary. */
export function formatPrune(result: PruneResult): string {
  return `run "${result.run.name}" on ${result.run.table}: journal pruned (${n(result.entries)} entries, ${result.bytes === null ? '?' : n(result.bytes)} bytes on disk); it can no longer be rolled back\n`;
}

/** status: one line per run, and the rows the database refused. */
export function formatStatus(store: string, runs: readonly RunStatusLine[]): string {
  if (runs.length === 0) return `no backfill runs in ${store}\n`;
  const lines: string[] = [];
  for (const run of runs) {
    const rolled = run.cellsRestored + run.conflicts > 0 ? `  restored ${n(run.cellsRestored)} cells  conflicts ${n(run.conflicts)}` : '';
    const journal = run.prunedAt !== null ? `journal pruned ${run.prunedAt}` : `journal ${n(run.journal.entries)} entries, ${run.journal.bytes === null ? '?' : n(run.journal.bytes)} bytes`;
    lines.push(`${run.name}  ${run.table}  ${run.state}  cursor ${run.cursor === null ? '-' : showKey(run.cursor)}  scanned ${n(run.rowsScanned)}/${n(run.rowsAtStart)}  changed ${n(run.rowsChanged)} rows (${n(run.cellsChanged)} cells)  skipped ${n(run.rowsSkipped)}  refused ${n(run.rowsRefused)}${rolled}  ${journal}  started ${run.startedAt}  updated ${run.updatedAt}`);
    if (run.refusals.length > 0) lines.push(`  refused by the database:`, ...refusalLines(run.refusals, run.rowsRefused));
  }
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
