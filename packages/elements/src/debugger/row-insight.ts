import type { PreparedRun } from '@semfilter/core';
import { html, type TemplateResult } from 'lit';
import { breakdownTemplate, type OpenBreakdowns } from './breakdown.js';
import { rankTemplate } from './rank-words.js';

/** Under the item's name: its rank in the active mode with the change against the other mode, and its score taken apart. */
export function rowInsightTemplate(traditional: PreparedRun, semantic: PreparedRun, index: number, semanticActive: boolean, open: OpenBreakdowns): TemplateResult {
  const [active, other] = semanticActive ? [semantic, traditional] : [traditional, semantic];
  return html`<div class="insight">
    ${rankTemplate(active, other, index, semanticActive ? 'the traditional filter' : 'the semantic filter')}
    ${breakdownTemplate(active, index, active.prepared.wardrobe.ids[index]!, semanticActive ? 'semantic' : 'traditional', open)}
  </div>`;
}
