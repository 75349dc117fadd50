import { it } from 'vitest'
import { createLlamaCppBackend } from '../../../src/backends/llama-cpp/index.js'
import { createMossFormat, mossCommandsSpan } from '../../../src/formats/index.js'
import { calculator } from '../../../plugins/index.js'
import { getTestModelPath } from '../../helpers/test-model.js'

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'

it('explore', async () => {
  const backend = await createLlamaCppBackend({ model: await getTestModelPath(), threads: 1, gpu: false, contextSize: 2048, maxSessions: 2 })
  const base = createMossFormat()
  const plugins = [calculator()]
  const s = await backend.open()
  await s.append(base.renderSystem(plugins))
  const { parts } = base.beginTurn('What is 2+3?', plugins, 0)
  await s.append(parts)
  for (const gbnf of [
    mossCommandsSpan(plugins).gbnf.replace('root ::=', 'moss ::=') + 'root ::= " None<eot>\\n<|Commands|>:" moss\n',
    'root ::= " 2+3<eot>\\n<|Commands|>: Calculate(\\"2+3\\")<eoc>"',
  ]) {
    for (const temperature of [0, 0.7]) {
    const before = s.tokenCount
    let text = ''
    const g = s.generate({ stop: ['<eoc>', '<eom>', '<eor>'], maxTokens: 60, sampling: { temperature, repeatPenalty: 1, seed: 1 }, constrain: { trigger: '<|Inner Thoughts|>:', gbnf } })
    let r = await g.next()
    while (!r.done) { text += r.value; r = await g.next() }
    console.log(JSON.stringify(text), r.value, s.transcriptTokens.slice(before).map((t) => backend.model.detokenize([t], true)).join('|'))
    await s.reset([...base.renderSystem(plugins), ...parts])
    }
  }
  await backend.dispose()
})
