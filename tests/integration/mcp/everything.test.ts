/**
 * server-everything (the MCP reference server, a devDependency) as a plugin source, over stdio and over Streamable
 * HTTP, through the agent with a scripted model in MOSS and in ChatML/Hermes: a call with several arguments, an image result, structured
 * content, an `isError` result and progress notifications.
 */
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAgent } from '../../../src/agent/create-agent.js'
import type { Agent } from '../../../src/agent/types.js'
import { mcpServer } from '../../../src/mcp/index.js'
import type { McpServerOptions } from '../../../src/mcp/index.js'
import { ScriptedBackend, collectEvents, eventsOfType } from '../../../src/testing/index.js'
import { EVERYTHING, FORMATS, startEverythingHttp, tempDir } from './servers.js'


const transports: { name: string; options: () => Promise<{ server: McpServerOptions; stop: () => Promise<void> }> }[] = [
  {
    name: 'stdio',
    options: async () => ({ server: { name: 'everything', command: process.execPath, args: [EVERYTHING, 'stdio'] }, stop: async () => undefined }),
  },
  {
    name: 'streamable HTTP',
    options: async () => {
      const http = await startEverythingHttp()
      return { server: { name: 'everything', url: http.url }, stop: http.stop }
    },
  },
]

const cases = transports.flatMap((transport) => FORMATS.map((script) => ({ ...transport, script, format: script.format })))

describe.each(cases)('server-everything over $name in $format', ({ options, script }) => {
  const { call, answer } = script
  let stop: () => Promise<void>
  let server: McpServerOptions
  let images: Awaited<ReturnType<typeof tempDir>>
  let backend: ScriptedBackend
  let agent: Agent

  beforeAll(async () => {
    ;({ server, stop } = await options())
    images = await tempDir('moss-mcp-images-')
    backend = new ScriptedBackend([], { chunkSize: 'random', seed: 5 })
    agent = createAgent({ backend, format: script.format, plugins: [mcpServer({ ...server, imageDir: images.path })] })
    await agent.ready()
  }, 30_000)

  afterAll(async () => {
    await agent?.dispose()
    await stop?.()
    await images?.cleanup()
  })

  it('lists the server tools with their schemas, and the format shows them', async () => {
    expect(agent.sources).toEqual([expect.objectContaining({ name: 'everything', status: { state: 'ready' } })])
    const sum = agent.plugins.find((p) => p.name === 'get-sum')
    expect(sum?.parameters.properties).toEqual({
      a: { type: 'number', description: 'First number' },
      b: { type: 'number', description: 'Second number' },
    })
    await agent.createSession()
    expect(backend.text).toContain(
      script.format === 'moss' ? '- get-sum: enabled. API: get_sum({"a": number, "b": number}) (tool get-sum)\n' : '"name": "get-sum"',
    )
  })

  it('calls a tool with several arguments', async () => {
    backend.push(call('get-sum', { a: 2, b: 3.5 }), answer('5.5.'))
    const session = await agent.createSession()
    const events = await collectEvents(session.send('2 + 3.5?'))
    expect(eventsOfType(events, 'tool-result').map((e) => e.output)).toEqual(['The sum of 2 and 3.5 is 5.5.'])
    expect(backend.text).toContain('The sum of 2 and 3.5 is 5.5.')
    expect(eventsOfType(events, 'turn-finish')[0]?.text).toBe('5.5.')
  })

  it('writes an image result to the image folder, typed by its bytes', async () => {
    backend.push(call('get-tiny-image', {}), answer('Here it is.'))
    const session = await agent.createSession()
    const events = await collectEvents(session.send('show me the logo'))
    const [image] = eventsOfType(events, 'image')
    expect(image?.mimeType).toBe('image/png')
    expect(image?.path.startsWith(images.path)).toBe(true)
    const bytes = await readFile(image?.path ?? '')
    expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47])
    expect(eventsOfType(events, 'tool-result')[0]?.output).toBe("Here's the image you requested:\nThe image above is the MCP logo.")
  })

  it('returns structured content', async () => {
    const tool = agent.plugins.find((p) => p.name === 'get-structured-content')
    const output = await tool?.run('New York')
    const data = output?.data
    expect(data).toEqual({ temperature: expect.any(Number), conditions: expect.any(String), humidity: expect.any(Number) })
    expect(JSON.parse(output?.text ?? '')).toEqual(data)
  })

  it('shows an isError result to the model as an error, and the turn goes on', async () => {
    backend.push(call('get-resource-reference', { resourceId: 0 }), answer('That failed.'))
    const session = await agent.createSession()
    const events = await collectEvents(session.send('resource 0?'))
    const [error] = eventsOfType(events, 'tool-error')
    expect(error?.error.code).toBe('MOSS_ERR_PLUGIN_FAILED')
    expect(error?.error.message).toBe('Tool "get-resource-reference" reported an error: Invalid resourceId: 0. Must be a finite positive integer.')
    expect(eventsOfType(events, 'turn-finish')[0]).toMatchObject({ text: 'That failed.', aborted: false })
    expect(backend.text).toContain('Invalid resourceId: 0')
  })

  it('arguments that break the tool schema never reach the server: the model reads why', async () => {
    backend.push(call('get-sum', { a: 'two', b: 3 }), answer('Wrong type.'))
    const session = await agent.createSession()
    const events = await collectEvents(session.send('two + 3?'))
    const [error] = eventsOfType(events, 'tool-error')
    expect(error?.error.message).toContain('arguments/a must be number')
    expect(eventsOfType(events, 'turn-finish')[0]?.text).toBe('Wrong type.')
  })

  it('forwards progress notifications as tool-progress events', async () => {
    backend.push(call('trigger-long-running-operation', { duration: 0.9, steps: 3 }), answer('Done.'))
    const session = await agent.createSession()
    const events = await collectEvents(session.send('run the long operation'))
    // The SDK handles a notification a microtask after it arrives but a response at once, and forgets a request's
    // progress handler with its response: reports that reach the client in the same read as the result are dropped
    // (the last one usually is; on a loaded machine the server may send more of them together). The first report
    // comes 0.3 s before anything else.
    const reports = eventsOfType(events, 'tool-progress').map((e) => [e.progress, e.total])
    expect(reports[0]).toEqual([1, 3])
    expect(reports).toEqual(reports.map((_, i) => [i + 1, 3]))
    expect(eventsOfType(events, 'tool-result')[0]?.output).toMatch(/^Long running operation completed/)
  })
})
