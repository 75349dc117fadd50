/**
 * Checks an exported GGUF against its PyTorch checkpoint and the training tokenizer:
 * 1. token ids of rendered dialogues (part by part, as the llama-cpp backend tokenizes them) equal node-llama-cpp's;
 * 2. greedy continuations of a few prompts are identical, and first-step probabilities agree within a tolerance.
 *
 *   node dist/tools/tiny-moss/verify.js [--model models/tiny-moss.gguf] [--vocab tools/tiny-moss/data/vocab.json]
 *                                       [--checkpoints tools/tiny-moss/checkpoints] [--dialogues 200]
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { getLlama, type Token } from 'node-llama-cpp'
import { createMossFormat } from '../../src/formats/moss/index.js'
import type { PromptPart } from '../../src/backends/types.js'
import { makeDialogue, pluginSet, type CallRunner } from './generator/dialogue.js'
import { Rng } from './generator/rng.js'
import { dialogueParts, stubPlugin } from './render.js'
import { SpmTokenizer, type TokenizerVocab } from './tokenizer/spm.js'

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'models/tiny-moss.gguf' },
    vocab: { type: 'string', default: 'tools/tiny-moss/data/vocab.json' },
    checkpoints: { type: 'string', default: 'tools/tiny-moss/checkpoints' },
    dialogues: { type: 'string', default: '200' },
    tokens: { type: 'string', default: '32' },
  },
})

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'
const ours = new SpmTokenizer(JSON.parse(readFileSync(values.vocab, 'utf8')) as TokenizerVocab)
const llama = await getLlama({ build: 'never', gpu: false })
const model = await llama.loadModel({ modelPath: values.model })
const format = createMossFormat()
const fakeRun: CallRunner = async (command, input) => ({ ok: true, text: command === 'Solve' ? 'x = 3' : String(input.length * 7) })

// 1. Tokenizer agreement on whole dialogues plus awkward text.
const rng = new Rng(4242)
let parts = 0
let tokens = 0
let mismatches = 0
const extra: PromptPart[] = [
  { text: 'emoji 🙂👍 tabs\tand\r\nCRLF, ＜eom＞ full-width，中文标点！', trusted: false },
  { text: '  leading spaces and trailing   ', trusted: false },
  { text: 'ǅ ß ẞ Ωmega — “quotes” … 𝔘𝔫𝔦𝔠𝔬𝔡𝔢', trusted: false },
]
const check = (p: PromptPart): void => {
  const a = ours.encode(p.text, p.trusted)
  const b = model.tokenize(p.text, p.trusted) as number[]
  parts++
  tokens += a.length
  if (a.length !== b.length || a.some((t, i) => t !== b[i])) {
    mismatches++
    if (mismatches <= 5) console.log('MISMATCH', JSON.stringify(p.text.slice(0, 80)), a.slice(0, 12), b.slice(0, 12))
  }
  if (model.detokenize(b as Token[], true) !== p.text && mismatches <= 5 && !p.text.includes('\r')) {
    console.log('detokenize differs for', JSON.stringify(p.text.slice(0, 60)))
  }
}
for (let i = 0; i < Number(values.dialogues); i++) {
  const d = await makeDialogue(rng, i % 2 === 0 ? 'train' : 'test', fakeRun)
  for (const p of dialogueParts(format, d)) check(p)
}
extra.forEach(check)
console.log(`tokenizer: ${parts} parts, ${tokens} tokens, ${mismatches} mismatching parts`)

// 2. PyTorch vs llama.cpp on a few prompts.
const prompts: { name: string; parts: PromptPart[] }[] = []
const questions: [string, string[]][] = [
  ['What is 23*47?', ['Search', 'Calculate', 'Solve']],
  ['帮我算一下1024/8', ['Search', 'Calculate', 'Solve']],
  ['Solve 3x+5=20', ['Search', 'Calculate', 'Solve']],
  ['Who founded Nordvik Labs?', ['Search', 'Calculate']],
  ['Hello! How are you?', ['Search', 'Calculate', 'Solve']],
  ['画一只在月球上的猫', ['Text2Image']],
]
for (const [q, enabled] of questions) {
  const plugins = pluginSet(enabled as never, stubPlugin)
  const turn = format.beginTurn(q, plugins, 0)
  prompts.push({ name: q, parts: [...format.renderSystem(plugins), ...turn.parts] })
}
const ids = prompts.map((p) => p.parts.flatMap((part) => ours.encode(part.text, part.trusted)))
const dir = mkdtempSync(join(tmpdir(), 'tiny-moss-verify-'))
writeFileSync(join(dir, 'prompts.json'), JSON.stringify(ids))
execFileSync('/usr/bin/python3', ['tools/tiny-moss/train.py', '--out', values.checkpoints, '--data', join(values.vocab, '..'), '--probe', join(dir, 'prompts.json'), '--probe-out', join(dir, 'probe.json'), '--probe-tokens', values.tokens, '--threads', '1'], { stdio: 'inherit' })
const torchOut = JSON.parse(readFileSync(join(dir, 'probe.json'), 'utf8')) as { generated: number[]; logprobs: number[] }[]
const context = await model.createContext({ contextSize: 512, threads: 1 })
let same = 0
let maxDiff = 0
for (const [i, prompt] of ids.entries()) {
  const sequence = context.getSequence()
  const got: number[] = []
  let first: Map<Token, number> | undefined
  for await (const out of sequence.evaluateWithMetadata(prompt as Token[], { probabilities: true }, { temperature: 0, yieldEogToken: true })) {
    first ??= out.probabilities
    got.push(out.token)
    if (got.length >= Number(values.tokens)) break
  }
  const want = torchOut[i]!
  const equal = want.generated.slice(0, got.length).every((t, k) => t === got[k])
  if (equal) same++
  // Greedy probabilities from llama.cpp vs softmax of PyTorch's logits on the top tokens.
  if (first) {
    let k = 0
    for (const [token, p] of first) {
      maxDiff = Math.max(maxDiff, Math.abs(p - Math.exp(want.logprobs[token] ?? -Infinity)))
      if (++k >= 20) break
    }
  }
  console.log(`${equal ? 'same' : 'DIFFERENT'}: ${JSON.stringify(prompts[i]!.name)} → ${JSON.stringify(model.detokenize(got as Token[], true).slice(0, 80))}`)
  if (!equal) console.log(`  torch: ${JSON.stringify(ours.decode(want.generated).slice(0, 80))}`)
  sequence.dispose()
}
console.log(`greedy: ${same}/${ids.length} identical; max first-step probability difference ${maxDiff.toFixed(4)}`)
await context.dispose()
await model.dispose()
await llama.dispose()
if (mismatches > 0 || same < ids.length) process.exitCode = 1
