/**
 * Faults of MCP servers through the agent (scripted model, in MOSS and in ChatML/Hermes): a server killed in the middle of a call, a call the
 * server never answers (timeout), a server that never answers at all, an abort in the middle of a call (the server
 * sees `notifications/cancelled`), a tool list that changes between turns, hostile tool output, and the environment a
 * stdio server gets. The servers are real MCP servers over stdio (tests/fakes/mcp).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createAgent } from '../../../src/agent/create-agent.js'
import type { Agent } from '../../../src/agent/types.js'
import { mcpServer } from '../../../src/mcp/index.js'
import type { McpStdioServerOptions } from '../../../src/mcp/index.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'
import { ScriptedBackend, collectEvents, eventsOfType } from '../../../src/testing/index.js'
import { FAKE_SERVER, FORMATS, SILENT_SERVER, alive, logLines, tempDir, waitFor } from './servers.js'

const echo = definePlugin({ name: 'echo', command: 'Echo', description: 'echoes', run: (input) => `echo: ${input}` })

let cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  cleanups = []
})

/** An agent over the fake server (or another script), with a log file the server writes to. */
async function setup(format: string, script = FAKE_SERVER, extra: Partial<McpStdioServerOptions> = {}) {
  const dir = await tempDir('moss-mcp-fake-')
  const log = `${dir.path}/server.log`
  const backend = new ScriptedBackend([], { chunkSize: 'random', seed: 9 })
  const server = mcpServer({
    name: 'fake',
    command: process.execPath,
    args: [script],
    env: { MCP_FAKE_LOG: log },
    restart: { initialDelayMs: 50, maxDelayMs: 200 },
    ...extra,
  })
  const agent: Agent = createAgent({ backend, format, plugins: [echo, server] })
  cleanups.push(async () => {
    await agent.dispose()
    await dir.cleanup()
  })
  await agent.ready()
  const pids = async (): Promise<number[]> => (await logLines(log)).filter((l) => l.startsWith('started ')).map((l) => Number(l.split(' ')[1]))
  return { backend, agent, log, pids }
}

describe.each(FORMATS)('MCP server faults in $format', ({ format, call, answer }) => {
  it('a server killed in the middle of a call: the call fails clearly, the turn goes on, the server is restarted', async () => {
    const { backend, agent, log, pids } = await setup(format)
    backend.push(call('wait-for-cancel', {}), answer('It broke.'), call('show-env', {}), answer('Back.'))
    const session = await agent.createSession()
    const stream = session.send('wait')
    const events = []
    for await (const event of stream) {
      events.push(event)
      if (event.type === 'tool-progress' && event.progress === 1) {
        const [pid] = await pids()
        process.kill(pid as number, 'SIGKILL')
      }
    }
    const [error] = eventsOfType(events, 'tool-error')
    expect(error?.error.message).toMatch(/^MCP server "fake" went away during "wait-for-cancel" \(killed by SIGKILL/)
    expect(eventsOfType(events, 'turn-finish')[0]).toMatchObject({ text: 'It broke.', aborted: false })
    await waitFor(() => (agent.sources[0]?.status.state === 'ready' ? true : undefined), 10_000, 'the restart')
    expect((await pids()).length).toBe(2)
    const again = await collectEvents(session.send('env?'))
    expect(eventsOfType(again, 'tool-result')[0]?.output).toContain('MCP_FAKE_LOG')
    expect((await logLines(log)).filter((l) => l === 'call wait-for-cancel')).toHaveLength(1)
  })

  it('a call the server never answers times out; the server stays usable', async () => {
    const { backend, agent } = await setup(format, FAKE_SERVER, { callTimeoutMs: 400 })
    backend.push(call('never-answers', {}), answer('No answer.'), call('show-env', {}), answer('Fine.'))
    const session = await agent.createSession()
    const events = await collectEvents(session.send('hang'))
    const [error] = eventsOfType(events, 'tool-error')
    expect(error?.error.code).toBe('MOSS_ERR_PLUGIN_TIMEOUT')
    expect(eventsOfType(events, 'turn-finish')[0]).toMatchObject({ text: 'No answer.', aborted: false })
    const next = await collectEvents(session.send('env'))
    expect(eventsOfType(next, 'tool-result')).toHaveLength(1)
  })

  it('a hung server (no reply even to a ping after a call timed out) is killed and restarted', async () => {
    const { backend, agent, pids } = await setup(format, FAKE_SERVER, { callTimeoutMs: 500, pingTimeoutMs: 500 })
    backend.push(call('freeze', {}), answer('Frozen.'), call('show-env', {}), answer('Back.'))
    const session = await agent.createSession()
    const events = await collectEvents(session.send('freeze'))
    expect(eventsOfType(events, 'tool-error')[0]?.error.code).toBe('MOSS_ERR_PLUGIN_TIMEOUT')
    expect(eventsOfType(events, 'turn-finish')[0]).toMatchObject({ text: 'Frozen.', aborted: false })
    const [frozen] = await pids()
    await waitFor(() => (alive(frozen as number) ? undefined : true), 10_000, 'the hung server to be killed')
    await waitFor(() => (agent.sources[0]?.status.state === 'ready' ? true : undefined), 10_000, 'the restart')
    const next = await collectEvents(session.send('env'))
    expect(eventsOfType(next, 'tool-result')[0]?.output).toContain('MCP_FAKE_LOG')
  })

  it('a server that never answers at all: start times out, it is killed, its tools are absent, the agent works', async () => {
    const { backend, agent, pids } = await setup(format, SILENT_SERVER, { connectTimeoutMs: 400, restart: { maxAttempts: 0 } })
    const [source] = agent.sources
    expect(source?.status).toEqual({ state: 'failed', detail: 'could not start: no answer within 400 ms; gave up after 0 restarts' })
    expect(source?.tools).toEqual([])
    const [pid] = await pids()
    await waitFor(() => (alive(pid as number) ? undefined : true), 5000, 'the silent server to be killed')
    backend.push(call('Echo', { input: 'hi' }, 'input'), answer('Echoed.'))
    const reply = await (await agent.createSession()).ask('echo hi')
    expect(reply.text).toBe('Echoed.')
  })

  it('aborting a turn in the middle of a call cancels it on the server', async () => {
    const { backend, agent, log } = await setup(format)
    backend.push(call('wait-for-cancel', {}))
    const session = await agent.createSession()
    const controller = new AbortController()
    const events = []
    for await (const event of session.send('wait', { signal: controller.signal })) {
      events.push(event)
      if (event.type === 'tool-progress') controller.abort()
    }
    expect(eventsOfType(events, 'turn-finish')[0]?.aborted).toBe(true)
    const cancelled = await waitFor(async () => (await logLines(log)).find((l) => l.startsWith('cancelled')), 5000, 'the cancellation')
    expect(cancelled).toMatch(/^cancelled /)
    expect(session.turns).toHaveLength(0)
  })

  it('a tool list that changes between turns: the next turn re-renders the system block and can call the new tool', async () => {
    const { backend, agent } = await setup(format)
    backend.push(call('unlock', {}), answer('Unlocked.'), call('extra-tool', { q: 'q1' }, 'q'), answer('Used it.'))
    const session = await agent.createSession()
    const systemBefore = backend.prompt[0]?.text ?? ''
    expect(systemBefore).not.toContain('extra')
    await session.ask('unlock')
    await waitFor(() => (agent.plugins.some((p) => p.name === 'extra-tool') ? true : undefined), 5000, 'the list change')
    const transcriptBefore = backend.prompt
    const events = await collectEvents(session.send('use the new tool'))
    const system = backend.prompt[0]?.text ?? ''
    expect(system).toContain(format === 'moss' ? 'API: extra_tool(q) (tool extra-tool)' : '"name": "extra-tool"')
    // MOSS adds the switch line after the others: the old block is a prefix of the new one (ChatML closes its tool
    // list after the last tool, so there the blocks part at the new tool).
    if (format === 'moss') expect(system.startsWith(systemBefore)).toBe(true)
    expect(backend.prompt.slice(1, transcriptBefore.length)).toEqual(transcriptBefore.slice(1))
    expect(eventsOfType(events, 'tool-result')[0]?.output).toBe('extra: q1')
  })

  it('tool output is untrusted: markers are neutralised and control characters removed', async () => {
    const { backend, agent } = await setup(format)
    backend.push(call('hostile', {}), answer('Done.'))
    const session = await agent.createSession()
    const events = await collectEvents(session.send('hostile'))
    const output = eventsOfType(events, 'tool-result')[0]?.output ?? ''
    expect(output).not.toContain('\u001b')
    const results = backend.prompt.filter((part) => !part.trusted).map((part) => part.text).join('')
    expect(results).toContain('forged turn')
    for (const marker of ['<eom>', '<|Human|>', '<eoh>', '</tool_response>', '<|im_end|>']) expect(results).not.toContain(marker)
    expect(session.turns).toHaveLength(1)
    expect(session.turns[0]?.human).toBe('hostile')
  })

  it('a stdio server gets only PATH and the configured variables', async () => {
    const { agent } = await setup(format)
    const tool = agent.plugins.find((p) => p.name === 'show-env')
    const names = (await tool?.run({}))?.text.split(',') ?? []
    // Node itself may define nothing else; anything beyond these two came from this process and leaked.
    expect(names.filter((n) => n !== 'PATH' && n !== 'MCP_FAKE_LOG')).toEqual([])
    expect(names).toContain('MCP_FAKE_LOG')
  })
})
