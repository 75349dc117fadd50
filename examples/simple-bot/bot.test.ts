import { expect, test } from 'vitest'
import { ScriptedBackend } from 'moss-agent/testing'
import { chat } from './bot.js'

test('the simple bot streams answers and shows tool calls', async () => {
  const backend = new ScriptedBackend([
    ' Multiply.<eot>\n<|Commands|>: Calculate("23*47")<eoc>',
    ' 23 × 47 = 1081.<eom>',
    ' None<eot>\n<|Commands|>: None<eoc>',
    ' 你好！<eom>',
  ])
  let out = ''
  await chat(backend, ['What is 23 * 47?', '你好'], (text) => (out += text))
  expect(out).toBe('> What is 23 * 47?\n[Calculate(23*47)]\n23 × 47 = 1081.\n> 你好\n你好！\n')
  await backend.dispose()
})
