import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile, writeFile as write } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createLlamaCppBackend } from '../../../src/backends/llama-cpp/index.js'
import type { LlamaCppSession } from '../../../src/backends/llama-cpp/index.js'
import type { PromptPart } from '../../../src/backends/types.js'
import { MossError } from '../../../src/errors.js'
import { writeGgufFile } from '../../../tools/gguf/gguf-writer.js'
import { getTestModelPath } from '../../helpers/test-model.js'

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'

const GREEDY = { temperature: 0, repeatPenalty: 1 }
const PARTS: PromptPart[] = [
  { text: '<|Human|>: ', trusted: true },
  { text: 'remember this: 你好 world', trusted: false },
  { text: '<eoh>\n<|MOSS|>:', trusted: true },
]
// Set in the child process this file spawns: it restores the saved state instead of running the parent tests.
const childDir = process.env.MOSS_TEST_RESTORE_DIR

async function generateText(session: LlamaCppSession, maxTokens: number): Promise<string> {
  let text = ''
  for await (const chunk of session.generate({ stop: [], maxTokens, sampling: GREEDY })) text += chunk
  return text
}

describe.runIf(childDir !== undefined)('restore child', () => {
  it('restores the saved state and continues', async () => {
    const dir = childDir as string
    const saved = JSON.parse(await readFile(join(dir, 'parts.json'), 'utf8')) as PromptPart[]
    const backend = await createLlamaCppBackend({ model: await getTestModelPath(), threads: 1, gpu: false, contextSize: 256, maxSessions: 1 })
    const session = await backend.open({ restore: { statePath: join(dir, 'state.bin'), parts: saved } })
    const restoredStats = { ...session.stats }
    const restoredFromState = session.restoredFromState
    const text = await generateText(session, 10)
    await write(join(dir, 'child.json'), JSON.stringify({ restoredStats, restoredFromState, stats: session.stats, text, tokenCount: session.tokenCount }))
    await backend.dispose()
  })
})

describe.runIf(childDir === undefined)('llama.cpp backend: persistence and load errors', () => {
  it('saves the KV state, and a new process restores it with nothing re-evaluated and continues identically', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'moss-state-'))
    try {
      const backend = await createLlamaCppBackend({ model: await getTestModelPath(), threads: 1, gpu: false, contextSize: 256, maxSessions: 1 })
      const session = await backend.open()
      await session.append(PARTS)
      const first = await generateText(session, 12)
      const parts = [...PARTS, { text: first, trusted: true }]
      await session.saveState(join(dir, 'state.bin'))
      const cachedAtSave = session.tokenCount - 1 // the last generated token is held back, not yet in the cache
      const continuation = await generateText(session, 10)
      await backend.dispose()
      await writeFile(join(dir, 'parts.json'), JSON.stringify(parts))

      const child = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'tests/integration/llama-cpp/persistence.test.ts'], {
        env: { ...process.env, MOSS_TEST_RESTORE_DIR: dir },
        encoding: 'utf8',
        timeout: 120_000,
      })
      expect(child.status, child.stdout + child.stderr).toBe(0)
      const result = JSON.parse(await readFile(join(dir, 'child.json'), 'utf8')) as {
        restoredStats: { evaluated: number; reused: number }
        restoredFromState: boolean
        stats: { evaluated: number }
        text: string
      }
      expect(result.restoredFromState).toBe(true)
      expect(result.restoredStats).toMatchObject({ evaluated: 0, reused: cachedAtSave })
      // Only the held-back token is evaluated: nothing from the restored transcript runs again.
      expect(result.stats.evaluated).toBe(1)
      expect(result.text).toBe(continuation)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('falls back to re-evaluation when the saved state does not match the parts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'moss-state-'))
    const backend = await createLlamaCppBackend({ model: await getTestModelPath(), threads: 1, gpu: false, contextSize: 256, maxSessions: 1 })
    try {
      const session = await backend.open()
      await session.append(PARTS)
      await session.saveState(join(dir, 'state.bin'))
      await session.dispose()
      const other: PromptPart[] = [{ text: 'a different transcript', trusted: false }]
      const restored = await backend.open({ restore: { statePath: join(dir, 'state.bin'), parts: other } })
      expect(restored.stats.reused).toBe(0)
      await generateText(restored, 1)
      expect(restored.stats.evaluated).toBe(1 + restored.countTokens(other))
    } finally {
      await backend.dispose()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('a state saved with maxSessions 2 is judged up-front against a maxSessions 1 backend: visible fallback, no failed load', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'moss-state-'))
    const statePath = join(dir, 'state.bin')
    try {
      const two = await createLlamaCppBackend({ model: await getTestModelPath(), threads: 1, gpu: false, contextSize: 256, maxSessions: 2 })
      try {
        const session = await two.open()
        await session.append(PARTS)
        await generateText(session, 1)
        await session.saveState(statePath)
      } finally {
        await two.dispose()
      }
      const sidecar = JSON.parse(await readFile(`${statePath}.json`, 'utf8')) as { sequences: number; contextSize: number }
      expect(sidecar).toMatchObject({ sequences: 2, contextSize: 256 })

      const warnings: { message: string; data?: Record<string, unknown> }[] = []
      const logger = { warn: (message: string, data?: Record<string, unknown>) => warnings.push({ message, data }) }
      const one = await createLlamaCppBackend({ model: await getTestModelPath(), threads: 1, gpu: false, contextSize: 256, maxSessions: 1, logger })
      try {
        const restored = await one.open({ restore: { statePath, parts: PARTS } })
        expect(restored.restoredFromState).toBe(false)
        expect(restored.contextSize).toBe(256)
        // Decided from the sidecar: the reason is the sequence count, not a load that llama.cpp refused.
        expect(warnings).toHaveLength(1)
        expect(warnings[0]?.data).toMatchObject({ reason: 'sequences', savedSequences: 2, sequences: 1 })
        expect(restored.stats.reused).toBe(0)
        await generateText(restored, 1)
        expect(restored.stats.evaluated).toBe(restored.countTokens(PARTS) + 1)
      } finally {
        await one.dispose()
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('reports typed load errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'moss-model-'))
    try {
      const reasonOf = async (options: Parameters<typeof createLlamaCppBackend>[0]): Promise<unknown> => {
        const error = await createLlamaCppBackend({ threads: 1, gpu: false, ...options }).then(
          async (b) => {
            await b.dispose()
            return undefined
          },
          (e: unknown) => e,
        )
        return MossError.isInstance(error) ? (error as MossError & { reason?: string }).reason : error
      }
      expect(await reasonOf({ model: join(dir, 'absent.gguf') })).toBe('missing')
      await writeFile(join(dir, 'text.gguf'), 'this is not a model')
      expect(await reasonOf({ model: join(dir, 'text.gguf') })).toBe('not-gguf')
      await writeGgufFile(join(dir, 'odd.gguf'), { metadata: { 'general.architecture': { type: 'string', value: 'frobnicator' } }, tensors: [] })
      expect(await reasonOf({ model: join(dir, 'odd.gguf') })).toBe('unsupported-architecture')
      expect(await reasonOf({ model: 'hf:nobody/nothing:Q8_0', modelsDirectory: dir })).toBe('missing')

      const backend = await createLlamaCppBackend({ model: await getTestModelPath(), threads: 1, gpu: false, contextSize: 256, maxSessions: 1 })
      const session = await backend.open()
      const tooLong = await session.append([{ text: 'meta instruction '.repeat(200), trusted: true }]).catch((e: unknown) => e)
      expect((tooLong as { reason?: string }).reason).toBe('context-too-small')
      await backend.dispose()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
