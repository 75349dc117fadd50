import { describe, expect, it } from 'vitest'
import { createAgent } from '../../../src/agent/create-agent.js'
import { FORMAT_FACTORIES, detectFormat } from '../../../src/formats/index.js'
import { formatBanner } from '../../../src/cli/banner.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'
import { ScriptedBackend, collectEvents, eventsOfType } from '../../../src/testing/index.js'

const names = Object.keys(FORMAT_FACTORIES)
// Template fragments written for these tests: only the markers the detector looks for.
const templates = {
  qwen3: "{{- '<|im_start|>system\\n' }}{{- '<tool_call>\\n' }}{%- if x %}<think>{% endif %}",
  qwen25: "{{- '<|im_start|>' + role }}{{- '<tool_call>\\n{\"name\": ' }}",
  hermes: "You are a function calling AI model. ... <tool_call> ... '<|im_start|>'",
  llama31: "{{- '<|start_header_id|>' }}{%- elif message.role == 'ipython' %}",
  llama30: "{{- '<|start_header_id|>' + role + '<|end_header_id|>' }}",
  chatml: "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' }}",
  chatglm3: "{% if loop.first %}[gMASK]sop<|{{ m.role }}|>{% endif %}",
  glm4: "[gMASK]<sop>{% for item in messages %}<|{{ item['role'] }}|>{{ item['metadata'] }}{% endfor %}",
  moss: '<|Human|>: {{ text }}<eoh>',
}

describe('format auto-detection', () => {
  it('chooses from the chat template', () => {
    const pick = (t: string) => {
      const d = detectFormat({ chatTemplate: t, architecture: 'llama' }, names)
      return [d.format, d.options.variant, d.tools]
    }
    expect(pick(templates.qwen3)).toEqual(['qwen', 'qwen3', true])
    expect(pick(templates.qwen25)).toEqual(['qwen', 'qwen2.5', true])
    expect(pick(templates.hermes)).toEqual(['hermes', undefined, true])
    expect(pick(templates.llama31)).toEqual(['llama3', undefined, true])
    expect(pick(templates.llama30)).toEqual(['llama3', undefined, false])
    expect(pick(templates.chatml)).toEqual(['chatml', undefined, false])
    expect(pick(templates.chatglm3)).toEqual(['chatglm3', undefined, true])
    expect(pick(templates.glm4)).toEqual(['glm4', undefined, true])
    expect(pick(templates.moss)).toEqual(['moss', undefined, true])
    expect(pick('{{ messages }}')).toEqual(['moss', undefined, true])
  })

  it('falls back to the architecture, then to MOSS', () => {
    expect(detectFormat({ architecture: 'qwen3' }, names)).toMatchObject({ format: 'qwen', options: { variant: 'qwen3' } })
    expect(detectFormat({ architecture: 'chatglm' }, names)).toMatchObject({ format: 'glm4', reason: 'no chat template; architecture chatglm' })
    expect(detectFormat({ architecture: 'llama' }, names)).toMatchObject({ format: 'moss', reason: 'no chat template in the model; MOSS is the default' })
    expect(detectFormat(undefined, names).format).toBe('moss')
  })

  it("createAgent({ format: 'auto' }) uses the backend's model info; a template without tools turns plugins off", async () => {
    const tool = definePlugin({ name: 'lookup', description: 'x', run: () => 'y' })
    const qwen = createAgent({ backend: new ScriptedBackend([], { modelInfo: { chatTemplate: templates.qwen3 } }), format: 'auto', plugins: [tool] })
    expect(qwen.format.name).toBe('qwen')
    expect(formatBanner(qwen)).toBe('format qwen (auto: its chat template writes <tool_call> and <think> (Qwen3/QwQ)).')

    const backend = new ScriptedBackend(['Hello.<|im_end|>'], { modelInfo: { chatTemplate: templates.chatml } })
    const plain = createAgent({ backend, format: 'auto', plugins: [tool] })
    expect(formatBanner(plain)).toMatch(/Plugins are off/)
    const session = await plain.createSession()
    const events = await collectEvents(session.send('hi'))
    expect(eventsOfType(events, 'tool-call')).toEqual([])
    expect(backend.text).not.toContain('lookup')
  })
})
