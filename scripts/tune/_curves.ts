import { readFileSync } from 'node:fs';
import { DIMENSIONS, prepareRequest, prepareWardrobe, runPrepared, parseWardrobe } from '@semfilter/core';
import { createNodeEmbedder } from '@semfilter/core/node';
import { PRESETS } from '../../demo/presets.js';
const items = JSON.parse(readFileSync('demo/sample-wardrobe.json', 'utf8'));
const embedder = createNodeEmbedder();
const wardrobe = prepareWardrobe(items);
for (const preset of PRESETS) for (const d of DIMENSIONS) {
  const request = { [d]: preset.request[d] };
  const prepared = await prepareRequest(wardrobe, request, { semantic: true }, { embedder });
  const rates = [];
  for (let t = 0.3; t <= 0.951; t += 0.05) rates.push(runPrepared(prepared, { thresholds: { [d]: t } }).passCount);
  console.log(preset.label.padEnd(22), d.padEnd(9), new Set(rates).size, rates.join(' '));
}
if (process.env.SHOW) {
  const [d, req] = process.env.SHOW.split(':') as ['mood', string];
  const { judgements } = await (await import('@semfilter/core')).judgePairs([...wardrobe.dimensions[d].terms].map((t) => ({ dimension: d, requested: req, item: t })), { dimensions: { [d]: { threshold: 0 } } }, { embedder });
  [...wardrobe.dimensions[d].terms].map((t, i) => [t, judgements[i]!.score, judgements[i]!.basis] as const).sort((a, b) => b[1]! - a[1]!).forEach((r) => console.log(r.join('  ')));
}
