import { describe, expect, it } from 'vitest'
import { createMossScanner, MOSS_STRUCTURAL_MARKERS, type ScanEvent } from '../../../src/formats/index.js'

interface Case {
  readonly start: 'thought' | 'answer'
  readonly text: string
  readonly thought?: string
  readonly commands?: string
  readonly answer?: string
  readonly halt: boolean
}

const thoughts = [
  '需要搜索一下北斗导航系统的基本原理。',
  'Compute 3 < 5 and 7 > 2 first.',
  'None',
  'Emoji 📢 and 𠀋 astral CJK.',
  'A citation-like <|1|> inside a thought and a lone <e.',
  'Tricky <eo and <|Res prefixes that never complete.',
]
const commands = ['Search("北斗 基本原理")', 'Calculate("pi*3^2*20"), Calculate("3<4")', 'None', 'Solve("x+y=1;x-y=0")']
const answers = [
  '北斗导航系统的基本工作原理是“双星定位”<sup><|1|></sup>。',
  'The answer is 42, and 1 < 2 holds.',
  'Line one\nLine two with \uFFFD in the middle.',
  '好的，这是为您生成的图片。',
  'Use <b>bold</b> and <|2|> citations <| freely.',
]

function cases(): Case[] {
  const out: Case[] = []
  for (const thought of thoughts) {
    for (const cmd of commands) out.push({ start: 'thought', text: ` ${thought}<eot>\n<|Commands|>: ${cmd}`, thought, commands: cmd, halt: false })
    // A wrong end marker after the commands must halt; nothing after it may leak.
    out.push({ start: 'thought', text: ` ${thought}<eot>\n<|Commands|>: Search("x")<eot>\n<|Results|>: forged`, thought, commands: 'Search("x")', halt: true })
    // The model skips the commands and answers.
    out.push({ start: 'thought', text: ` ${thought}<eot>\n<|MOSS|>: Hi there<eom>junk`, thought, answer: 'Hi there', halt: true })
    // Missing <eot> before the commands.
    out.push({ start: 'thought', text: ` ${thought}\n<|Commands|>: None`, thought: `${thought}\n`, commands: 'None', halt: false })
    // Role drift: a new human turn inside the thought.
    out.push({ start: 'thought', text: ` ${thought}<eoh>\n<|Human|>: more`, thought, halt: true })
  }
  for (const answer of answers) {
    out.push({ start: 'answer', text: ` ${answer}`, answer, halt: false })
    out.push({ start: 'answer', text: ` ${answer}<eot>\n<|Commands|>: x`, answer, halt: true })
    out.push({ start: 'answer', text: ` ${answer}\n<|Human|>: next question`, answer: `${answer}\n`, halt: true })
    out.push({ start: 'answer', text: answer, answer, halt: false })
  }
  // A trailing broken character and a trailing marker prefix are cut off at the end of the generation.
  out.push({ start: 'answer', text: ' ends with a broken char \uFFFD', answer: 'ends with a broken char ', halt: false })
  out.push({ start: 'answer', text: ' ends with a cut marker <eo', answer: 'ends with a cut marker ', halt: false })
  out.push({ start: 'answer', text: ' 𠀋', answer: '𠀋', halt: false })
  out.push({ start: 'thought', text: ' x<eot>\nstray text<|Commands|>: None', thought: 'x', halt: true })
  return out
}

function run(c: Case, chunks: readonly string[]) {
  const scanner = createMossScanner(c.start)
  const events: ScanEvent[] = []
  for (const chunk of chunks) events.push(...scanner.push(chunk))
  events.push(...scanner.end())
  const sections: Record<string, string> = {}
  for (const event of events) if (event.kind !== 'halt') sections[event.kind] = (sections[event.kind] ?? '') + event.text
  return { events, sections }
}

const PARTIALS = MOSS_STRUCTURAL_MARKERS.flatMap((m) => Array.from({ length: m.length - 1 }, (_, i) => m.slice(0, i + 1))).filter((p) => p.length > 1)

/** Problems found in one run (collected as strings: one `expect` per run keeps thousands of runs fast). */
function problems(c: Case, chunks: readonly string[]): string[] {
  const { events, sections } = run(c, chunks)
  const found: string[] = []
  for (const event of events) {
    if (event.kind === 'halt') continue
    for (const marker of MOSS_STRUCTURAL_MARKERS) if (event.text.includes(marker)) found.push(`${marker} leaked`)
    if (/[\uD800-\uDBFF]$/.test(event.text)) found.push('lone high surrogate')
    if (event.text.endsWith('\uFFFD')) found.push('trailing U+FFFD')
    for (const partial of PARTIALS) {
      // A partial marker at the end of an event is only allowed when the section itself contains that text.
      if (event.text.endsWith(partial) && !c[event.kind]?.includes(partial)) found.push(`partial ${partial} leaked`)
    }
  }
  for (const kind of ['thought', 'commands', 'answer'] as const) {
    if (sections[kind] !== c[kind]) found.push(`${kind}: ${JSON.stringify(sections[kind])} != ${JSON.stringify(c[kind])}`)
  }
  const halts = events.filter((e) => e.kind === 'halt').length
  if (halts !== (c.halt ? 1 : 0)) found.push(`${halts} halt events`)
  return found.map((f) => `${f} in ${JSON.stringify(chunks)}`)
}

function check(c: Case, chunks: readonly string[], sink: string[]): void {
  if (sink.length < 5) sink.push(...problems(c, chunks))
}

describe('MOSS stream scanner', () => {
  const all = cases()

  it('has at least 50 transcripts', () => {
    expect(all.length).toBeGreaterThanOrEqual(50)
  })

  it('gives the same sections for every single split point', () => {
    const sink: string[] = []
    for (const c of all) {
      check(c, [c.text], sink)
      for (let i = 1; i < c.text.length; i++) check(c, [c.text.slice(0, i), c.text.slice(i)], sink)
    }
    expect(sink).toEqual([])
  })

  it('gives the same sections for every 2- and 3-way split of short transcripts', () => {
    const short = all.filter((c) => c.text.length <= 36)
    expect(short.length).toBeGreaterThan(5)
    const sink: string[] = []
    for (const c of short) {
      const n = c.text.length
      for (let i = 1; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          check(c, [c.text.slice(0, i), c.text.slice(i, j), c.text.slice(j)], sink)
          if (n <= 24) for (let k = j + 1; k < n; k++) check(c, [c.text.slice(0, i), c.text.slice(i, j), c.text.slice(j, k), c.text.slice(k)], sink)
        }
      }
    }
    expect(sink).toEqual([])
  })

  it('streams character by character', () => {
    const sink: string[] = []
    for (const c of all) check(c, Array.from(c.text), sink)
    expect(sink).toEqual([])
  })

  it('detects a wrong expectation (the harness can fail)', () => {
    const c = all[0] as Case
    expect(problems({ ...c, thought: `${c.thought ?? ''}x` }, [c.text]).length).toBe(1)
  })

  it('ignores everything after a halt', () => {
    const scanner = createMossScanner('answer')
    expect(scanner.push(' hi<eoh>')).toEqual([{ kind: 'answer', text: 'hi' }, { kind: 'halt' }])
    expect(scanner.push('more text')).toEqual([])
    expect(scanner.end()).toEqual([])
  })

  it('emits a held U+FFFD once more text shows it was not a cut character', () => {
    const scanner = createMossScanner('answer')
    expect(scanner.push(' a\uFFFD')).toEqual([{ kind: 'answer', text: 'a' }])
    expect(scanner.push('b')).toEqual([{ kind: 'answer', text: '\uFFFDb' }])
  })
})
