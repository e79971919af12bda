import { decodeVocabularyPack, type VocabularyPack } from '../semantic/vocabulary/pack-format.js';

/** The embedded vocabulary, fetched as its own chunk when the facade is created. */
export async function loadVocabulary(): Promise<VocabularyPack | undefined> {
  try {
    const { VOCABULARY_PACK } = await import('../semantic/vocabulary/pack.generated.js');
    return decodeVocabularyPack(VOCABULARY_PACK);
  } catch {
    return undefined; // the model still answers for every term
  }
}
