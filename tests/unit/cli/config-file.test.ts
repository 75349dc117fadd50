/**
 * The config file (`moss.config.json`) and the `--mcp` command-line splitter: clear errors naming the bad key, flags
 * and environment winning over the file, and shell-like quoting without a shell.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FORMAT_CHOICES, parseCliArgs } from '../../../src/cli/args.js'
import { loadConfigFile } from '../../../src/cli/config-file.js'
import { collectPluginEntries, splitCommandLine } from '../../../src/cli/plugin-sources.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moss-config-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function configWith(values: unknown, name = 'moss.config.json'): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, typeof values === 'string' ? values : JSON.stringify(values))
  return path
}

describe('moss.config.json', () => {
  it('is optional in the working directory, required when named', async () => {
    const empty = await mkdtemp(join(dir, 'empty-'))
    expect(loadConfigFile(undefined, empty)).toBeUndefined()
    expect(() => loadConfigFile('missing.json', empty)).toThrow(/^cannot read the config file .*missing\.json/)
  })

  it.each([
    [{ modle: 'x.gguf' }, 'unknown key "modle"'],
    [{ mcpServers: { fs: { command: 'x', agrs: [] } } }, 'unknown key "mcpServers.fs.agrs"'],
    [{ mcpServers: { fs: { command: 'x', args: 'a b' } } }, 'mcpServers.fs.args must be array'],
    [{ mcpServers: { fs: { args: [] } } }, 'mcpServers.fs needs either "command" (a stdio server) or "url" (an HTTP server), not both'],
    [{ mcpServers: { fs: { command: 'x', url: 'http://127.0.0.1:1/mcp' } } }, 'mcpServers.fs needs either "command" (a stdio server) or "url" (an HTTP server), not both'],
    [{ ctx: 'big' }, 'ctx must be integer'],
    [{ plugins: ['ok', 3] }, 'plugins.1 must be string'],
    [{ mcpServers: { fs: { command: 'x', env: { HOME: 1 } } } }, 'mcpServers.fs.env.HOME must be string'],
  ])('names the bad key: %j', async (values, message) => {
    const path = await configWith(values, 'bad.json')
    expect(() => loadConfigFile(path, dir)).toThrow(`${path}: ${message}`)
  })

  it('reports JSON syntax errors', async () => {
    const path = await configWith('{ "model": ', 'broken.json')
    expect(() => loadConfigFile(path, dir)).toThrow(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not valid JSON`))
  })

  it('supplies settings the flags and environment leave open; flags and environment win', async () => {
    const path = await configWith({ format: 'chatml', ctx: 4096, model: 'm.gguf', lang: 'zh' }, 'settings.json')
    const options = parseCliArgs(['run', 'hi', '--config', path, '--ctx', '1024'], { MOSS_LANG: 'en' }, dir)
    expect(options).toMatchObject({ format: 'chatml', ctx: 1024, model: 'm.gguf', lang: 'en' })
    expect(options.config?.path).toBe(path)
  })

  it('a value of the file outside the allowed choices names the file and key', async () => {
    const path = await configWith({ format: 'mistral-v9' }, 'choice.json')
    expect(() => parseCliArgs(['run', 'hi', '--config', path], {}, dir)).toThrow(`${path}: "format" must be one of ${FORMAT_CHOICES.join(', ')}`)
  })

  it('is not read for --help', async () => {
    const path = await configWith('not json', 'ignored.json')
    expect(parseCliArgs(['--help', '--config', path], {}, dir).command).toBe('help')
  })

  it('--plugin, --mcp and --mcp-url repeat', () => {
    const options = parseCliArgs(['--plugin', 'a.js', '--plugin', 'b', '--mcp', 'node s.js', '--mcp', 'npx -y x', '--mcp-url', 'http://127.0.0.1:9/mcp'], {}, dir)
    expect(options).toMatchObject({ pluginModules: ['a.js', 'b'], mcpCommands: ['node s.js', 'npx -y x'], mcpUrls: ['http://127.0.0.1:9/mcp'] })
  })

  it('MCP servers of the file and the flags get unique names; nothing is started until the agent sets them up', async () => {
    const path = await configWith({ mcpServers: { everything: { command: 'node', args: ['e.js'], cwd: 'srv' } } }, 'servers.json')
    const config = loadConfigFile(path, dir)
    const entries = await collectPluginEntries(
      { pluginModules: [], mcpCommands: ['npx -y @modelcontextprotocol/server-everything', 'node /x/server-everything/dist/index.js stdio'], mcpUrls: ['http://127.0.0.1:9/mcp'] },
      config,
      dir,
    )
    expect(entries.map((e) => (e as { name: string }).name)).toEqual(['everything', 'everything-2', 'everything-3', '127.0.0.1:9'])
    expect(entries.map((e) => (e as { description: string }).description)).toEqual([
      'stdio: node e.js',
      'stdio: npx -y @modelcontextprotocol/server-everything',
      'stdio: node /x/server-everything/dist/index.js stdio',
      'http: http://127.0.0.1:9/mcp',
    ])
  })
})

describe('splitCommandLine', () => {
  it.each([
    ['npx -y @modelcontextprotocol/server-everything', ['npx', '-y', '@modelcontextprotocol/server-everything']],
    [`node "/path with space/server.js" --root '/tmp/a b'`, ['node', '/path with space/server.js', '--root', '/tmp/a b']],
    [String.raw`node s.js a\ b "q\"uote" ''`, ['node', 's.js', 'a b', 'q"uote', '']],
    ['  python3   -m  srv  ', ['python3', '-m', 'srv']],
    ['echo $HOME *', ['echo', '$HOME', '*']],
    ['node 服务器.js 中文', ['node', '服务器.js', '中文']],
  ])('%s', (line, words) => {
    expect(splitCommandLine(line)).toEqual(words)
  })

  it('refuses an unclosed quote', () => {
    expect(() => splitCommandLine('node "s.js')).toThrow('unclosed " quote')
  })
})
