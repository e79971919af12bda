import type { FilterReport } from '@semfilter/core';
import { describe, expect, it } from 'vitest';
import { trafficSummary } from '../../demo/traffic-summary.js';

/** Only the two fields the summary reads; the rest of a report does not matter to it. */
const report = (active: boolean, reason: FilterReport['fallback_reason']) => ({ semantic_mode_active: active, fallback_reason: reason }) as FilterReport;

describe('the playground\'s traffic summary', () => {
  it('counts each request once: a report active while the model loads is partly semantic, not also a fallback (the traditional count was -40)', () => {
    const reports = [...Array<FilterReport>(20).fill(report(true, null)), ...Array<FilterReport>(40).fill(report(true, 'MODEL_LOADING'))];
    expect(trafficSummary(reports)).toBe('Sent 60 requests: 20 served by semantic mode, 40 partly semantic (MODEL_LOADING: the tags it lacked vectors for compared exactly), 0 served by the traditional filter. The guardrails leave out the 40 answered while the model was loading: send again once it is ready.');
  });

  it('says why requests fell back entirely, and counts the rollout\'s traditional ones apart', () => {
    const reports = [report(false, 'MODEL_UNAVAILABLE'), report(false, 'MODEL_UNAVAILABLE'), report(false, 'DISABLED'), report(true, null)];
    expect(trafficSummary(reports)).toBe('Sent 4 requests: 1 served by semantic mode, 2 fell back (MODEL_UNAVAILABLE), 1 served by the traditional filter.');
  });
});
