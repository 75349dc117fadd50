/** The tiny model's training data: switch notes, enabled/disabled twins, and which parts carry the loss. */
import { describe, expect, it } from 'vitest'
import { createMossFormat } from '../../../src/formats/index.js'
import { makeDialogue, makeTwins, withSwitchNote, type CallRunner } from '../../../tools/tiny-moss/generator/dialogue.js'
import { echoTurn } from '../../../tools/tiny-moss/generator/echo.js'
import { Rng } from '../../../tools/tiny-moss/generator/rng.js'
import { dialogueParts } from '../../../tools/tiny-moss/render.js'

/** Stands in for the real calculator and solver: the data's shape, not the values, is under test here. */
const run: CallRunner = (command, input) => Promise.resolve({ ok: true, text: `${command}:${input}` })

describe('tiny-moss training data', () => {
  it('opens the thought with the switch line of the plugin the request needs', () => {
    const base = { lang: 'en' as const, human: 'q', thought: 'Thinking.', answer: () => 'a', requires: [] }
    expect(withSwitchNote({ ...base, kind: 'calculate', calls: [{ command: 'Calculate', input: '1+1' }] }).thought).toBe('Calculator: enabled. Thinking.')
    expect(withSwitchNote({ ...base, kind: 'disabled', calls: [], disabledCommand: 'Text2Image' }).thought).toBe('Text-to-image: disabled. Thinking.')
    expect(withSwitchNote({ ...base, kind: 'chat', calls: [] }).thought).toBe('Thinking.')
  })

  it('echo drills answer with exactly the words the user gave, calling nothing', () => {
    const rng = new Rng(2)
    for (let i = 0; i < 40; i++) {
      const turn = echoTurn(rng, i % 2 === 0 ? 'en' : 'zh', 'train')
      const words = turn.answer([])
      expect(words.length).toBeGreaterThan(0)
      expect(turn.human.endsWith(words)).toBe(true)
      expect(turn.calls).toEqual([])
    }
  })

  it('twins differ only in one switch: called when enabled, refused when disabled', async () => {
    const rng = new Rng(11)
    for (let i = 0; i < 40; i++) {
      const [on, off] = await makeTwins(rng, 'train', run)
      const command = on.specs[0]!.calls[0]!.command
      expect(on.turns[0]!.human).toBe(off.turns[0]!.human)
      expect(on.enabled).toContain(command)
      expect(off.enabled).not.toContain(command)
      expect([...on.enabled].filter((c) => c !== command)).toEqual([...off.enabled])
      expect(on.turns[0]!.commands).toMatch(new RegExp(`^${command}\\("`))
      expect(off.turns[0]!.commands).toBe('None')
      expect(off.specs[0]!.disabledCommand).toBe(command)
    }
  })

  it('trains on thoughts, commands and answers, but not on answers whose results were compressed away', async () => {
    const format = createMossFormat()
    const rng = new Rng(5)
    let checked = 0
    for (let i = 0; i < 300 && checked < 5; i++) {
      const d = await makeDialogue(rng, 'train', run)
      const compressedWithResults = [...d.compressed].filter((t) => d.turns[t]!.results.length > 0)
      if (compressedWithResults.length === 0) continue
      checked++
      const parts = dialogueParts(format, d)
      const targets = parts.filter((p) => p.target).map((p) => p.text)
      for (const t of compressedWithResults) expect(targets).not.toContain(` ${d.turns[t]!.answer}<eom>`)
      const last = d.turns[d.turns.length - 1]!
      expect(targets).toContain(` ${last.answer}<eom>`)
      // Every target is something the model writes after a prefill: never the human's text or a results block.
      for (const p of parts.filter((part) => part.target)) expect(p.trusted).toBe(true)
      expect(targets.some((text) => text.includes('<|Results|>'))).toBe(false)
    }
    expect(checked).toBe(5)
  })
})
