import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import type { TokenTensor } from '@semfilter/core';

/** A batch as the model takes it: every input padded to the batch's longest text. */
export type TokenBatch = Readonly<Record<'input_ids' | 'attention_mask' | 'token_type_ids', TokenTensor>>;

/** Turns a batch of texts into the model's inputs. */
export type BatchTokenizer = (texts: readonly string[]) => TokenBatch;

interface TokenizerConfig {
  readonly model_max_length?: number;
  readonly pad_token?: string;
  readonly sep_token?: string;
}

/**
 * The model's own WordPiece tokenizer (tokenizer.json) through @huggingface/tokenizers, which has
 * no dependencies: the Node runtime no longer installs @xenova/transformers, and with it sharp and
 * onnxruntime-web, only to tokenize. It gives the ids transformers.js 2.x gave for every term of
 * the vocabulary (tested); texts past the model's length keep their first tokens and the closing
 * [SEP], as BERT truncation does.
 */
export function loadBatchTokenizer(dir: string): BatchTokenizer {
  const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as TokenizerConfig;
  const tokenizer = new Tokenizer(JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as object, config);
  const maxLength = config.model_max_length ?? 512;
  const idOf = (token: string | undefined, role: string): number => {
    const id = token === undefined ? undefined : tokenizer.token_to_id(token);
    if (id === undefined) throw new Error(`${join(dir, 'tokenizer_config.json')} names no ${role} token the vocabulary has`);
    return id;
  };
  const padId = idOf(config.pad_token, 'padding');
  const sepId = idOf(config.sep_token, 'separator');
  return (texts) => {
    const rows = texts.map((text): number[] => {
      const ids: number[] = tokenizer.encode(text).ids;
      return ids.length <= maxLength ? ids : [...ids.slice(0, maxLength - 1), sepId];
    });
    const width = Math.max(0, ...rows.map((ids) => ids.length));
    const dims = [rows.length, width];
    const inputIds = new BigInt64Array(rows.length * width).fill(BigInt(padId));
    const mask = new BigInt64Array(rows.length * width);
    rows.forEach((ids, row) => ids.forEach((id, k) => {
      inputIds[row * width + k] = BigInt(id);
      mask[row * width + k] = 1n;
    }));
    return {
      input_ids: { data: inputIds, dims },
      attention_mask: { data: mask, dims },
      token_type_ids: { data: new BigInt64Array(rows.length * width), dims },
    };
  };
}
