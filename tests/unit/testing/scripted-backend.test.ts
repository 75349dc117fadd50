import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { GenerateOutcome, GenerateRequest, ModelSession } from '../../../src/backends/types.js'
import { BackendError, MossError } from '../../../src/errors.js'
import { ScriptedBackend, approxTokens } from '../../../src/testing/index.js'

async function drain(session: ModelSession, request: GenerateRequest): Promise<{ chunks: string[]; outcome: GenerateOutcome }> {
  const chunks: string[] = []
  const iterator = session.generate(request)
  while (true) {
    const next = await iterator.next()
    if (next.done) return { chunks, outcome: next.value }
    chunks.push(next.value)
  }
}

describe('ScriptedBackend', () => {
  const dirs: string[] = []
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
  })

  it('streams char by char and stops at the first requested marker, which joins the transcript but is not yielded', async () => {
    const backend = new ScriptedBackend(['hello<eoc> world<eom>'], { chunkSize: 1 })
    const session = await backend.open()
    await session.append([{ text: 'Q:', trusted: true }])
    const { chunks, outcome } = await drain(session, { stop: ['<eom>', '<eoc>'] })
    expect(chunks).toEqual(['h', 'e', 'l', 'l', 'o'])
    expect(outcome).toEqual({ reason: 'stop', stop: '<eoc>', tokens: approxTokens('hello') })
    expect(backend.prompt).toEqual([
      { text: 'Q:', trusted: true },
      { text: 'hello<eoc>', trusted: true },
    ])
    expect(backend.generations).toEqual(['hello<eoc>'])
    expect(backend.requests[0]?.stop).toEqual(['<eom>', '<eoc>'])
  })

  it('reports eos when no requested marker occurs, and respects maxTokens', async () => {
    const backend = new ScriptedBackend(['plain text', 'x'.repeat(40)], { chunkSize: 3 })
    const session = await backend.open()
    const first = await drain(session, { stop: ['<eom>'] })
    expect(first.chunks.join('')).toBe('plain text')
    expect(first.chunks[0]).toBe('pla')
    expect(first.outcome.reason).toBe('eos')
    const second = await drain(session, { stop: ['<eom>'], maxTokens: 2 })
    expect(second.chunks.join('')).toBe('x'.repeat(8))
    expect(second.outcome).toEqual({ reason: 'max-tokens', tokens: 2 })
  })

  it('random chunking is reproducible from the seed and never splits a surrogate pair or CJK text', async () => {
    const text = '你好，世界😀！'.repeat(5)
    const run = async (seed: number) => {
      const backend = new ScriptedBackend([text], { chunkSize: 'random', seed })
      return (await drain(await backend.open(), { stop: [] })).chunks
    }
    const a = await run(7)
    expect(a.join('')).toBe(text)
    expect(await run(7)).toEqual(a)
    expect(a.every((chunk) => !/[\uD800-\uDBFF]$/.test(chunk))).toBe(true)
    expect(new Set(a.map((c) => Array.from(c).length)).size).toBeGreaterThan(1)
  })

  it('stops on an aborted signal and keeps the partial text in the transcript', async () => {
    const backend = new ScriptedBackend([{ text: 'abcdefgh', hang: true }], { chunkSize: 2 })
    const session = await backend.open()
    const controller = new AbortController()
    const chunks: string[] = []
    const iterator = session.generate({ stop: ['<eom>'], signal: controller.signal })
    let next = await iterator.next()
    while (!next.done) {
      chunks.push(next.value)
      if (chunks.length === 2) controller.abort()
      next = await iterator.next()
    }
    expect(next.value.reason).toBe('aborted')
    expect(chunks).toEqual(['ab', 'cd'])
    expect(backend.prompt).toEqual([{ text: 'abcd', trusted: true }])
  })

  it('a hanging output waits for the abort', async () => {
    const backend = new ScriptedBackend([{ text: 'think', hang: true }])
    const session = await backend.open()
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 5)
    const { chunks, outcome } = await drain(session, { stop: [], signal: controller.signal })
    expect(chunks.join('')).toBe('think')
    expect(outcome.reason).toBe('aborted')
  })

  it('a second generation while one runs is refused with MOSS_ERR_SESSION_BUSY', async () => {
    const backend = new ScriptedBackend([{ text: 'think', hang: true }, 'never'])
    const session = await backend.open()
    const controller = new AbortController()
    const first = drain(session, { stop: [], signal: controller.signal })
    await new Promise((resolve) => setTimeout(resolve, 5))
    const second = await drain(session, { stop: [] }).catch((e: unknown) => e)
    expect(second).toBeInstanceOf(BackendError)
    expect((second as BackendError).code).toBe('MOSS_ERR_SESSION_BUSY')
    controller.abort()
    expect((await first).outcome.reason).toBe('aborted')
  })

  it('throws scripted errors and a BackendError when the script is exhausted', async () => {
    const backend = new ScriptedBackend([new BackendError('boom')])
    const session = await backend.open()
    await expect(drain(session, { stop: [] })).rejects.toThrow('boom')
    const error = await drain(session, { stop: [] }).catch((e: unknown) => e)
    expect(MossError.isInstance(error) && error.code).toBe('MOSS_ERR_BACKEND')
  })

  it('records trust flags, counts tokens, and reset keeps the common prefix as reused', async () => {
    const backend = new ScriptedBackend()
    const session = await backend.open()
    const parts = [
      { text: 'SYSTEM PROMPT', trusted: true },
      { text: 'user <eom> text', trusted: false },
    ]
    await session.append(parts)
    expect(backend.prompt).toEqual(parts)
    expect(session.tokenCount).toBe(approxTokens('SYSTEM PROMPT') + approxTokens('user <eom> text'))
    expect(session.countTokens(parts)).toBe(session.tokenCount)
    expect(session.stats).toEqual({ evaluated: session.tokenCount, generated: 0, reused: 0 })
    await session.reset([parts[0]!, { text: 'other', trusted: false }])
    expect(session.stats.reused).toBe(approxTokens('SYSTEM PROMPT'))
    expect(session.stats.evaluated).toBe(approxTokens('SYSTEM PROMPT') + approxTokens('user <eom> text') + approxTokens('other'))
    expect(backend.text).toBe('SYSTEM PROMPTother')
  })

  it('enforces the context size on append and limits generation to the room left', async () => {
    const backend = new ScriptedBackend(['y'.repeat(100)], { contextSize: 10 })
    const session = await backend.open()
    expect(session.contextSize).toBe(10)
    await expect(session.append([{ text: 'z'.repeat(44), trusted: false }])).rejects.toMatchObject({ code: 'MOSS_ERR_CONTEXT_OVERFLOW' })
    await session.append([{ text: 'z'.repeat(32), trusted: false }])
    const { chunks, outcome } = await drain(session, { stop: [], maxTokens: 100 })
    expect(outcome.reason).toBe('max-tokens')
    expect(chunks.join('').length).toBe(8)
  })

  it('saves state and restores from it without re-evaluation', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scripted-'))
    dirs.push(dir)
    const backend = new ScriptedBackend()
    const session = await backend.open()
    const parts = [{ text: 'abc', trusted: true }]
    await session.append(parts)
    await session.saveState(join(dir, 's.state'))
    const restored = await backend.open({ restore: { statePath: join(dir, 's.state'), parts } })
    expect(restored.restoredFromState).toBe(true)
    expect(restored.stats).toEqual({ evaluated: 0, generated: 0, reused: 1 })
    const fallback = await backend.open({ restore: { statePath: join(dir, 'missing'), parts } })
    expect(fallback.restoredFromState).toBe(false)
    expect(fallback.stats.evaluated).toBe(1)
    expect(backend.prompt).toEqual(parts)
  })
})
