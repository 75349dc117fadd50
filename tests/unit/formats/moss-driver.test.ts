import { describe, expect, it } from 'vitest'
import type { GenerateOutcome, PromptPart } from '../../../src/backends/types.js'
import { createMossFormat, formatSearchHits, parseMossTranscript, type StepDecision, type TurnRecord } from '../../../src/formats/index.js'
import { MOSS_FORCED_COMMANDS_TOKENS } from '../../../src/formats/moss/markers.js'
import { allBuiltins, calculator, search } from './plugin-stubs.js'

const stop = (marker: string): GenerateOutcome => ({ reason: 'stop', stop: marker, tokens: 10 })
const join = (parts: readonly PromptPart[]) => parts.map((p) => p.text).join('')
/** The step's text in the transcript: the rewrite, or what was generated plus its stop marker. */
const written = (text: string, outcome: GenerateOutcome, decision: StepDecision) =>
  decision.rewrite ?? text + (outcome.reason === 'stop' ? (outcome.stop ?? '') : '')

describe('MOSS turn driver', () => {
  const format = createMossFormat()

  it('runs thought → commands → results → answer and records exactly what was sent', () => {
    const transcript: string[] = [join(format.renderSystem(allBuiltins))]
    const { parts, driver } = format.beginTurn('圆的面积？半径 3', allBuiltins, 0)
    transcript.push(join(parts))
    expect(join(parts).endsWith('<eoh>\n<|Inner Thoughts|>:')).toBe(true)
    expect(driver.firstStep.stop).toEqual(['<eoc>', '<eom>', '<eor>'])
    expect(driver.firstStep.constrain?.trigger).toBe('<|Commands|>:')
    const gen1 = ' 用计算器。<eot>\n<|Commands|>: Calculate("pi*3^2"), Search("圆")'
    const d1 = driver.afterGeneration(gen1, stop('<eoc>'))
    expect(d1.type).toBe('calls')
    if (d1.type !== 'calls') return
    expect(d1.rewrite).toBeUndefined()
    expect(d1.calls.map((c) => c.command)).toEqual(['Search', 'Calculate'])
    transcript.push(written(gen1, stop('<eoc>'), d1))
    const [s, c] = d1.calls
    const next = driver.results([
      { call: c!, ok: true, text: '28.274333882308138' },
      { call: s!, ok: true, text: formatSearchHits(['圆的面积公式是 πr²']) },
    ])
    expect(next.step.stop).toEqual(['<eom>'])
    transcript.push(join(next.parts))
    expect(join(next.parts)).toBe("\n<|Results|>:\nSearch(\"圆\") =>\n<|1|>: '圆的面积公式是 πr²'\nCalculate(\"pi*3^2\") => '28.274333882308138'\n<eor>\n<|MOSS|>:")
    const gen2 = ' 面积约 28.27<sup><|1|></sup>。'
    const d2 = driver.afterGeneration(gen2, stop('<eom>'))
    expect(d2).toEqual({ type: 'done', answer: '面积约 28.27<sup><|1|></sup>。', parts: [{ text: '\n', trusted: true }] })
    transcript.push(written(gen2, stop('<eom>'), d2), join(d2.type === 'done' ? d2.parts : []))
    const record = driver.record()
    expect(record.thought).toBe('用计算器。')
    expect(record.results.map((r) => r.call.command)).toEqual(['Search', 'Calculate'])
    expect(join(format.renderHistory(allBuiltins, [record]))).toBe(transcript.join(''))
  })

  it('continues with the None block when nothing is called', () => {
    const { driver } = format.beginTurn('hi', [search], 0)
    const d = driver.afterGeneration(' 打个招呼即可。<eot>\n<|Commands|>: None', stop('<eoc>'))
    expect(d.type).toBe('continue')
    if (d.type !== 'continue') return
    expect(join(d.parts)).toBe('\n<|Results|>:\nNone\n<eor>\n<|MOSS|>:')
    expect(d.rewrite).toBeUndefined()
  })

  it('repairs a wrong end marker after the commands (halted stream)', () => {
    const { driver } = format.beginTurn('q', [search], 0)
    const d = driver.afterGeneration(' 搜一下<eot>\n<|Commands|>: Search("x")<eot>\n<|Res', { reason: 'aborted', tokens: 9 })
    expect(d.type).toBe('calls')
    expect(d.rewrite).toBe(' 搜一下<eot>\n<|Commands|>: Search("x")<eoc>')
  })

  it('repairs <eor> and a missing <eot>', () => {
    const { driver } = format.beginTurn('q', [search], 0)
    const d = driver.afterGeneration(' 搜一下\n<|Commands|>: Search("x")', stop('<eor>'))
    expect(d.rewrite).toBe(' 搜一下<eot>\n<|Commands|>: Search("x")<eoc>')
  })

  it('keeps an answer written without commands and writes the missing segments', () => {
    const { driver } = format.beginTurn('hi', [search], 0)
    const d = driver.afterGeneration(' 问候。<eot>\n<|MOSS|>: 你好！', stop('<eom>'))
    expect(d.type).toBe('done')
    expect(d.rewrite).toBe(' 问候。<eot>\n<|Commands|>: None<eoc>\n<|Results|>:\nNone\n<eor>\n<|MOSS|>: 你好！<eom>')
    expect(driver.record().answer).toBe('你好！')
  })

  it('without the grammar, ends a thought cut by the token limit with Commands None', () => {
    const { driver } = createMossFormat({ constrainCommands: false }).beginTurn('q', [search], 0)
    const d = driver.afterGeneration(' a very long thought', { reason: 'max-tokens', tokens: 512 })
    expect(d.type).toBe('continue')
    expect(d.rewrite).toBe(' a very long thought<eot>\n<|Commands|>: None<eoc>')
  })

  it('with the grammar, closes a thought cut by the token limit and forces a constrained commands span', () => {
    const { driver } = format.beginTurn('q', [search], 0)
    const d = driver.afterGeneration(' a very long thought', { reason: 'max-tokens', tokens: 512 })
    if (d.type !== 'continue') throw new Error(`expected continue, got ${d.type}`)
    expect(d.rewrite).toBe(' a very long thought<eot>\n<|Commands|>:')
    expect(d.parts).toEqual([])
    expect(d.step.stop).toEqual(['<eoc>'])
    expect(d.step.constrain?.trigger).toBe(driver.firstStep.constrain?.trigger)
    expect(d.step.maxTokens).toBe(MOSS_FORCED_COMMANDS_TOKENS)
    const calls = driver.afterGeneration(' Search("moss")', { reason: 'stop', stop: '<eoc>', tokens: 5 })
    expect(calls).toMatchObject({ type: 'calls', calls: [{ command: 'Search', input: 'moss' }] })
    expect(calls.rewrite).toBeUndefined()
    expect(driver.record()).toMatchObject({ thought: 'a very long thought', commands: 'Search("moss")' })
  })

  it('bounds the grammar of a forced commands span to what its budget holds', () => {
    const { driver } = format.beginTurn('q', [search, calculator], 0)
    const d = driver.afterGeneration(' a very long thought', { reason: 'max-tokens', tokens: 512 })
    if (d.type !== 'continue') throw new Error('expected the forced span')
    expect(d.step.maxTokens).toBe(MOSS_FORCED_COMMANDS_TOKENS)
    // One call with an argument of at most 43 characters: ` Calculate("` + 43 × 4 bytes + `")<eoc>` ≤ 192 tokens.
    expect(d.step.constrain?.gbnf).toContain('body ::= "None" | call\n')
    expect(d.step.constrain?.gbnf).toContain('arg ::= [^"<\\r\\n]{1,43}')
    expect(1 + 'Calculate'.length + 2 + 43 * 4 + 2 + 5).toBeLessThanOrEqual(MOSS_FORCED_COMMANDS_TOKENS)
  })

  it('a forced commands span cut by its budget runs nothing', () => {
    const { driver } = format.beginTurn('q', [search], 0)
    driver.afterGeneration(' a very long thought', { reason: 'max-tokens', tokens: 512 })
    const d = driver.afterGeneration(' Search("and on and on', { reason: 'max-tokens', tokens: 128 })
    expect(d.type).toBe('continue')
    expect(d.rewrite).toBe(' None<eoc>')
    expect(driver.record()).toMatchObject({ thought: 'a very long thought', commands: 'None' })
  })

  it('renders refused calls even when only the run calls are passed back', () => {
    const { driver } = format.beginTurn('q', [search, calculator], 0)
    const d = driver.afterGeneration(' t<eot>\n<|Commands|>: Draw("x"), Calculate("1+1")', stop('<eoc>'))
    if (d.type !== 'calls') throw new Error('expected calls')
    expect(d.rejected.map((r) => r.call.command)).toEqual(['Draw'])
    const next = driver.results([{ call: d.calls[0]!, ok: true, text: '2' }])
    expect(join(next.parts)).toBe('\n<|Results|>:\nCalculate("1+1") => \'2\'\nDraw("x") => Error: Unknown command "Draw". Available commands: Search, Calculate.\n<eor>\n<|MOSS|>:')
  })

  it('closes a cut answer with <eom> through a rewrite', () => {
    const { driver } = format.beginTurn('q', [], 0)
    const d = driver.afterGeneration(' partial answer <e', { reason: 'max-tokens', tokens: 512 })
    expect(d).toMatchObject({ type: 'done', answer: 'partial answer', rewrite: ' partial answer<eom>' })
  })

  it('uses one answer generation without plugins, as the no-plugin SFT samples', () => {
    const { parts, driver } = format.beginTurn('你好', [], 0)
    expect(join(parts)).toBe('<|Human|>: 你好<eoh>\n<|Inner Thoughts|>: None<eot>\n<|Commands|>: None<eoc>\n<|Results|>: None<eor>\n<|MOSS|>:')
    expect(driver.firstStep.stop).toEqual(['<eom>'])
    expect(driver.firstStep.constrain).toBeUndefined()
    driver.afterGeneration(' 你好！', stop('<eom>'))
    const text = join(format.renderHistory([], [driver.record()]))
    expect(parseMossTranscript(text).turns[0]?.record.answer).toBe('你好！')
    expect(text.endsWith('<|MOSS|>: 你好！<eom>\n')).toBe(true)
  })

  it('drops old results in compressed history', () => {
    const turn: TurnRecord = { human: 'q', thought: 't', commands: 'Calculate("1")', results: [], resultsText: "<|Results|>:\nCalculate(\"1\") => '1'\n<eor>\n", answer: 'a' }
    const text = join(format.renderHistory([calculator], [turn, turn], { compressedResults: new Set([0]) }))
    const parsed = parseMossTranscript(text)
    expect(parsed.turns[0]?.resultsBlock).toBe('<|Results|>: None<eor>\n')
    expect(parsed.turns[1]?.resultsBlock).toBe(turn.resultsText)
  })

  it('omits the grammar when constrainCommands is false', () => {
    expect(createMossFormat({ constrainCommands: false }).beginTurn('q', [search], 0).driver.firstStep.constrain).toBeUndefined()
  })
})
