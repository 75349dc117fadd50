/** `agent.createSession({ history })`: a session that starts with earlier turns, rendered exactly as a reload would. */
import { describe, expect, it } from 'vitest'
import { createAgent } from '../../../src/agent/index.js'
import { definePlugin } from '../../../src/plugins/index.js'
import { ScriptedBackend } from '../../../src/testing/index.js'

describe('createSession with history', () => {
  it('renders the turns into the transcript once and continues after them', async () => {
    const backend = new ScriptedBackend([' None<eot>\n<|Commands|>: None<eoc>', ' Third answer.<eom>'])
    const echo = definePlugin({ name: 'echo', command: 'Echo', description: 'Echoes.', run: (input) => input })
    const agent = createAgent({ backend, plugins: [echo] })
    const history = [
      { human: 'first', answer: 'First answer.', results: [] },
      { human: '第二', answer: '第二个回答。', results: [] },
    ]
    const session = await agent.createSession({ id: 'h', history })
    expect(session.turns).toEqual(history)
    const before = backend.text
    expect(before).toContain('<|Human|>: first<eoh>')
    expect(before).toContain('<|MOSS|>: 第二个回答。<eom>')
    const reply = await session.ask('third')
    expect(reply.text).toBe('Third answer.')
    expect(session.turns.map((t) => t.human)).toEqual(['first', '第二', 'third'])
    // The replayed turns were sent once: the transcript still starts with exactly what was rendered.
    expect(backend.text.startsWith(before)).toBe(true)
    await session.dispose()
  })

  it('a chat template without tool support starts with every plugin off, with history as without', async () => {
    const template = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
    const echo = definePlugin({ name: 'echo', command: 'Echo', description: 'Echoes.', run: (input) => input })
    const history = [{ human: 'first', answer: 'First answer.', results: [] }]
    for (const withHistory of [false, true]) {
      const backend = new ScriptedBackend([], { modelInfo: { chatTemplate: template } })
      const agent = createAgent({ backend, plugins: [echo], format: 'auto' })
      expect(agent.formatChoice).toMatchObject({ format: 'chatml', tools: false })
      const session = await agent.createSession(withHistory ? { history } : {})
      expect(session.enabledPlugins).toEqual([])
      expect(backend.text).not.toContain('Echo')
      await session.dispose()
    }
  })
})
