import { describe, expect, it } from 'vitest';
import { createLayeredEmbedder, withDeadline, type Embedder } from '@semfilter/core';
import { createNodeEmbedder } from '@semfilter/node';
import { gatedModel } from './model.js';

describe('createLayeredEmbedder, calls that overlap', () => {
  it('computes a text once while another call already waits for it, and both calls get its vector', async () => {
    const model = gatedModel();
    const layered = createLayeredEmbedder({ model });
    const unknown = ['zorblaxian coat', 'quuxwave'];
    // A quick answer that gives up at its deadline (its call goes on), and a full one beside it.
    const quick = withDeadline(layered, 10, () => 'MODEL_LOADING').embed([...unknown, 'calm']);
    const full = layered.embed(['calm', ...unknown, 'flimberish']);
    await expect(quick).rejects.toThrow(/still loading/);
    model.open();
    const vectors = await full;
    // Each text once: the full call asked the model only for what the quick one had not.
    expect(model.asked.sort()).toEqual([...unknown, 'calm', 'flimberish'].sort());
    expect(layered.stats().computed).toBe(4);
    const alone = await createNodeEmbedder().embed(unknown);
    for (const [i, vector] of alone.entries()) expect(Array.from(vectors[i + 1]!)).toEqual(Array.from(vector));
    // What the first call computed is in memory for the next one.
    expect(await layered.lookup(unknown)).not.toContain(undefined);
  });

  it('passes a model failure to every call that waited for the batch, and asks again on the next call', async () => {
    let calls = 0;
    const failing: Embedder = {
      model: { id: 'fake-failing-model', dtype: 'fp32' },
      async embed() {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new Error('model failed');
      },
    };
    const layered = createLayeredEmbedder({ model: failing });
    const results = await Promise.allSettled([layered.embed(['a', 'b']), layered.embed(['b'])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    await expect(layered.embed(['b'])).rejects.toThrow('model failed');
    expect(calls).toBe(2);
  });
});
