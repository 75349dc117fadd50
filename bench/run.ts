/**
 * First numbers for the local backend (`npm run bench`): generation speed of the backend against a raw
 * `sequence.evaluate` loop on the same model, threads and prompt, and tokens evaluated on a tool resume against a
 * naive full re-evaluation. Later issues extend this file.
 */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Token } from 'node-llama-cpp'
import { createLlamaCppBackend } from '../src/backends/llama-cpp/index.js'
import type { PromptPart } from '../src/backends/types.js'
import { packageRoot } from '../src/backends/llama-cpp/model-source.js'
import { writeRandomLlamaModel } from '../tools/gguf/random-model.js'

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'

const THREADS = Number(process.env.BENCH_THREADS ?? 1)
const GEN_TOKENS = 256
const ROUNDS = 3
const GREEDY = { temperature: 0, repeatPenalty: 1 }

async function benchModel(): Promise<string> {
  if (process.argv[2] !== undefined) return process.argv[2]
  const dir = join(packageRoot(), 'bench', '.models')
  const path = join(dir, 'bench-random-256x4.gguf')
  if (!existsSync(path)) {
    await mkdir(dir, { recursive: true })
    await writeRandomLlamaModel(path, {
      seed: 3,
      hyperparameters: { contextLength: 1024, embeddingLength: 256, blockCount: 4, feedForwardLength: 512, headCount: 4 },
    })
  }
  return path
}

const PROMPT: PromptPart[] = [
  { text: 'You are MOSS. '.repeat(20) + '\n<|Human|>: ', trusted: true },
  { text: 'What is 2+3? 请算一下。', trusted: false },
  { text: '<eoh>\n<|MOSS|>:', trusted: true },
]

async function main(): Promise<void> {
  const modelPath = await benchModel()
  const backend = await createLlamaCppBackend({ model: modelPath, threads: THREADS, gpu: false, contextSize: 1024, maxSessions: 1 })
  const rawContext = await backend.model.createContext({ contextSize: 1024, threads: THREADS })
  const rawSequence = rawContext.getSequence()
  const session = await backend.open()
  await session.append(PROMPT)
  const promptTokens = session.transcriptTokens

  const rawRates: number[] = []
  const backendRates: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    await rawSequence.clearHistory()
    let count = 0
    let start = performance.now()
    for await (const _token of rawSequence.evaluate([...promptTokens] as Token[], { temperature: 0, topK: 40, topP: 0.8 })) {
      if (count === 0) start = performance.now() // exclude prompt processing from both sides
      if (++count >= GEN_TOKENS) break
    }
    rawRates.push((count - 1) / ((performance.now() - start) / 1000))

    await session.reset(PROMPT)
    count = 0
    for await (const _chunk of session.generate({ stop: ['<never-produced>'], maxTokens: GEN_TOKENS, sampling: GREEDY })) {
      if (count === 0) start = performance.now()
      count++
    }
    const tokens = session.tokenCount - promptTokens.length
    backendRates.push((tokens - 1) / ((performance.now() - start) / 1000))
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0

  // Tool resume: generate a command, append a results block, generate again.
  await session.reset(PROMPT)
  for await (const _chunk of session.generate({ stop: ['<never-produced>'], maxTokens: 24, sampling: GREEDY })) void _chunk
  const results: PromptPart[] = [{ text: '\n<|Results|>:\nCalculate("2+3") => 5\n<eor><|MOSS|>:', trusted: true }]
  const before = session.stats.evaluated
  await session.append(results)
  let t0 = performance.now()
  for await (const _chunk of session.generate({ stop: [], maxTokens: 1, sampling: GREEDY })) void _chunk
  const resumeMs = performance.now() - t0
  const resumeEvaluated = session.stats.evaluated - before
  const naiveEvaluated = session.tokenCount - 1
  await rawSequence.clearHistory()
  t0 = performance.now()
  for await (const _token of rawSequence.evaluate(session.transcriptTokens.slice(0, -1) as Token[], { temperature: 0 })) break
  const naiveMs = performance.now() - t0

  const rawRate = median(rawRates)
  const backendRate = median(backendRates)
  const lines = [
    `model ${modelPath} (${backend.description})`,
    `generation, ${GEN_TOKENS} tokens, median of ${ROUNDS}: raw evaluate ${rawRate.toFixed(0)} tok/s, backend generate ${backendRate.toFixed(0)} tok/s, ratio ${(backendRate / rawRate).toFixed(3)} (goal ≥ 0.95)`,
    `tool resume: ${resumeEvaluated} tokens evaluated (results block ${session.countTokens(results)} + held token) in ${resumeMs.toFixed(1)} ms; naive full re-evaluation ${naiveEvaluated} tokens in ${naiveMs.toFixed(1)} ms`,
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
  await session.dispose()
  await rawContext.dispose()
  await backend.dispose()
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`)
  process.exitCode = 1
})
