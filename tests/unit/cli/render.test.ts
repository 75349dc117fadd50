import { describe, expect, test } from 'vitest'
import { AbortedError } from '../../../src/errors.js'
import type { AgentEvent } from '../../../src/index.js'
import { EventRenderer } from '../../../src/cli/render.js'
import { displayWidth, truncateToWidth } from '../../../src/cli/text-width.js'

const usage = { evaluated: 1, generated: 1, reused: 0 }
const timings = { firstTokenMs: 1, totalMs: 2, pluginMs: 0 }

function render(events: AgentEvent[], options: ConstructorParameters<typeof EventRenderer>[1] = {}): string {
  let out = ''
  const renderer = new EventRenderer({ write: (text: string) => (out += text) }, options)
  for (const event of events) renderer.render(event)
  return out
}

describe('text width', () => {
  test('CJK, full-width forms and emoji take two columns; combining marks none', () => {
    expect(displayWidth('abc')).toBe(3)
    expect(displayWidth('你好')).toBe(4)
    expect(displayWidth('（ｘ＋１）')).toBe(10)
    expect(displayWidth('e\u0301')).toBe(1)
    expect(displayWidth('👍🏽')).toBe(2)
  })

  test('truncation never cuts a wide character or a grapheme cluster and respects the width', () => {
    const cut = truncateToWidth('解方程：x²＋２x＝８，请给出所有解', 11)
    expect(displayWidth(cut)).toBeLessThanOrEqual(11)
    expect(cut.endsWith('…')).toBe(true)
    expect(cut).toBe('解方程：x²…')
    expect(truncateToWidth('line one\nline two', 40)).toBe('line one line two')
  })
})

describe('EventRenderer', () => {
  const turn: AgentEvent[] = [
    { type: 'turn-start', turn: 1, input: 'q' },
    { type: 'thought-delta', text: 'Need the calculator.' },
    { type: 'tool-call', id: 'call_1', name: 'Calculate', input: '2+3' },
    { type: 'tool-result', id: 'call_1', name: 'Calculate', input: '2+3', output: '5' },
    { type: 'text-delta', text: 'It is ' },
    { type: 'text-delta', text: '5.' },
    { type: 'turn-finish', text: 'It is 5.', usage, timings, aborted: false },
  ]

  test('thoughts dimmed, tool lines compact, answer streamed, newline at the end', () => {
    const out = render(turn, { color: true })
    expect(out).toContain('\x1b[2mNeed the calculator.\x1b[22m\n')
    expect(out).toContain('→ Calculate("2+3")')
    expect(out).toContain('← 5')
    expect(out.endsWith('It is 5.\n')).toBe(true)
  })

  test('without colour and with thoughts off only plain text remains', () => {
    const out = render(turn, { thoughts: false })
    expect(out).not.toContain('\x1b[')
    expect(out).not.toContain('Need the calculator')
    expect(out).toBe('  → Calculate("2+3")\n  ← 5\nIt is 5.\n')
  })

  test('long tool results are cut to the terminal width, wide characters counted twice', () => {
    const out = render([{ type: 'tool-result', id: 'c', name: 'Search', input: 'q', output: '搜索结果'.repeat(50) }], { columns: 40 })
    const line = out.split('\n')[0] ?? ''
    expect(displayWidth(line)).toBeLessThanOrEqual(39)
  })

  test('the empty thought `None` is not shown, even when it arrives in pieces', () => {
    const out = render([
      { type: 'turn-start', turn: 1, input: 'q' },
      { type: 'thought-delta', text: ' No' },
      { type: 'thought-delta', text: 'ne' },
      { type: 'text-delta', text: 'Hi.' },
      { type: 'turn-finish', text: 'Hi.', usage, timings, aborted: false },
    ])
    expect(out).toBe('Hi.\n')
    const real = render([
      { type: 'thought-delta', text: 'No' },
      { type: 'thought-delta', text: 'thing to call.' },
      { type: 'text-delta', text: 'Hi.' },
    ])
    expect(real).toBe('Nothing to call.\nHi.')
  })

  test('aborted turns, errors and images are reported', () => {
    const out = render([
      { type: 'text-delta', text: 'partial' },
      { type: 'error', error: new AbortedError('stopped') },
      { type: 'image', path: '/tmp/cat.png', mimeType: 'image/png' },
      { type: 'turn-finish', text: 'partial', usage, timings, aborted: true },
    ])
    expect(out).toBe('partial\n  error: stopped\n  🖼 /tmp/cat.png\n')
    const aborted = render([
      { type: 'text-delta', text: 'partial' },
      { type: 'turn-finish', text: 'partial', usage, timings, aborted: true },
    ])
    expect(aborted).toBe('partial\n  ⏹ aborted\n')
  })
})
