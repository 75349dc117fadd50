/**
 * A tool list change between turns on a real llama.cpp session (the random test model): the next turn re-renders the
 * system block and the KV cache is reused up to the first changed token, measured with the backend's own counters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLlamaCppBackend } from '../../../src/backends/llama-cpp/index.js'
import type { LlamaCppBackend, LlamaCppSession } from '../../../src/backends/llama-cpp/index.js'
import { createAgent } from '../../../src/agent/create-agent.js'
import { mcpServer } from '../../../src/mcp/index.js'
import { getTestModelPath } from '../../helpers/test-model.js'
import { RecordingBackend } from '../../../src/testing/index.js'
import { FAKE_SERVER, tempDir, waitFor } from './servers.js'

describe('list change between turns on llama.cpp', () => {
  let backend: LlamaCppBackend
  beforeAll(async () => {
    backend = await createLlamaCppBackend({ model: await getTestModelPath(), threads: 1, gpu: false, contextSize: 2048 })
  }, 120_000)
  afterAll(async () => {
    await backend?.dispose()
  })

  it('reuses the cache up to the first changed token of the system block', async () => {
    const dir = await tempDir('moss-mcp-kv-')
    const spy = new RecordingBackend<LlamaCppSession>(backend)
    const agent = createAgent({
      backend: spy,
      plugins: [mcpServer({ name: 'fake', command: process.execPath, args: [FAKE_SERVER], env: { MCP_FAKE_LOG: `${dir.path}/log` } })],
      budgets: { maxTokensPerGeneration: 4, maxSteps: 1 },
      sampling: { temperature: 0, seed: 1 },
    })
    try {
      const session = await agent.createSession()
      const model = spy.sessions[0]
      if (!model) throw new Error('no model session')
      // The session holds the system block only (BOS included).
      const systemTokens = model.tokenCount
      expect(systemTokens).toBeGreaterThan(100)
      // One turn, so that the system block is evaluated into the cache (the random model's output does not matter).
      await session.ask('hello')
      // The server adds a tool; the next turn adopts it.
      await agent.plugins.find((p) => p.name === 'unlock')?.run({})
      await waitFor(() => (agent.plugins.some((p) => p.name === 'extra-tool') ? true : undefined), 5000, 'the list change')
      const before = { ...model.stats }
      let atStart: typeof before | undefined
      for await (const event of session.send('again')) {
        if (event.type === 'turn-start') atStart = { ...model.stats }
      }
      const reset = model.log.filter((c) => c.kind === 'reset').find((c) => c.parts[0]?.text.includes('extra_tool'))
      expect(reset?.parts[0]?.text).toContain('API: extra_tool(q)')
      // The new switch line follows the old ones, so everything but at most the last token of the old block is kept.
      const reused = (atStart?.reused ?? 0) - before.reused
      expect(reused).toBeGreaterThanOrEqual(systemTokens - 1)
      expect(reused).toBeLessThanOrEqual(systemTokens)
    } finally {
      await agent.dispose()
      await dir.cleanup()
    }
  }, 120_000)
})
