import { mkdir, rename, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ArchitectureName } from '../../tools/gguf/architectures.js'
import { writeRandomModel } from '../../tools/gguf/random-arch-model.js'
import { buildTestVocab, writeRandomLlamaModel } from '../../tools/gguf/random-model.js'
import { buildSpmVocab, piecesForWords } from '../../tools/gguf/vocab.js'
import type { RandomModelOptions } from '../../tools/gguf/random-model.js'

export { buildTestVocab } from '../../tools/gguf/random-model.js'
export { buildSpmVocab, piecesForWords } from '../../tools/gguf/vocab.js'

/** Cache directory for generated models (git-ignored). */
export const TEST_TMP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '.tmp')

// Bump when the generator changes so stale cached files are not reused.
const GENERATOR_VERSION = 1
const pending = new Map<string, Promise<string>>()

/**
 * Returns the path of the deterministic random test model (llama architecture, MOSS control tokens), writing it to
 * tests/.tmp/ the first time. Safe to call from parallel test files: the file is written under a temporary name
 * and renamed into place.
 */
export function getTestModelPath(options: RandomModelOptions & { readonly variant?: string } = {}): Promise<string> {
  const { variant = 'default', ...rest } = options
  return cachedModel(`random-llama-v${GENERATOR_VERSION}-${variant}.gguf`, (path) => writeRandomLlamaModel(path, rest))
}

/**
 * The random model of another llama.cpp architecture (bloom, gpt2, chatglm, …) with the MOSS test vocabulary and a
 * 2,048-token training context (room for the MOSS meta instruction; gpt2 sizes its position embeddings by it).
 */
export function getArchTestModelPath(architecture: ArchitectureName): Promise<string> {
  return cachedModel(`random-${architecture}-v${GENERATOR_VERSION}.gguf`, (path) =>
    writeRandomModel(path, { architecture, vocab: buildTestVocab(), hyperparameters: { contextLength: 2048 }, seed: 5 }),
  )
}

function cachedModel(name: string, write: (path: string) => Promise<unknown>): Promise<string> {
  const file = join(TEST_TMP_DIR, name)
  let promise = pending.get(file)
  if (promise === undefined) {
    promise = (async () => {
      try {
        await stat(file)
        return file
      } catch {
        await mkdir(TEST_TMP_DIR, { recursive: true })
        const temporary = `${file}.${process.pid}.tmp`
        await write(temporary)
        await rename(temporary, file)
        return file
      }
    })()
    pending.set(file, promise)
  }
  return promise
}

/** Mistral v0.3's control tokens after `<unk> <s> </s>`, in its vocabulary's order (ids 3–9). */
export const MISTRAL_CONTROL_TOKENS = ['[INST]', '[/INST]', '[TOOL_CALLS]', '[AVAILABLE_TOOLS]', '[/AVAILABLE_TOOLS]', '[TOOL_RESULTS]', '[/TOOL_RESULTS]'] as const

/**
 * A random llama model laid out like Mistral-7B-Instruct-v0.3's GGUF: a SentencePiece vocabulary whose first ids are
 * `<unk> <s> </s>` and the seven tool/instruction control tokens, `</s>` ending generations, BOS added, and the
 * official v0.3 chat template (tests/fixtures/chat-templates) as `tokenizer.chat_template`. No real Mistral
 * tokenizer is installed; the control tokens and template are what the format and auto-detection depend on.
 */
export function getMistralTestModelPath(chatTemplate: string): Promise<string> {
  const words = ['the', 'answer', 'is', 'Calculate', 'expression', 'name', 'arguments', 'content', 'call_id']
  const pieces = piecesForWords(words, ' abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:;!?"\'()[]{}<>|+-*/=_'.replace(' ', ''))
  const vocab = buildSpmVocab({ pieces, controlTokens: MISTRAL_CONTROL_TOKENS })
  return cachedModel(`random-mistral-v${GENERATOR_VERSION}.gguf`, (path) =>
    writeRandomModel(path, { architecture: 'llama', vocab, hyperparameters: { contextLength: 2048 }, seed: 7, chatTemplate }),
  )
}
