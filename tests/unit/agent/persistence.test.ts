import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SessionFileError } from '../../../src/errors.js'
import { ScriptedBackend } from '../../../src/testing/index.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'
import { calc, recordingLogger, tinyAgent } from './tiny-fixtures.js'

let dir = ''
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moss-agent-session-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('session files', () => {
  it('round trip with a backend state file: the reloaded transcript equals the original and is not re-evaluated', async () => {
    const { agent, backend } = tinyAgent(['<call>Calc(23*47)</call>', '1081</bot>', 'second</bot>', 'after load</bot>'])
    const session = await agent.createSession({ id: 'round-trip' })
    await session.ask('23*47?')
    await session.ask('中文 ＜eom＞ input')
    await session.setPluginEnabled('echo', false)
    const file = join(dir, 'session.json')
    await session.save(file)
    const data = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>
    expect(data).toMatchObject({ kind: 'moss-agent-session', version: 2, id: 'round-trip', format: 'tiny', enabledPlugins: ['calc'] })
    expect(data.turns).toHaveLength(2)
    await expect(readFile(file + '.state', 'utf8')).resolves.toContain('scripted-backend-state')

    const original = backend.prompt
    const loaded = await agent.loadSession(file)
    const restored = backend.sessions.at(-1)!
    expect(restored.restoredFromState).toBe(true)
    expect(restored.stats.evaluated).toBe(0)
    expect(backend.prompt).toEqual(original)
    expect(loaded.id).toBe('round-trip')
    expect(loaded.turns).toEqual(session.turns)
    expect(loaded.enabledPlugins).toEqual(['calc'])
    expect((await loaded.ask('more')).text).toBe('after load')
    expect(backend.text).toBe(original.map((p) => p.text).join('') + '<user>more</user>\n<bot>after load</bot>\n')
  })

  it('without backend state the transcript is re-evaluated and still equal', async () => {
    const { agent, backend } = tinyAgent(['hello</bot>'], {}, { saveState: false })
    const session = await agent.createSession()
    await session.ask('hi')
    const file = join(dir, 's.json')
    await writeFile(file + '.state', 'stale')
    await session.save(file)
    await expect(readFile(file + '.state')).rejects.toThrow()
    const original = backend.prompt
    await agent.loadSession(file)
    expect(backend.sessions.at(-1)?.restoredFromState).toBe(false)
    expect(backend.prompt).toEqual(original)
  })

  it('rebuilds from the records when the plugins changed since the save', async () => {
    const { agent } = tinyAgent(['<call>Calc(2*3)</call>', 'six</bot>'])
    const session = await agent.createSession()
    await session.ask('2*3')
    const file = join(dir, 's.json')
    await session.save(file)
    const backend = new ScriptedBackend()
    const other = tinyAgent([], { backend, plugins: [] }).agent
    const loaded = await other.loadSession(file)
    expect(loaded.enabledPlugins).toEqual([])
    expect(backend.text).toBe('<sys>tools: none</sys>\n<user>2*3</user>\n<bot><call>Calc(2*3)</call><res>[ok]6</res>six</bot>\n')
  })

  it('a plugin the file has on but that is unavailable here stays off, with the notice enabling it gives', async () => {
    const paint = definePlugin({ name: 'paint', command: 'Paint', description: 'draws', run: () => 'drawn' })
    const { agent } = tinyAgent(['<call>Paint(cat)</call>', 'a cat</bot>'], { plugins: [calc, paint] })
    const session = await agent.createSession()
    await session.ask('draw a cat')
    expect(session.enabledPlugins).toEqual(['calc', 'paint'])
    const file = join(dir, 's.json')
    await session.save(file)

    // The same plugin where no image service is configured: off and unavailable.
    const unconfigured = definePlugin({ name: 'paint', command: 'Paint', description: 'draws', enabled: false, unavailable: 'no image backend', run: () => '' })
    const backend = new ScriptedBackend()
    const logger = recordingLogger()
    const other = tinyAgent([], { backend, plugins: [calc, unconfigured], logger }).agent
    const loaded = await other.loadSession(file)
    expect(loaded.enabledPlugins).toEqual(['calc'])
    // The prefix the model reads says so; the earlier turn is replayed as it happened.
    expect(backend.text).toBe('<sys>tools: Calc</sys>\n<user>draw a cat</user>\n<bot><call>Paint(cat)</call><res>[ok]drawn</res>a cat</bot>\n')
    const refusal = await loaded.setPluginEnabled('paint', true).then(
      () => 'enabled',
      (error: Error) => error.message,
    )
    expect(refusal).toBe('Plugin "paint" cannot be enabled: no image backend')
    expect(logger.entries).toEqual([{ level: 'warn', message: refusal }])

    // A caller that shows notices itself (the REPL's /load) gets the same sentence instead of the logger.
    const notices: string[] = []
    const again = await other.loadSession(file, { onNotice: (message) => notices.push(message) })
    expect(again.enabledPlugins).toEqual(['calc'])
    expect(notices).toEqual([refusal])
    expect(logger.entries).toHaveLength(1)
  })

  it('a plugin the file has on that this agent lacks is named in a notice', async () => {
    const { agent } = tinyAgent(['hi</bot>'])
    const session = await agent.createSession()
    await session.ask('hi')
    const file = join(dir, 's.json')
    await session.save(file)
    const notices: string[] = []
    const loaded = await tinyAgent([], { plugins: [calc] }).agent.loadSession(file, { onNotice: (message) => notices.push(message) })
    expect(loaded.enabledPlugins).toEqual(['calc'])
    expect(notices).toEqual(['The saved session has plugin "echo" on; this agent has no such plugin'])
  })

  it('corrupt, foreign, wrong-version and missing files throw SessionFileError and stay untouched', async () => {
    const { agent, backend } = tinyAgent([])
    const cases: Record<string, string> = {
      'corrupt.json': '{"kind": "moss-agent-session", "vers',
      'foreign.json': JSON.stringify({ kind: 'something-else', version: 1 }),
      'version.json': JSON.stringify({ kind: 'moss-agent-session', version: 99 }),
      'turns.json': JSON.stringify({
        kind: 'moss-agent-session', version: 1, id: 'x', format: 'tiny', enabledPlugins: [], turns: [{ human: 1 }],
        compressedResults: [], droppedTurns: 0, transcript: [],
      }),
      'format.json': JSON.stringify({
        kind: 'moss-agent-session', version: 1, id: 'x', format: 'chatml', enabledPlugins: [], turns: [],
        compressedResults: [], droppedTurns: 0, transcript: [],
      }),
    }
    for (const [name, content] of Object.entries(cases)) {
      await writeFile(join(dir, name), content)
      const error = await agent.loadSession(join(dir, name)).catch((e: unknown) => e)
      expect(error, name).toBeInstanceOf(SessionFileError)
      expect((error as SessionFileError).path).toBe(join(dir, name))
      await expect(readFile(join(dir, name), 'utf8')).resolves.toBe(content)
    }
    await expect(agent.loadSession(join(dir, 'missing.json'))).rejects.toBeInstanceOf(SessionFileError)
    expect(backend.sessions).toHaveLength(0)
  })

  it('a failed save leaves the previous file intact', async () => {
    const { agent } = tinyAgent(['a</bot>'])
    const session = await agent.createSession()
    const file = join(dir, 'no-such-dir', 's.json')
    await expect(session.save(file)).rejects.toBeInstanceOf(SessionFileError)
  })
})
