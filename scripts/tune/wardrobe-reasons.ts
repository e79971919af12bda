// Developer tool: runs every playground preset over the sample wardrobe in semantic mode with the
// real model and prints each distinct semantic match and rejection (term pair, how many items, the
// reason as the debugger words it), so a fashion-literate reader can check the explanations.
// Run: npx tsx --conditions=@semfilter/source scripts/tune/wardrobe-reasons.ts [word…]   (words: only pairs naming one)
import { readFileSync } from 'node:fs';
import { describeMatch, describeReason, filterItems, type Item } from '@semfilter/core';
import { createNodeEmbedder } from '@semfilter/node';
import { PRESETS } from '../../demo/presets.js';

const items: Item[] = JSON.parse(readFileSync(new URL('../../demo/sample-wardrobe.json', import.meta.url), 'utf8'));
const only = process.argv.slice(2).map((word) => word.toLowerCase());
const embedder = createNodeEmbedder();
for (const preset of PRESETS) {
  const report = await filterItems(items, preset.request, { semantic: true }, { embedder });
  const lines = new Map<string, number>();
  for (const item of report.items) {
    const explained = [
      ...item.matches.filter((m) => m.requested !== m.actual).map((m) => ({ ...m, text: `fits    ${describeMatch(m)}` })),
      ...item.reasons.filter((r) => r.mode === 'semantic' && r.actual !== null).map((r) => ({ ...r, actual: r.actual ?? '', text: `rejects ${describeReason(r)}` })),
    ];
    for (const { requested, actual, text, ...rest } of explained) {
      if (only.length > 0 && !only.some((word) => word === requested || word === actual)) continue;
      const basis = 'basis' in rest ? ` [${String(rest.basis)}]` : '';
      lines.set(text + basis, (lines.get(text + basis) ?? 0) + 1);
    }
  }
  const traditional = await filterItems(items, preset.request, { semantic: false });
  const passing = (r: typeof report) => r.items.filter((i) => i.passed).length;
  console.log(`\n${preset.label} ${JSON.stringify(preset.request)}: ${passing(report)}/${items.length} pass (traditional ${passing(traditional)})`);
  for (const [text, count] of [...lines].sort((a, b) => a[0].localeCompare(b[0]))) console.log(`  ${String(count).padStart(3)}× ${text}`);
}
