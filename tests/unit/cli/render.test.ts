import { describe, expect, test } from 'vitest'
import { AbortedError, BackendError, PluginError } from '../../../src/errors.js'
import type { AgentEvent } from '../../../src/index.js'
import { renderCitations } from '../../../src/cli/citations.js'
import { colorEnabled } from '../../../src/cli/colors.js'
import { messageWithCauses } from '../../../src/cli/error-line.js'
import { EventRenderer, shortenedNote } from '../../../src/cli/render.js'
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

describe('what the person sees beyond what the model sees', () => {
  const finish: AgentEvent = { type: 'turn-finish', text: '', usage, timings, aborted: false }

  test('a tool error shows its cause, whole, not only the text the model was given', () => {
    const cause = new PluginError('calculator', 'Error: Parenthesis ) expected (char 5)')
    const error = new PluginError('calculator', 'No calculation results.', { cause })
    const out = render([{ type: 'tool-error', id: 'c', name: 'Calculate', input: '(2+3', error }], { columns: 30 })
    expect(out).toBe('  ✗ Calculate: No calculation results. — Error: Parenthesis ) expected (char 5)\n')
  })

  test('causes that repeat the message, or that throw when read, add nothing and break nothing', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('boom') } })
    expect(messageWithCauses(new PluginError('x', 'Search failed: offline', { cause: new Error('offline') }))).toBe('Search failed: offline')
    expect(messageWithCauses(new PluginError('x', 'failed', { cause: hostile }))).toBe('failed')
    expect(messageWithCauses(Object.create(null))).toBe('')
  })

  test('history shortening is reported once per turn, summed, in words, after the answer', () => {
    const out = render([
      { type: 'turn-start', turn: 3, input: 'q' },
      { type: 'history-compressed', turnsDropped: 0, resultsDropped: 2 },
      { type: 'text-delta', text: 'Answer.' },
      { type: 'history-compressed', turnsDropped: 1, resultsDropped: 0 },
      finish,
    ])
    expect(out).toBe("Answer.\n  (to fit the model's context: the oldest 1 exchange left out, the tool results of 2 earlier exchanges left out; raise --ctx to keep more)\n")
    expect(out.match(/context/g)).toHaveLength(1)
    expect(shortenedNote({ turnsDropped: 0, resultsDropped: 0 })).toBeUndefined()
  })

  test('citation markup is rendered as [N], even when a delta cuts the marker', () => {
    const pieces = 'Shanghai has 24.87 million people<sup><|1|></sup>, Beijing 21.89<sup><|2|></sup>.'
    for (const size of [1, 2, 3, 5, 7]) {
      const events: AgentEvent[] = [{ type: 'turn-start', turn: 1, input: 'q' }]
      for (let i = 0; i < pieces.length; i += size) events.push({ type: 'text-delta', text: pieces.slice(i, i + size) })
      events.push(finish)
      expect(render(events)).toBe('Shanghai has 24.87 million people[1], Beijing 21.89[2].\n')
    }
    // Text that only looks like the start of a marker is shown when the answer ends.
    expect(render([{ type: 'text-delta', text: 'a <b and <|x' }, finish])).toBe('a <b and <|x\n')
    expect(renderCitations('see <|3|> and <sup><|12|></sup>')).toBe('see [3] and [12]')
  })

  test('a context overflow suggests --ctx', () => {
    const error = new BackendError('The conversation does not fit the context of 1024 tokens even without history', {
      code: 'MOSS_ERR_CONTEXT_OVERFLOW',
    })
    expect(render([{ type: 'error', error }, { ...finish, aborted: true }])).toMatch(/^ {2}error: The conversation does not fit .* --ctx 8192/)
  })

  test('colours come from picocolors, only when enabled; NO_COLOR and TERM=dumb turn them off', () => {
    const events: AgentEvent[] = [{ type: 'tool-call', id: 'c', name: 'Calculate', input: '1' }]
    expect(render(events, { color: true })).toBe('\x1b[36m  → Calculate("1")\x1b[39m\n')
    expect(render(events, { color: false })).toBe('  → Calculate("1")\n')
    expect(colorEnabled({}, true)).toBe(true)
    expect(colorEnabled({ NO_COLOR: '1' }, true)).toBe(false)
    expect(colorEnabled({ NO_COLOR: '' }, true)).toBe(true)
    expect(colorEnabled({ TERM: 'dumb' }, true)).toBe(false)
    expect(colorEnabled({}, false)).toBe(false)
    expect(colorEnabled({ FORCE_COLOR: '1' }, false)).toBe(true)
    expect(colorEnabled({ FORCE_COLOR: '1', NO_COLOR: '1' }, true)).toBe(false)
  })

  test('emoji with presentation, and flags, are two columns wide (string-width)', () => {
    expect(displayWidth('⌚☕⚡✅')).toBe(8)
    expect(displayWidth('🇨🇳')).toBe(2)
    expect(displayWidth('\x1b[36mab\x1b[39m')).toBe(2)
  })
})
