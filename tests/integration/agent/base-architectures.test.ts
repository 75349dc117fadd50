/**
 * Issue 14, item 7: the base models of the MOSS comparison — llama, BLOOM/BLOOMZ (bloom), CPM/Wenzhong-style GPT-2
 * (gpt2) and GLM-4 (chatglm) — each as a random-weight GGUF of its llama.cpp architecture (tools/gguf layouts), run
 * a whole MOSS turn through the real agent on the llama.cpp backend: the commands span under the format's grammar,
 * the real calculator in its child process, the results appended, and the answer generated on the same KV cache.
 */
import { readGgufFileInfo } from 'node-llama-cpp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { calculator } from '../../../plugins/index.js'
import { createAgent } from '../../../src/agent/index.js'
import type { Agent } from '../../../src/agent/index.js'
import { createLlamaCppBackend } from '../../../src/backends/llama-cpp/index.js'
import type { LlamaCppBackend, LlamaCppSession } from '../../../src/backends/llama-cpp/index.js'
import { parseMossTranscript } from '../../../src/formats/index.js'
import { RecordingBackend, collectEvents, eventsOfType } from '../../../src/testing/index.js'
import type { RecordingSession } from '../../../src/testing/index.js'
import type { ArchitectureName } from '../../../tools/gguf/architectures.js'
import { getArchTestModelPath } from '../../helpers/test-model.js'
import { MOSS_COMMANDS_CHECK, forcedMossFormat, generationChecks } from './local-model.js'

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'

const ARCHITECTURES: readonly ArchitectureName[] = ['llama', 'bloom', 'gpt2', 'chatglm']
const FORMAT_OPTIONS = {
  thought: 'The user wants a sum.',
  argRule: '"2+3"',
  answerGbnf: 'root ::= " The answer is " [0-9] [0-9]? ".<eom>"',
  callsOnly: true,
}
const plugins = [calculator()]
afterAll(async () => Promise.all(plugins.map((plugin) => plugin.dispose?.())))

describe.each(ARCHITECTURES)('a random %s model', (architecture) => {
  let backend: LlamaCppBackend
  let spy: RecordingBackend<LlamaCppSession>
  let agent: Agent

  beforeAll(async () => {
    const model = await getArchTestModelPath(architecture)
    backend = await createLlamaCppBackend({ model, threads: 1, gpu: false, contextSize: 2048, maxSessions: 1 })
    spy = new RecordingBackend<LlamaCppSession>(backend)
    // The plugins are shared by every architecture's agent; the module disposes them once at the end.
    agent = createAgent({ backend: spy, plugins, format: forcedMossFormat(FORMAT_OPTIONS), sampling: { temperature: 0, repeatPenalty: 1 } })
  })
  afterAll(async () => {
    await spy?.dispose()
    await backend?.dispose()
  })

  it('is written with its own architecture and tensors', async () => {
    const info = await readGgufFileInfo(await getArchTestModelPath(architecture))
    expect(info.metadata.general.architecture).toBe(architecture)
    const names = new Set(info.tensorInfo?.map((t) => t.name))
    const signature: Record<ArchitectureName, string> = {
      llama: 'blk.0.ffn_gate.weight',
      qwen3: 'blk.0.attn_q_norm.weight',
      bloom: 'token_embd_norm.bias',
      gpt2: 'position_embd.weight',
      chatglm: 'blk.0.attn_qkv.bias',
    }
    expect(names.has(signature[architecture])).toBe(true)
  })

  it('runs a MOSS turn: forced commands, the real calculator, the answer on the same KV cache', async () => {
    const session = await agent.createSession()
    const model = spy.sessions.at(-1) as RecordingSession<LlamaCppSession>
    try {
      const events = await collectEvents(session.send('What is 2+3? 请算一下。'))
      expect(eventsOfType(events, 'error')).toEqual([])
      const calls = eventsOfType(events, 'tool-call')
      expect(calls.length).toBeGreaterThan(0)
      for (const call of calls) expect(call).toMatchObject({ name: 'Calculate', input: '2+3' })
      expect(eventsOfType(events, 'tool-result').map((result) => result.output)).toEqual(calls.map(() => '5'))
      const finish = eventsOfType(events, 'turn-finish')[0]
      expect(finish).toMatchObject({ aborted: false })
      expect(finish?.text).toMatch(/^The answer is \d\d?\.$/)
      expect(session.turns[0]?.commands).toMatch(MOSS_COMMANDS_CHECK)

      // Two generations, nothing reset: the resume evaluated exactly the results block and the held-back token.
      const checks = generationChecks(model)
      expect(checks).toHaveLength(2)
      for (const check of checks) expect(check).toEqual({ evaluated: check.appendedPlusHeld, appendedPlusHeld: check.appendedPlusHeld, afterReset: false })
      expect(finish?.usage.evaluated).toBe(checks.reduce((n, c) => n + c.evaluated, 0))
      const transcript = (session as unknown as { transcript: readonly { text: string }[] }).transcript.map((p) => p.text).join('')
      expect(parseMossTranscript(transcript).turns).toHaveLength(1)
    } finally {
      await session.dispose()
    }
  })
})
