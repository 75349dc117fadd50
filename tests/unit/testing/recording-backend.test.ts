import { access, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createAgent } from '../../../src/agent/create-agent.js'
import type { GenerateOutcome, ModelSession } from '../../../src/backends/types.js'
import { RecordingBackend, ScriptedBackend } from '../../../src/testing/index.js'

describe('RecordingBackend', () => {
  it('logs appends, resets, generations and state saves in order, and passes everything through', async () => {
    const scripted = new ScriptedBackend([' Hi.<eom>'])
    const backend = new RecordingBackend(scripted)
    const dir = await mkdtemp(join(tmpdir(), 'moss-agent-recording-'))
    try {
      const agent = createAgent({ backend, plugins: [] })
      const session = await agent.createSession()
      expect((await session.ask('hello')).text).toBe('Hi.')
      await session.save(join(dir, 's.json'))
      // The state file exists: saveState reached the scripted backend (bench's old wrapper dropped it).
      await expect(access(join(dir, 's.json.state'))).resolves.toBeUndefined()
      const recorded = backend.sessions[0]!
      expect(recorded.log.map((call) => call.kind)).toEqual(['append', 'append', 'generate', 'append', 'save-state'])
      const generation = recorded.log.find((call) => call.kind === 'generate')
      expect(generation).toMatchObject({ outcome: { reason: 'stop', stop: '<eom>' }, request: { stop: ['<eom>'] } })
      expect(recorded.inner.restoredFromState).toBe(false)
      expect(scripted.text).toContain('<|MOSS|>: Hi.<eom>')
      await backend.dispose()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('has no saveState when the wrapped session has none, and runs every generation through the observer', async () => {
    const seen: string[] = []
    const inner = await new ScriptedBackend(['abc']).open()
    const bare: ModelSession = {
      append: (parts) => inner.append(parts),
      reset: (parts) => inner.reset(parts),
      generate: (request) => inner.generate(request),
      countTokens: (parts) => inner.countTokens(parts),
      get tokenCount() {
        return inner.tokenCount
      },
      contextSize: undefined,
      get stats() {
        return inner.stats
      },
      dispose: () => inner.dispose(),
    }
    const backend = new RecordingBackend({ description: 'bare', open: () => Promise.resolve(bare) }, {
      async *observe(_session, request, generation): AsyncGenerator<string, GenerateOutcome, void> {
        seen.push(`start ${request.stop.join()}`)
        const outcome = yield* generation
        seen.push(`end ${outcome.reason}`)
        return outcome
      },
    })
    const session = await backend.open()
    expect(session.saveState).toBeUndefined()
    await session.append([{ text: 'q', trusted: false }])
    let text = ''
    for await (const chunk of session.generate({ stop: ['<x>'] })) text += chunk
    expect(text).toBe('abc')
    expect(seen).toEqual(['start <x>', 'end eos'])
  })
})
