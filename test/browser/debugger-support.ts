import 'axe-core'; // a UMD script: it defines globalThis.axe
import type { AxeResults, RunOptions } from 'axe-core';
import { createSemanticFilter, type SemanticFilter } from '@semfilter/core/browser';
import type { FilterRequest } from '@semfilter/core';
import '@semfilter/elements/semfilter-debugger.js';
import type { DebuggerView, SemfilterDebugger } from '@semfilter/elements';

/** What a debugger under test is given; anything left out keeps the element's default. */
export interface DebuggerSetup {
  readonly items: readonly object[];
  readonly request: FilterRequest;
  readonly view?: DebuggerView;
  readonly pageSize?: number;
  readonly semantic?: boolean;
  /** By default a filter of its own on the served model, with no vector cache. */
  readonly filter?: SemanticFilter | undefined;
  /** An element already made (e.g. to reattach); a new one by default. */
  readonly element?: SemfilterDebugger | undefined;
}

/** A debugger on the page, waiting until its first report is rendered. */
export async function mountDebugger(setup: DebuggerSetup): Promise<SemfilterDebugger> {
  const element = setup.element ?? document.createElement('semfilter-debugger');
  const { items, request, view, pageSize, semantic } = setup;
  Object.assign(element, { filter: setup.filter ?? createSemanticFilter({ modelBaseUrl: '/models/', cache: false }), items, request });
  if (view !== undefined) element.view = view;
  if (pageSize !== undefined) element.pageSize = pageSize;
  if (semantic !== undefined) element.semantic = semantic;
  const reported = nextReport(element);
  document.body.append(element);
  await reported;
  await element.updateComplete;
  return element;
}

/** Resolves with the element's next report, once it is rendered. */
export async function nextReport(element: SemfilterDebugger): Promise<Event> {
  const event = await new Promise<Event>((resolve) => element.addEventListener('semfilter-report', resolve, { once: true }));
  await element.updateComplete;
  return event;
}

/** The table's rows, in the order shown. */
export const debuggerRows = (element: SemfilterDebugger) => [...element.shadowRoot!.querySelectorAll<HTMLTableRowElement>('[part~="item"]')];

/** The row of one item. */
export const debuggerRow = (element: SemfilterDebugger, id: string) => element.shadowRoot!.querySelector<HTMLTableRowElement>(`[part~="item"][data-item-id="${id}"]`)!;

/** axe-core, as its UMD script defines it. */
export const axe = (globalThis as unknown as { axe: { run(context: Element, options: RunOptions): Promise<AxeResults> } }).axe;

/** Removes every debugger the test mounted (call from afterEach). */
export function removeDebuggers(): void {
  document.querySelectorAll('semfilter-debugger').forEach((e) => e.remove());
}
