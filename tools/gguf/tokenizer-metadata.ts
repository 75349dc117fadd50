/**
 * The `tokenizer.ggml.*` keys of a GGUF for either kind of vocabulary: SentencePiece-style (`llama`, with scores and
 * byte-fallback tokens) or byte-level BPE (`gpt2`, with merges and a pre-tokenizer name).
 */
import { InvalidInputError } from '../../src/errors.js'
import type { BpeVocab } from './bpe-vocab.js'
import type { GgufMetadataValue } from './gguf-types.js'
import type { SpmVocab } from './vocab.js'

/** Either vocabulary kind. */
export type GgufVocab = SpmVocab | BpeVocab

/** Whether a vocabulary is byte-level BPE. */
export function isBpeVocab(vocab: GgufVocab): vocab is BpeVocab {
  return 'merges' in vocab
}

const u32 = (value: number): GgufMetadataValue => ({ type: 'uint32', value })

/** The tokenizer keys of a vocabulary, with an optional chat template (`tokenizer.chat_template`). */
export function tokenizerMetadata(vocab: GgufVocab, chatTemplate?: string): Record<string, GgufMetadataValue> {
  const n = vocab.tokens.length
  if (vocab.types.length !== n) throw new InvalidInputError(`Vocabulary: ${n} tokens but ${vocab.types.length} types`)
  const meta: Record<string, GgufMetadataValue> = isBpeVocab(vocab) ? bpeKeys(vocab) : spmKeys(vocab)
  meta['tokenizer.ggml.bos_token_id'] = u32(vocab.bosId)
  meta['tokenizer.ggml.eos_token_id'] = u32(vocab.eosId)
  if (vocab.eotId !== undefined) meta['tokenizer.ggml.eot_token_id'] = u32(vocab.eotId)
  if (vocab.eomId !== undefined) meta['tokenizer.ggml.eom_token_id'] = u32(vocab.eomId)
  if (isBpeVocab(vocab) && vocab.padId !== undefined) meta['tokenizer.ggml.padding_token_id'] = u32(vocab.padId)
  meta['tokenizer.ggml.add_bos_token'] = { type: 'bool', value: vocab.addBos ?? true }
  meta['tokenizer.ggml.add_eos_token'] = { type: 'bool', value: false }
  if (chatTemplate !== undefined) meta['tokenizer.chat_template'] = { type: 'string', value: chatTemplate }
  return meta
}

function spmKeys(vocab: SpmVocab): Record<string, GgufMetadataValue> {
  if (vocab.scores.length !== vocab.tokens.length) {
    throw new InvalidInputError(`Vocabulary: ${vocab.tokens.length} tokens but ${vocab.scores.length} scores`)
  }
  return {
    'tokenizer.ggml.model': { type: 'string', value: 'llama' },
    'tokenizer.ggml.tokens': { type: 'array', itemType: 'string', value: vocab.tokens },
    'tokenizer.ggml.scores': { type: 'array', itemType: 'float32', value: vocab.scores },
    'tokenizer.ggml.token_type': { type: 'array', itemType: 'int32', value: vocab.types },
    'tokenizer.ggml.unknown_token_id': u32(vocab.unkId),
    // Without this llama.cpp puts a space after every special token and before each chunk.
    'tokenizer.ggml.add_space_prefix': { type: 'bool', value: vocab.addSpacePrefix ?? false },
  }
}

function bpeKeys(vocab: BpeVocab): Record<string, GgufMetadataValue> {
  return {
    'tokenizer.ggml.model': { type: 'string', value: 'gpt2' },
    'tokenizer.ggml.pre': { type: 'string', value: vocab.pre },
    'tokenizer.ggml.tokens': { type: 'array', itemType: 'string', value: vocab.tokens },
    'tokenizer.ggml.token_type': { type: 'array', itemType: 'int32', value: vocab.types },
    'tokenizer.ggml.merges': { type: 'array', itemType: 'string', value: vocab.merges },
  }
}
