import type { FilterReport } from '@semfilter/core';

/**
 * What the traffic got, in one sentence, each request counted once: fully semantic; partly
 * semantic (active, but some tags compared exactly, and why); fallen back entirely (why); or the
 * traditional filter by decision (out of the rollout, kill switch: DISABLED). A report can be both
 * active and fallen back (MODEL_LOADING with the vocabulary's tags judged by meaning), which once
 * made the counts overlap and the traditional count negative. Runs answered while the model loads
 * are left out of the guardrails' windows, so a click made then could not roll anything back: the
 * sentence says so, or a person waits for a rollback that cannot come.
 */
export function trafficSummary(reports: readonly FilterReport[]): string {
  const counts = new Map<string, number>();
  const count = (label: string) => counts.set(label, (counts.get(label) ?? 0) + 1);
  let semantic = 0;
  let traditional = 0;
  let loading = 0;
  for (const { semantic_mode_active: active, fallback_reason: reason } of reports) {
    if (reason === 'MODEL_LOADING') loading++;
    if (reason === null) active ? semantic++ : traditional++;
    else if (reason === 'DISABLED') traditional++;
    else count(active ? `partly semantic (${reason}: the tags it lacked vectors for compared exactly)` : `fell back (${reason})`);
  }
  const parts = [`${semantic} served by semantic mode`, ...[...counts].map(([label, n]) => `${n} ${label}`), `${traditional} served by the traditional filter`];
  const guardrails = loading === 0 ? '' : ` The guardrails leave out the ${loading} answered while the model was loading: send again once it is ready.`;
  return `Sent ${reports.length} requests: ${parts.join(', ')}.${guardrails}`;
}
