import { decodeVocabularyPack, type VocabularyPack } from '../vocabulary/pack-format.js';

/** The embedded vocabulary, fetched as its own chunk when the facade is created. */
export async function loadVocabulary(): Promise<VocabularyPack | undefined> {
  try {
    const { VOCABULARY_PACK } = await import('../vocabulary/pack.generated.js');
    return decodeVocabularyPack(VOCABULARY_PACK);
  } catch {
    return undefined; // the model still answers for every term
  }
}
