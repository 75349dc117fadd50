/**
 * server-filesystem (a real MCP server, a devDependency; it speaks stdio only) over a temporary folder, through the
 * agent in MOSS: reading a file with Chinese text, an `isError` result for a path outside the allowed folder.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAgent } from '../../../src/agent/create-agent.js'
import type { Agent } from '../../../src/agent/types.js'
import { mcpServer } from '../../../src/mcp/index.js'
import { ScriptedBackend, collectEvents, eventsOfType } from '../../../src/testing/index.js'
import { FILESYSTEM, tempDir } from './servers.js'

const first = (commands: string): string => ` None<eot>\n<|Commands|>: ${commands}<eoc>`
const answer = (text: string): string => ` ${text}<eom>`

describe('server-filesystem over stdio', () => {
  let folder: Awaited<ReturnType<typeof tempDir>>
  let backend: ScriptedBackend
  let agent: Agent

  beforeAll(async () => {
    folder = await tempDir('moss-mcp-fs-')
    await writeFile(join(folder.path, 'notes.txt'), '会议在周三下午三点。\nMeeting on Wednesday at 3 pm.\n')
    backend = new ScriptedBackend([], { chunkSize: 'random', seed: 2 })
    agent = createAgent({ backend, plugins: [mcpServer({ name: 'fs', command: process.execPath, args: [FILESYSTEM, folder.path] })] })
    await agent.ready()
  }, 30_000)

  afterAll(async () => {
    await agent?.dispose()
    await folder?.cleanup()
  })

  it('offers its tools', () => {
    expect(agent.sources[0]?.status).toEqual({ state: 'ready' })
    const names = agent.plugins.map((p) => p.name)
    expect(names).toEqual(expect.arrayContaining(['read_text_file', 'list_directory', 'write_file', 'list_allowed_directories']))
  })

  it('reads a file with Chinese text for the model', async () => {
    const path = join(folder.path, 'notes.txt')
    backend.push(first(`read_text_file({"path": "${path}"})`), answer('周三下午三点。'))
    const session = await agent.createSession()
    const events = await collectEvents(session.send('会议什么时候？'))
    expect(eventsOfType(events, 'tool-result')[0]?.output).toBe('会议在周三下午三点。\nMeeting on Wednesday at 3 pm.\n')
    expect(backend.text).toContain('会议在周三下午三点。')
    expect(eventsOfType(events, 'turn-finish')[0]?.text).toBe('周三下午三点。')
  })

  it('a path outside the allowed folder is an error result the model sees', async () => {
    backend.push(first('read_text_file({"path": "/etc/passwd"})'), answer('Not allowed.'))
    const session = await agent.createSession()
    const events = await collectEvents(session.send('read /etc/passwd'))
    const [error] = eventsOfType(events, 'tool-error')
    expect(error?.error.message).toMatch(/^Tool "read_text_file" reported an error: .*(denied|outside)/i)
    expect(eventsOfType(events, 'tool-result')).toEqual([])
    expect(backend.text).not.toContain('root:')
  })
})
