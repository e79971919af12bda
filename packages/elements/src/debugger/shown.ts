import type { FilterReport, PreparedRun } from '@semfilter/core';

/** An item as the debugger shows it: any object with an id, a name and tags. */
export interface ShownItem {
  readonly id: string;
  // `| undefined` on each: a parsed Item (zod's output type) assigns here under a host's
  // exactOptionalPropertyTypes too.
  readonly name?: string | undefined;
  readonly style?: string | readonly string[] | undefined;
  readonly occasion?: string | readonly string[] | undefined;
  readonly mood?: string | readonly string[] | undefined;
}

/** A run that validated: its report and the per-item arrays behind it. */
export interface ShownRun {
  readonly report: FilterReport;
  readonly run: PreparedRun;
}
