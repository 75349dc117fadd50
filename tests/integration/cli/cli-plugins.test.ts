/**
 * The built CLI with plugins from outside: `--plugin` modules, `--mcp` stdio servers (server-everything), `--mcp-url`
 * (server-everything over Streamable HTTP on 127.0.0.1) and `moss.config.json`, with the scripted model hook.
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EVERYTHING, FAKE_SERVER, startEverythingHttp } from '../mcp/servers.js'
import { ROOT, runCli, writeScript } from './run-cli.js'

const call = (commands: string): string => ` None<eot>\n<|Commands|>: ${commands}<eoc>`
const answer = (text: string): string => ` ${text}<eom>`

describe('moss with plugins from modules, MCP servers and a config file', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'moss-cli-plugins-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('--plugin loads a module whose default export is a factory', async () => {
    const script = await writeScript(dir, 'shout.json', [call('Shout("hello")'), answer('Done.')])
    const run = await runCli(['run', '--json', 'shout hello', '--plugin', './tests/fixtures/plugins/shout.mjs'], {
      env: { MOSS_SCRIPTED_OUTPUTS: script },
    })
    expect(run.stderr).toBe('')
    const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; output?: string })
    expect(events.find((e) => e.type === 'tool-result')?.output).toBe('HELLO')
  })

  it('--mcp starts a stdio server and its tools are called', async () => {
    const script = await writeScript(dir, 'sum.json', [call('get_sum({"a": 20, "b": 22})'), answer('42.')])
    const run = await runCli(['run', '--json', '20+22?', '--mcp', `node "${EVERYTHING}" stdio`], { env: { MOSS_SCRIPTED_OUTPUTS: script } })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; output?: string })
    expect(events.find((e) => e.type === 'tool-result')?.output).toBe('The sum of 20 and 22 is 42.')
  }, 30_000)

  it.runIf(process.platform === 'linux')('a server started through npx is gone when moss exits (its process group is killed)', async () => {
    const marker = randomUUID()
    const config = join(dir, 'npx.json')
    // With MCP_FAKE_STAY the fake server outlives the end of its stdin, and npx does not pass SIGTERM on: only killing
    // the whole process group stops it.
    await writeFile(config, JSON.stringify({ mcpServers: { fake: { command: 'npx', args: ['node', FAKE_SERVER], env: { MOSS_TEST_MARKER: marker, MCP_FAKE_STAY: '1' } } } }))
    const script = await writeScript(dir, 'npx.json.script', [call('show_env({})'), answer('Listed.')])
    const run = await runCli(['run', '--json', 'env?', '--config', config], { env: { MOSS_SCRIPTED_OUTPUTS: script } })
    expect(run.stderr).toBe('')
    expect(run.stdout).toContain('MOSS_TEST_MARKER')
    // Every process that got the marker in its environment (npx, sh, the server) must be gone.
    const survivors: string[] = []
    for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
      const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '')
      if (environ.includes(marker)) survivors.push(pid)
    }
    expect(survivors).toEqual([])
  }, 60_000)

  it('--mcp-url connects to a Streamable HTTP server', async () => {
    const http = await startEverythingHttp()
    try {
      const script = await writeScript(dir, 'sum-http.json', [call('get_sum({"a": 1, "b": 2})'), answer('3.')])
      const run = await runCli(['run', '--json', '1+2?', '--mcp-url', http.url], { env: { MOSS_SCRIPTED_OUTPUTS: script } })
      expect(run.stderr).toBe('')
      expect(run.stdout).toContain('The sum of 1 and 2 is 3.')
    } finally {
      await http.stop()
    }
  }, 30_000)

  it('the REPL lists plugin sources and their tools with /plugins', async () => {
    const config = join(dir, 'moss.config.json')
    await writeFile(config, JSON.stringify({ mcpServers: { everything: { command: 'node', args: [EVERYTHING, 'stdio'] } }, plugins: [join(ROOT, 'tests/fixtures/plugins/shout.mjs')] }))
    const script = await writeScript(dir, 'none.json', [])
    const run = await runCli(['chat', '--config', config], { input: '/plugins\n', env: { MOSS_SCRIPTED_OUTPUTS: script, MOSS_HISTORY: join(dir, 'h') } })
    expect(run.stderr).toBe('')
    expect(run.stdout).toMatch(/\[on \] shout +Shout: Upper-cases a text\./)
    expect(run.stdout).toMatch(/everything — stdio: node .*server-everything.* \(\d+ tools\)/)
    expect(run.stdout).toMatch(/ {4}\[on \] get-sum +Returns the sum of two numbers/)
  }, 30_000)

  it('a bad key in the config file is one clear line naming it', async () => {
    const config = join(dir, 'bad.json')
    await writeFile(config, JSON.stringify({ mcpServers: { fs: { command: 'x', args: 'not-a-list' } } }))
    const run = await runCli(['run', 'hi', '--config', config])
    expect(run.code).not.toBe(0)
    expect(run.stderr.trim()).toBe(`moss: ${config}: mcpServers.fs.args must be array`)
  })

  it('a module that exports no plugin is refused clearly', async () => {
    const run = await runCli(['run', 'hi', '--plugin', './tests/integration/cli/run-cli.ts'])
    expect(run.code).not.toBe(0)
    expect(run.stderr).toMatch(/^moss: --plugin \.\/tests\/integration\/cli\/run-cli\.ts: /)
  })
})
