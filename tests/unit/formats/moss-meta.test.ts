import { describe, expect, it } from 'vitest'
import { createMossFormat, mossMetaBase, parseMossMeta, renderMossMeta } from '../../../src/formats/index.js'
import { calculator, image, search, solver, stub, weather } from './plugin-stubs.js'

const switches = (text: string) => text.slice(mossMetaBase().length)

describe('MOSS meta instruction', () => {
  it('keeps the exact 1,025-character base text with its original typo', () => {
    const base = mossMetaBase()
    expect(base.length).toBe(1025)
    expect(base).toContain('covering mutiple aspects')
    expect(base.startsWith('You are an AI assistant whose name is MOSS.\n')).toBe(true)
    expect(base.endsWith('Capabilities and tools that MOSS can possess.\n')).toBe(true)
  })

  it('writes all-disabled switch lines without plugins', () => {
    expect(switches(renderMossMeta([]))).toMatchInlineSnapshot(`
      "- Inner thoughts: disabled.
      - Web search: disabled.
      - Calculator: disabled.
      - Equation solver: disabled.
      - Text-to-image: disabled.
      - Image edition: disabled.
      - Text-to-speech: disabled.
      "
    `)
  })

  it('fills MOSS slots with its own argument names, whatever the plugin calls its argument', () => {
    const calc = stub('Calculate', 'expr')
    expect(switches(renderMossMeta([search, calc]))).toMatchInlineSnapshot(`
      "- Inner thoughts: enabled.
      - Web search: enabled. API: Search(query)
      - Calculator: enabled. API: Calculate(expression)
      - Equation solver: disabled.
      - Text-to-image: disabled.
      - Image edition: disabled.
      - Text-to-speech: disabled.
      "
    `)
  })

  it('lists every built-in, custom plugins after the seven lines, disabled ones as disabled, and the date', () => {
    const off = stub('Translate', 'text', { enabled: false, label: 'Translator' })
    expect(switches(renderMossMeta([image, solver, weather, calculator, search, off], { date: '2024-05-01' }))).toMatchInlineSnapshot(`
      "- Inner thoughts: enabled.
      - Web search: enabled. API: Search(query)
      - Calculator: enabled. API: Calculate(expression)
      - Equation solver: enabled. API: Solve(equation)
      - Text-to-image: enabled. API: Text2Image(description)
      - Image edition: disabled.
      - Text-to-speech: disabled.
      - Weather: enabled. API: Weather(city)
      - Translator: disabled.
      - Current date: 2024-05-01.
      "
    `)
  })

  it('writes a disabled built-in as disabled and turns inner thoughts off when nothing is enabled', () => {
    const meta = renderMossMeta([stub('Search', 'query', { enabled: false })])
    expect(meta).toContain('- Web search: disabled.\n')
    expect(meta).toContain('- Inner thoughts: disabled.\n')
  })

  it('has a Chinese variant with the same switch lines', () => {
    const zh = createMossFormat({ language: 'zh' }).renderSystem([search])[0]?.text ?? ''
    expect(zh).toContain('你是一个名为 MOSS 的人工智能助手')
    expect(zh.endsWith('- Web search: enabled. API: Search(query)\n- Calculator: disabled.\n- Equation solver: disabled.\n- Text-to-image: disabled.\n- Image edition: disabled.\n- Text-to-speech: disabled.\n')).toBe(true)
  })

  it('reads its own output back', () => {
    const text = renderMossMeta([search, weather], { date: '2023-04-21' })
    const parsed = parseMossMeta(text)
    expect(parsed?.base).toBe(mossMetaBase())
    expect(parsed?.date).toBe('2023-04-21')
    expect(parsed?.lines.filter((l) => l.enabled).map((l) => l.command ?? l.label)).toEqual(['Inner thoughts', 'Search', 'Weather'])
  })

  it('renders the system prompt as one trusted part', () => {
    const parts = createMossFormat().renderSystem([calculator])
    expect(parts).toHaveLength(1)
    expect(parts[0]?.trusted).toBe(true)
  })
})
