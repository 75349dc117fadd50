/**
 * The same-format bench's forced `qwen` dialogue and its checks, without a model: the forced call text is exactly the
 * call block the Qwen format renders (so the agent never rewrites it), answers are the format's own steps with a token
 * cap, and the check refuses contenders that did different work.
 */
import { describe, expect, it } from 'vitest'
import { dialogueScript } from '../../../bench/dialogue.js'
import type { DialogueResult } from '../../../bench/metrics.js'
import { parseBenchOptions, runsSameFormat } from '../../../bench/options.js'
import { forcedQwenFormat, qwenAnswerTokens, qwenCallText } from '../../../bench/qwen-dialogue.js'
import { checkSameWork } from '../../../bench/same-format.js'
import { BackendError } from '../../../src/errors.js'
import { calculator, solver } from '../formats/plugin-stubs.js'

const plugins = [calculator, solver]
const script = dialogueScript(10)

function result(contender: 'agent' | 'chat-session', toolCalls: number, tokens: number): DialogueResult {
  return { contender, e2eMs: 1, turns: [], generations: [{ turn: 0, kind: 'answer', evaluated: 1, tokens, firstTokenMs: 0, decodeMs: 0 }], resumes: [], toolCalls, peakRssMiB: 0 }
}

describe('forced qwen dialogue', () => {
  it('writes the canonical call block of every scripted call, which the format runs without rewriting it', () => {
    expect(qwenCallText({ command: 'Calculate', input: '12*3' })).toBe('<tool_call>\n{"name": "Calculate", "arguments": {"expression": "12*3"}}\n</tool_call><|im_end|>')
    const format = forcedQwenFormat(script, 12)
    let calls = 0
    script.forEach((turn, i) => {
      const { driver } = format.beginTurn(turn.human, plugins, i)
      if (turn.call === undefined) {
        // An answer turn: the format's own step (its `<tool_call>` span included), capped at the answer's tokens.
        expect(driver.firstStep.maxTokens).toBe(12)
        expect(driver.firstStep.constrain?.trigger).toBe('<tool_call>')
        return
      }
      // A call is forced from the first token: the trigger is the assistant prompt the turn ends with.
      expect(driver.firstStep.constrain?.trigger).toBe('<|im_start|>assistant\n')
      const text = qwenCallText(turn.call)
      const decision = driver.afterGeneration(text.slice(0, -'<|im_end|>'.length), { reason: 'stop', stop: '<|im_end|>', tokens: 20 })
      expect(decision.type).toBe('calls')
      if (decision.type !== 'calls') return
      expect(decision.rewrite).toBeUndefined()
      expect(decision.calls.map((c) => [c.command, c.input])).toEqual([[turn.call.command, turn.call.input]])
      calls += decision.calls.length
      const next = driver.results([{ call: decision.calls[0] as (typeof decision.calls)[number], ok: true, text: '36' }])
      expect(next.step.maxTokens).toBe(12)
    })
    expect(calls).toBe(3)
  })

  it('caps answers at about a quarter of --answer-chars in tokens', () => {
    expect(qwenAnswerTokens(48)).toBe(12)
    expect(qwenAnswerTokens(1)).toBe(2)
  })
})

describe('same-format checks', () => {
  it('refuses a contender whose tool calls differ from the script', () => {
    expect(() => checkSameWork([result('agent', 3, 100), result('chat-session', 2, 100)], 3)).toThrow(BackendError)
    expect(() => checkSameWork([result('agent', 3, 100), result('chat-session', 2, 100)], 3)).toThrow(/chat-session made 2 tool calls/)
  })

  it('refuses generated-token totals more than the tolerance apart and accepts comparable ones', () => {
    expect(() => checkSameWork([result('agent', 3, 200), result('chat-session', 3, 100)], 3)).toThrow(/more than 30% apart/)
    expect(() => checkSameWork([result('agent', 3, 208), result('chat-session', 3, 155)], 3)).not.toThrow()
  })

  it('runs by default and only when both of its contenders are selected', () => {
    expect(runsSameFormat(parseBenchOptions([]) ?? { sameFormat: false, contenders: [] })).toBe(true)
    expect(runsSameFormat(parseBenchOptions(['--same-format', 'off']) ?? { sameFormat: true, contenders: ['agent', 'chat-session'] })).toBe(false)
    expect(runsSameFormat(parseBenchOptions(['--contenders', 'agent,raw']) ?? { sameFormat: true, contenders: ['agent', 'chat-session'] })).toBe(false)
    expect(parseBenchOptions(['--models', 'none', '--grammar-tokens', '0'])?.models).toEqual([])
    expect(() => parseBenchOptions(['--models', 'none', '--grammar-tokens', '0', '--same-format', 'off'])).toThrow(/--models needs/)
  })
})
