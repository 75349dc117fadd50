/**
 * `moss serve` on the bundled model (models/tiny-moss.gguf, 1 thread, temperature 0): a session streams a real
 * calculator turn over SSE, and with one live session a second conversation closes the first, which then comes
 * back from its file with the KV state restored (no re-evaluation) and answers its next turn.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLlamaCppBackend } from '../../../src/backends/llama-cpp/index.js'
import type { LlamaCppBackend, LlamaCppSession } from '../../../src/backends/llama-cpp/index.js'
import type { ModelBackend } from '../../../src/backends/types.js'
import { post, readSse, startTestServer } from './harness.js'
import type { SseMessage, TestServer } from './harness.js'

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'
const MODEL = fileURLToPath(new URL('../../../models/tiny-moss.gguf', import.meta.url))

// The model is committed; the skip only covers a checkout that pruned models/ to save space.
describe.skipIf(!existsSync(MODEL))('moss serve on the bundled model', () => {
  let llama: LlamaCppBackend
  let server: TestServer
  const opened: LlamaCppSession[] = []

  beforeAll(async () => {
    llama = await createLlamaCppBackend({ model: MODEL, threads: 1, gpu: false, maxSessions: 1, sampling: { temperature: 0 } })
    // Records the sessions the host opens, to see whether a resumed one restored its KV state.
    const backend: ModelBackend = {
      description: llama.description,
      async open(options) {
        const session = (await llama.open(options)) as LlamaCppSession
        opened.push(session)
        return session
      },
      dispose: async () => undefined,
    }
    server = await startTestServer({ backend, maxLiveSessions: 1, model: llama.description })
  })

  afterAll(async () => {
    await server?.close()
    await llama?.dispose()
  })

  const ask = async (id: string, text: string): Promise<SseMessage[]> => readSse(await post(`${server.url}/v1/sessions/${id}/messages`, { text }))
  const newSession = async (): Promise<string> => ((await (await post(`${server.url}/v1/sessions`, {})).json()) as { id: string }).id

  it('streams a real calculator turn and resumes a closed session from its KV state', { timeout: 180_000 }, async () => {
    const first = await newSession()
    const messages = await ask(first, 'What is 23*47?')
    const types = messages.map((m) => m.data.type)
    expect(types[0]).toBe('turn-start')
    expect(types.at(-1)).toBe('turn-finish')
    expect(messages.find((m) => m.data.type === 'tool-call')?.data).toMatchObject({ name: 'Calculate', input: '23*47' })
    expect(messages.find((m) => m.data.type === 'tool-result')?.data).toMatchObject({ output: '1081' })
    expect(String(messages.at(-1)?.data.text)).toContain('1081')

    // One live session: opening a second closes the first (it was saved after its turn).
    const second = await newSession()
    await ask(second, '帮我算一下56*78')
    expect(server.host.stats.live).toBe(1)
    const again = await ask(first, 'What is 2+3?')
    expect(again.at(-1)?.data).toMatchObject({ type: 'turn-finish', aborted: false })
    expect(opened.at(-1)?.restoredFromState).toBe(true)
    const history = (await (await fetch(`${server.url}/v1/sessions/${first}`)).json()) as { turns: { human: string }[] }
    expect(history.turns.map((t) => t.human)).toEqual(['What is 23*47?', 'What is 2+3?'])
  })
})
