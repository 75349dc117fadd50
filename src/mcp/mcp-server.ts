/**
 * `mcpServer(…)`: a Model Context Protocol server as a plugin source. Its tools become plugins in every dialogue
 * format; the server is started (stdio) or connected (Streamable HTTP) when the agent starts, restarted with backoff
 * when it crashes, and stopped with the agent. Servers come only from the caller's own configuration: nothing the
 * model writes can start one.
 */
import { basename } from 'node:path'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { Tool } from '@modelcontextprotocol/sdk/types.js'
import { ConfigError, describeError } from '../errors.js'
import { definePlugin } from '../plugins/define-plugin.js'
import type { PluginSource, PluginSourceContext, PluginSourceStatus } from '../plugins/source.js'
import type { JsonSchema, Plugin, PluginInput, PluginLogger } from '../plugins/types.js'
import { McpConnection } from './connection.js'
import type { McpRestartPolicy, McpTransportHandle } from './connection.js'
import { ProcessGroupStdioTransport } from './stdio-transport.js'
import type { StdioServerCommand } from './stdio-transport.js'
import { stripControl, toPluginOutput } from './tool-result.js'

/** Options shared by both transports. */
interface McpServerCommon {
  /** The server's name (unique among sources). Defaults to the command's or the URL host's name. */
  readonly name?: string
  /** Put before every tool name, e.g. `fs.` (to keep two servers' tools apart). Defaults to none. */
  readonly toolPrefix?: string
  /** Per-call timeout in milliseconds. Defaults to `60000`. */
  readonly callTimeoutMs?: number
  /** Deadline of starting, connecting and listing tools, in milliseconds. Defaults to `30000`. */
  readonly connectTimeoutMs?: number
  /**
   * After a call timed out the server is pinged; no reply within this many milliseconds means it is hung, and it is
   * restarted. Defaults to `5000`.
   */
  readonly pingTimeoutMs?: number
  /** Restarts after a crash or a lost connection. */
  readonly restart?: McpRestartPolicy
  /** Folder images returned by tools are written to. Defaults to `./moss-images`. */
  readonly imageDir?: string
}

/** A server started as a child process, speaking MCP on its stdin/stdout. */
export interface McpStdioServerOptions extends McpServerCommon, StdioServerCommand {}

/** A server reached over Streamable HTTP. */
export interface McpHttpServerOptions extends McpServerCommon {
  /** The server's MCP endpoint, e.g. `http://127.0.0.1:3001/mcp`. */
  readonly url: string
  /** Headers sent with every request (an `Authorization` token). Defaults to none. */
  readonly headers?: Readonly<Record<string, string>>
}

/** Options of {@link mcpServer}. */
export type McpServerOptions = McpStdioServerOptions | McpHttpServerOptions

const DEFAULTS = { callTimeoutMs: 60_000, connectTimeoutMs: 30_000, pingTimeoutMs: 5000, imageDir: './moss-images' } as const
const RESTART: Required<McpRestartPolicy> = { maxAttempts: 8, initialDelayMs: 1000, maxDelayMs: 30_000 }

function isHttp(options: McpServerOptions): options is McpHttpServerOptions {
  return typeof (options as Partial<McpHttpServerOptions>).url === 'string'
}

/** Folders that say nothing about a server: `…/server-x/dist/index.js` is named after `server-x`. */
const GENERIC = new Set(['index', 'main', 'server', 'dist', 'build', 'lib', 'src', 'bin', 'cli'])

function defaultName(options: McpServerOptions): string {
  if (isHttp(options)) return new URL(options.url).host
  // `npx -y @scope/server-x` and `node …/server-x/dist/index.js` → `x`; any other command → its own name.
  const args = options.args ?? []
  const runner = /^(npx|node|bunx|uvx|pnpx|deno)(\.exe)?$/.test(basename(options.command))
  const target = (runner ? args.find((a) => !a.startsWith('-')) : undefined) ?? options.command
  const parts = target.split(/[\\/]/).map((part) => part.replace(/\.[cm]?[jt]s$/, '')).filter((part) => part !== '')
  while (parts.length > 1 && GENERIC.has(parts.at(-1) as string)) parts.pop()
  const last = (parts.at(-1) ?? 'mcp').replace(/@[^@/]*$/, '')
  return last.replace(/^(mcp-)?server-/, '').replace(/-mcp(-server)?$/, '') || 'mcp'
}

/** Creates the plugin source of an MCP server. Validates the options eagerly ({@link ConfigError}). */
export function mcpServer(options: McpServerOptions): PluginSource {
  const http = isHttp(options)
  if (http ? !URL.canParse(options.url) : typeof (options as McpStdioServerOptions).command !== 'string' || (options as McpStdioServerOptions).command === '') {
    throw new ConfigError(http ? `MCP server URL is not a URL: "${options.url}"` : 'An MCP stdio server needs a command')
  }
  const name = options.name ?? defaultName(options)
  const prefix = options.toolPrefix ?? ''
  const callTimeoutMs = options.callTimeoutMs ?? DEFAULTS.callTimeoutMs
  const imageDir = options.imageDir ?? DEFAULTS.imageDir
  const description = http ? `http: ${options.url}` : `stdio: ${[options.command, ...(options.args ?? [])].join(' ')}`
  let connection: McpConnection | undefined
  let tools: Plugin[] = []

  const openTransport = (): McpTransportHandle => {
    if (http) {
      const transport = new StreamableHTTPClientTransport(new URL(options.url), { requestInit: { headers: { ...options.headers } } })
      return { transport }
    }
    const transport = new ProcessGroupStdioTransport(options)
    return { transport, ending: () => transport.ending }
  }

  /**
   * A tool as a plugin. Its name is the tool's (MOSS shows a legal command for it); the agent validates arguments
   * against its input schema before `run`, so `run` gets the one string of a single-string tool or the object.
   */
  const toPlugin = (tool: Tool): Plugin => {
    const parameters = (tool.inputSchema ?? { type: 'object' }) as JsonSchema
    const fullName = `${prefix}${tool.name}`
    const plugin: Plugin = definePlugin<PluginInput>({
      name: fullName,
      description: stripControl(tool.description ?? tool.title ?? tool.name).trim(),
      parameters,
      timeoutMs: callTimeoutMs,
      async run(input, ctx) {
        const args = typeof input === 'string' ? { [plugin.argument]: input } : { ...input }
        if (!connection) throw new ConfigError(`MCP server "${name}" was not started`)
        const result = await connection.callTool(tool.name, args, { signal: ctx.signal, timeoutMs: callTimeoutMs, onProgress: ctx.progress })
        return toPluginOutput(fullName, result, imageDir)
      },
    })
    return plugin
  }

  /** The tools that make valid plugins; one with a name or schema the agent cannot take is left out with a warning. */
  const toPlugins = (listed: readonly Tool[], log: PluginLogger): Plugin[] =>
    listed.flatMap((tool) => {
      try {
        return [toPlugin(tool)]
      } catch (error) {
        log.warn('An MCP tool is left out', { server: name, tool: tool.name, error: describeError(error) })
        return []
      }
    })

  return {
    kind: 'plugin-source',
    name,
    description,
    async setup(ctx: PluginSourceContext): Promise<void> {
      connection = new McpConnection({
        name,
        openTransport,
        connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
        pingTimeoutMs: options.pingTimeoutMs ?? DEFAULTS.pingTimeoutMs,
        restart: { ...RESTART, ...options.restart },
        log: ctx.log,
        onTools: (listed) => {
          tools = toPlugins(listed, ctx.log)
          ctx.changed()
        },
        onStatus: () => ctx.changed(),
      })
      await connection.start()
    },
    tools: () => tools,
    status: (): PluginSourceStatus => connection?.status ?? { state: 'starting' },
    async dispose(): Promise<void> {
      await connection?.close()
    },
  }
}
