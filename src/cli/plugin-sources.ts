/**
 * The plugins a user adds on the command line or in `moss.config.json`: plugin modules (`--plugin ./file.js` or a
 * package name) and MCP servers (`--mcp "command args…"`, `--mcp-url URL`, `mcpServers` in the config). Nothing here
 * ever comes from model output: these are the user's own flags and files.
 */
import { createRequire } from 'node:module'
import { isAbsolute, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ConfigError, describeError, isPluginSource, mcpServer } from '../index.js'
import type { PluginEntry, PluginSource } from '../index.js'
import type { ConfigFile } from './config-file.js'

/**
 * Splits a command line into words the way a POSIX shell would for plain words and quotes — `'…'` literal, `"…"` with
 * `\\` escapes, `\\` outside quotes — and nothing more: no variables, globs or pipes (the server is spawned without a
 * shell). Written here because no kept dependency does it; it is a dozen lines.
 */
export function splitCommandLine(text: string): string[] {
  const words: string[] = []
  let word = ''
  let started = false
  let quote: '"' | "'" | undefined
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string
    if (quote === "'") {
      if (ch === "'") quote = undefined
      else word += ch
    } else if (quote === '"') {
      if (ch === '"') quote = undefined
      else if (ch === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1] as string)) word += text[++i]
      else word += ch
    } else if (ch === "'" || ch === '"') {
      quote = ch
      started = true
    } else if (ch === '\\' && i + 1 < text.length) {
      word += text[++i]
      started = true
    } else if (/\s/.test(ch)) {
      if (started) words.push(word)
      word = ''
      started = false
    } else {
      word += ch
      started = true
    }
  }
  if (quote) throw new ConfigError(`unclosed ${quote} quote in "${text}"`)
  if (started) words.push(word)
  return words
}

/** An MCP server from `--mcp "command args…"`. */
export function mcpFromCommandLine(text: string, name?: string): PluginSource {
  const [command, ...args] = splitCommandLine(text)
  if (command === undefined) throw new ConfigError('--mcp needs a command, e.g. --mcp "npx -y @modelcontextprotocol/server-everything"')
  return mcpServer({ command, args, ...(name !== undefined ? { name } : {}) })
}

/** The MCP servers of a config file, relative `cwd`s resolved against the file's folder. */
export function mcpFromConfig(config: ConfigFile): PluginSource[] {
  return Object.entries(config.values.mcpServers ?? {}).map(([name, server]) => {
    const common = {
      name,
      ...(server.timeoutMs !== undefined ? { callTimeoutMs: server.timeoutMs } : {}),
      ...(server.toolPrefix !== undefined ? { toolPrefix: server.toolPrefix } : {}),
    }
    if (server.url !== undefined) return mcpServer({ ...common, url: server.url, ...(server.headers ? { headers: server.headers } : {}) })
    return mcpServer({
      ...common,
      command: server.command ?? '',
      ...(server.args ? { args: server.args } : {}),
      ...(server.env ? { env: server.env } : {}),
      ...(server.cwd !== undefined ? { cwd: resolve(config.dir, server.cwd) } : {}),
    })
  })
}

function isPluginLike(value: unknown): boolean {
  if (isPluginSource(value)) return true
  const candidate = value as { name?: unknown; run?: unknown } | null
  return typeof candidate === 'object' && candidate !== null && typeof candidate.name === 'string' && typeof candidate.run === 'function'
}

/** Plugins and sources in an export: one, an array of them, or a factory (possibly async) returning either. */
async function entriesOf(value: unknown, spec: string, where: string): Promise<PluginEntry[]> {
  const resolved: unknown = typeof value === 'function' && !isPluginLike(value) ? await (value as () => unknown)() : value
  const list = Array.isArray(resolved) ? resolved : [resolved]
  const bad = list.find((item) => !isPluginLike(item))
  if (bad !== undefined || list.length === 0) {
    throw new ConfigError(`--plugin ${spec}: ${where} is not a plugin, a plugin source, an array of them or a factory returning them`)
  }
  return list as PluginEntry[]
}

/**
 * Loads a plugin module: a path (`./x.js`, absolute) resolved against `baseDir`, or a package name resolved from
 * `baseDir`. Its default export is used (a plugin, a source, an array, or a factory called with no arguments);
 * without one, its named exports that are plugins or sources (or arrays of them).
 */
export async function loadPluginModule(spec: string, baseDir: string): Promise<PluginEntry[]> {
  const isPath = spec.startsWith('.') || isAbsolute(spec)
  let url: string
  try {
    url = isPath ? pathToFileURL(resolve(baseDir, spec)).href : pathToFileURL(createRequire(join(baseDir, 'noop.js')).resolve(spec)).href
  } catch (error) {
    throw new ConfigError(`--plugin ${spec}: cannot find the module (${describeError(error)})`, { cause: error })
  }
  let module: Record<string, unknown>
  try {
    module = (await import(url)) as Record<string, unknown>
  } catch (error) {
    throw new ConfigError(`--plugin ${spec}: cannot load the module: ${describeError(error).split('\n')[0]}`, { cause: error })
  }
  if (module.default !== undefined) return entriesOf(module.default, spec, 'its default export')
  const named = Object.entries(module).filter(([, value]) => isPluginLike(value) || (Array.isArray(value) && value.length > 0 && value.every(isPluginLike)))
  if (named.length === 0) throw new ConfigError(`--plugin ${spec}: the module exports no plugin (export one, or a factory as default)`)
  return (await Promise.all(named.map(([key, value]) => entriesOf(value, spec, `export "${key}"`)))).flat()
}

/** What {@link collectPluginEntries} reads. */
export interface PluginSourceFlags {
  /** `--plugin` values, resolved against the working directory. */
  readonly pluginModules: readonly string[]
  /** `--mcp` command lines. */
  readonly mcpCommands: readonly string[]
  /** `--mcp-url` URLs. */
  readonly mcpUrls: readonly string[]
}

/** Every plugin and source the flags and the config file ask for; MCP names made unique (`everything`, `everything-2`). */
export async function collectPluginEntries(flags: PluginSourceFlags, config: ConfigFile | undefined, cwd: string): Promise<PluginEntry[]> {
  const modules = [
    ...(config?.values.plugins ?? []).map((spec) => ({ spec, dir: config?.dir ?? cwd })),
    ...flags.pluginModules.map((spec) => ({ spec, dir: cwd })),
  ]
  const loaded = (await Promise.all(modules.map(({ spec, dir }) => loadPluginModule(spec, dir)))).flat()
  const taken = new Set<string>()
  const unique = (wanted: string): string => {
    let name = wanted
    for (let n = 2; taken.has(name); n++) name = `${wanted}-${n}`
    taken.add(name)
    return name
  }
  const sources: PluginSource[] = config ? mcpFromConfig(config) : []
  for (const source of sources) taken.add(source.name)
  for (const line of flags.mcpCommands) sources.push(mcpFromCommandLine(line, unique(mcpFromCommandLine(line).name)))
  for (const url of flags.mcpUrls) {
    if (!URL.canParse(url)) throw new ConfigError(`--mcp-url is not a URL: "${url}"`)
    sources.push(mcpServer({ url, name: unique(mcpServer({ url }).name) }))
  }
  return [...loaded, ...sources]
}
