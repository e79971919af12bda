import { expect } from 'chai';
import { bundledWasmPaths, createWorkerEmbedder } from '@semfilter/core/browser';
import { cosine } from '@semfilter/core';
import { freshPrefix, nodeEmbed, requestCount } from './helpers.js';

const TEXTS = ['This is an example sentence', 'casual style', 'an outfit for a job interview', 'a calm mood', 'a happy mood', 'a sad mood', 'navy wool blazer', 'something elegant for an evening wedding'];

function workerEmbedder(prefix: string) {
  return createWorkerEmbedder({
    config: { modelBaseUrl: `${prefix}/models/`, wasmPaths: bundledWasmPaths(), dtype: 'fp32', numThreads: 1, allowRemoteModels: false },
    loadTimeoutMs: 120_000,
    embedTimeoutMs: 60_000,
  });
}

describe('the embedding worker', () => {
  it('agrees with the Node embedder (cosine ≥ 0.999)', async () => {
    const embedder = workerEmbedder(freshPrefix('parity'));
    try {
      const [browser, node] = await Promise.all([embedder.embed(TEXTS), nodeEmbed(TEXTS)]);
      const cosines = TEXTS.map((_, i) => cosine(browser[i]!, node[i]!));
      console.log(`worker vs Node: min cosine ${Math.min(...cosines).toFixed(6)} over ${TEXTS.length} texts`);
      for (const value of cosines) expect(value).to.be.at.least(0.999);
      expect(browser[0]).to.have.length(384);
    } finally {
      embedder.dispose();
    }
  });

  it('loads the model once for two concurrent first calls', async () => {
    const prefix = freshPrefix('concurrent');
    const embedder = workerEmbedder(prefix);
    try {
      const [a, b] = await Promise.all([embedder.embed(['a calm mood']), embedder.embed(['a happy mood'])]);
      expect(a[0]).to.have.length(384);
      expect(b[0]).to.have.length(384);
      expect(await embedder.loadCount()).to.equal(1);
      expect(await requestCount(`${prefix}/models/Xenova/all-MiniLM-L6-v2/onnx/model.onnx`)).to.equal(1);
    } finally {
      embedder.dispose();
    }
  });
});
