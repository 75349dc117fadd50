/**
 * Byte-level BPE vocabularies (`tokenizer.ggml.model = gpt2`) read from a Hugging Face `tokenizer.json`, laid out
 * the way llama.cpp's `convert_hf_to_gguf.py` writes them (`get_vocab_base`): one entry per id up to the model's
 * vocabulary size, `[PAD<id>]` (unused) for ids the tokenizer does not define, added tokens as control tokens when
 * they are special or look special (`<|…|>`), else as user-defined tokens, everything else normal.
 */
import { InvalidInputError } from '../../src/errors.js'
import { TokenType } from './vocab.js'

/** A byte-level BPE vocabulary as GGUF stores it, plus the ids llama.cpp needs. */
export interface BpeVocab {
  /** llama.cpp's pre-tokenizer name (`tokenizer.ggml.pre`), e.g. `qwen2` or `llama-bpe`. */
  readonly pre: string
  /** Byte-level token texts (`Ġthe`), added tokens as written (`<|im_start|>`). */
  readonly tokens: readonly string[]
  readonly types: readonly number[]
  /** Merges in rank order, each `"left right"`. */
  readonly merges: readonly string[]
  readonly bosId: number
  readonly eosId: number
  /** End-of-turn id (`<|eot_id|>`); optional, llama.cpp also finds it by text. */
  readonly eotId?: number
  /** End-of-message id (`<|eom_id|>`); optional. */
  readonly eomId?: number
  readonly padId?: number
  /** `tokenizer.ggml.add_bos_token`. */
  readonly addBos: boolean
}

/** The parts of a Hugging Face `tokenizer.json` this reader uses. */
export interface HfTokenizerJson {
  readonly model: { readonly type: string; readonly vocab: Readonly<Record<string, number>>; readonly merges: readonly (string | readonly [string, string])[] }
  readonly added_tokens: readonly { readonly id: number; readonly content: string; readonly special: boolean }[]
}

/** Which ids are which, and the settings a GGUF needs that `tokenizer.json` does not hold. */
export interface BpeVocabOptions {
  /** llama.cpp's pre-tokenizer name. */
  readonly pre: string
  /** The model's vocabulary size (`config.json` `vocab_size`); ids beyond the tokenizer's become `[PAD<id>]`. */
  readonly vocabSize?: number
  /** Token texts of the special ids. */
  readonly bos: string
  readonly eos: string
  readonly eot?: string
  readonly eom?: string
  readonly pad?: string
  /** Defaults to `false`. */
  readonly addBos?: boolean
  /** New texts for added tokens, by id (a package that ships an older release's special-token names). */
  readonly renameAdded?: ReadonlyMap<number, string>
}

/** What llama.cpp's convert script treats as special even when the tokenizer does not mark it so. */
function looksSpecial(text: string): boolean {
  return (text.startsWith('<|') && text.endsWith('|>')) || (text.startsWith('<｜') && text.endsWith('｜>'))
}

/** Builds the GGUF vocabulary of a Hugging Face byte-level BPE tokenizer. */
export function bpeVocabFromHf(json: HfTokenizerJson, options: BpeVocabOptions): BpeVocab {
  if (json.model.type !== 'BPE') throw new InvalidInputError(`tokenizer.json has a ${json.model.type} model, not BPE`)
  const added = new Map(json.added_tokens.map((t) => [t.id, t]))
  const byId = new Map<number, string>()
  for (const [text, id] of Object.entries(json.model.vocab)) byId.set(id, text)
  for (const token of json.added_tokens) byId.set(token.id, options.renameAdded?.get(token.id) ?? token.content)
  let highest = -1
  for (const id of byId.keys()) highest = Math.max(highest, id)
  const size = options.vocabSize ?? highest + 1
  if (size <= highest) throw new InvalidInputError(`vocabSize ${size} is smaller than the tokenizer's highest id ${highest}`)
  const tokens: string[] = []
  const types: number[] = []
  for (let id = 0; id < size; id++) {
    const text = byId.get(id)
    const addedToken = added.get(id)
    if (text === undefined) {
      tokens.push(`[PAD${id}]`)
      types.push(TokenType.unused)
    } else if (addedToken !== undefined) {
      tokens.push(text)
      types.push(addedToken.special || looksSpecial(text) ? TokenType.control : TokenType.userDefined)
    } else {
      tokens.push(text)
      types.push(TokenType.normal)
    }
  }
  const idOf = (text: string | undefined, what: string): number | undefined => {
    if (text === undefined) return undefined
    const id = tokens.indexOf(text)
    if (id < 0) throw new InvalidInputError(`The ${what} token "${text}" is not in the vocabulary`)
    return id
  }
  const merges = json.model.merges.map((m) => (typeof m === 'string' ? m : `${m[0]} ${m[1]}`))
  return {
    pre: options.pre,
    tokens,
    types,
    merges,
    bosId: idOf(options.bos, 'bos') as number,
    eosId: idOf(options.eos, 'eos') as number,
    eotId: idOf(options.eot, 'eot'),
    eomId: idOf(options.eom, 'eom'),
    padId: idOf(options.pad, 'pad'),
    addBos: options.addBos ?? false,
  }
}
