import { expect, test } from 'vitest'
import { createAgent } from 'moss-agent'
import { ScriptedBackend, collectEvents, eventsOfType } from 'moss-agent/testing'
import { countText, wordStats } from './word-stats.js'

test('counts English and Chinese text', () => {
  expect(countText('Hello world. How are you?')).toEqual({ characters: 21, words: 5, sentences: 2 })
  expect(countText('今天天气很好。我们去公园吧！').sentences).toBe(2)
  expect(countText('今天天气很好。').words).toBeGreaterThanOrEqual(3)
})

test('can be called directly, and rejects oversized input', async () => {
  const plugin = wordStats({ maxChars: 20 })
  expect((await plugin.run('one two three')).text).toBe('11 characters, 3 words, 1 sentences')
  await expect(plugin.run('x'.repeat(21))).rejects.toThrow(/longer than 20/)
})

test('the model can call it through the agent', async () => {
  const backend = new ScriptedBackend([
    ' Count the words.<eot>\n<|Commands|>: WordStats("to be or not to be")<eoc>',
    ' Six words.<eom>',
  ])
  const agent = createAgent({ backend, plugins: [wordStats()] })
  const session = await agent.createSession()
  const events = await collectEvents(session.send('How many words in "to be or not to be"?'))
  const [result] = eventsOfType(events, 'tool-result')
  expect(result?.output).toBe('13 characters, 6 words, 1 sentences')
  expect(eventsOfType(events, 'turn-finish')[0]?.text).toBe('Six words.')
  // The custom plugin is listed in the meta instruction the model saw.
  expect(backend.text).toContain('WordStats(text)')
  await session.dispose()
  await agent.dispose()
  await backend.dispose()
})
