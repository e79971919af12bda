// React wrappers for both elements, made with @lit/react. React 18 sets props on a custom element as
// string attributes and has no way to listen to its events, so `items`, `request` or `rollout` would
// arrive as "[object Object]"; React 19 sets properties, but would hear `onSemfilterToggle` as an
// event named "semfilterToggle", never fired. The wrappers set element properties as properties and
// add a listener for each event named below.
//
// Importing this module defines both elements (the define modules below): package.json lists it in
// `sideEffects` so bundlers keep it. React itself is an optional peer dependency of the package, so
// only hosts that import `@semfilter/elements/react` need it.
import React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { SemfilterDebugger as SemfilterDebuggerElement } from '../debugger/define.js';
import { SemfilterRolloutPanel as SemfilterRolloutPanelElement } from '../rollout-panel/define.js';
import { SemfilterFleetDashboard as SemfilterFleetDashboardElement } from '../fleet-dashboard/define.js';

// The element classes, under other names than the components, for refs: useRef<SemfilterDebuggerElement>(null).
export type { SemfilterDebuggerElement, SemfilterRolloutPanelElement, SemfilterFleetDashboardElement };

// The event types come from the HTMLElementEventMap entries the define modules declare, so an
// `on…` prop's argument has the same CustomEvent detail as an addEventListener listener.

/** `<semfilter-debugger>` as a React component; its `on…` props are the element's events. */
export const SemfilterDebugger = createComponent({
  react: React,
  tagName: 'semfilter-debugger',
  elementClass: SemfilterDebuggerElement,
  displayName: 'SemfilterDebugger',
  events: {
    onSemfilterToggle: 'semfilter-toggle' as EventName<HTMLElementEventMap['semfilter-toggle']>,
    onSemfilterReport: 'semfilter-report' as EventName<HTMLElementEventMap['semfilter-report']>,
    onSemfilterView: 'semfilter-view' as EventName<HTMLElementEventMap['semfilter-view']>,
  },
});

/** `<semfilter-rollout-panel>` as a React component; its `on…` props are the element's events. */
export const SemfilterRolloutPanel = createComponent({
  react: React,
  tagName: 'semfilter-rollout-panel',
  elementClass: SemfilterRolloutPanelElement,
  displayName: 'SemfilterRolloutPanel',
  events: {
    onSemfilterRearm: 'semfilter-rearm' as EventName<HTMLElementEventMap['semfilter-rearm']>,
  },
});

/** `<semfilter-fleet-dashboard>` as a React component; its `on…` props are the element's events. */
export const SemfilterFleetDashboard = createComponent({
  react: React,
  tagName: 'semfilter-fleet-dashboard',
  elementClass: SemfilterFleetDashboardElement,
  displayName: 'SemfilterFleetDashboard',
  events: {
    onSemfilterFleetChange: 'semfilter-fleet-change' as EventName<HTMLElementEventMap['semfilter-fleet-change']>,
  },
});
