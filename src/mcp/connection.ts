/**
 * One MCP server connection with its life cycle: connect (initialize, list tools) within a deadline, follow
 * `notifications/tools/list_changed`, notice a server that exits or drops the connection, and reconnect with
 * exponential backoff. Calls made while the server is down fail at once with a message saying why and when it retries.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js'
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js'
import { AbortedError, MossError, PluginError, describeError } from '../errors.js'
import type { PluginSourceStatus } from '../plugins/source.js'
import type { PluginLogger, PluginProgress } from '../plugins/types.js'

/** How a broken server is restarted. */
export interface McpRestartPolicy {
  /** Reconnection attempts after a failure, before giving up. Defaults to `8`. */
  readonly maxAttempts?: number
  /** Wait before the first attempt, in milliseconds; doubles with each attempt. Defaults to `1000`. */
  readonly initialDelayMs?: number
  /** Longest wait between attempts, in milliseconds. Defaults to `30000`. */
  readonly maxDelayMs?: number
}

/** A transport for one connection attempt, and how to explain its end. */
export interface McpTransportHandle {
  readonly transport: Transport
  /** Why the server ended (exit code, last stderr lines), when the transport knows. */
  readonly ending?: () => { readonly exit?: string; readonly stderr: string }
}

/** Options of {@link McpConnection}. */
export interface McpConnectionOptions {
  /** The server's name in messages. */
  readonly name: string
  /** Makes a fresh transport for each attempt (a new process, a new HTTP session). */
  readonly openTransport: () => McpTransportHandle
  /** Deadline of connect plus the first tool listing, in milliseconds. */
  readonly connectTimeoutMs: number
  /** Deadline of the ping sent after a call timed out; no reply means the server is hung and is restarted. */
  readonly pingTimeoutMs: number
  readonly restart: Required<McpRestartPolicy>
  readonly log: PluginLogger
  /** Receives the server's tools after each connect and each list change. */
  readonly onTools: (tools: readonly Tool[]) => void
  /** Called when the status changed. */
  readonly onStatus: () => void
}

/** Options of one call. */
export interface McpCallOptions {
  readonly signal: AbortSignal
  readonly timeoutMs: number
  readonly onProgress: (update: PluginProgress) => void
}

const CLIENT_INFO = { name: 'moss-agent', version: '1' }

/** A connection to one MCP server that keeps itself alive. */
export class McpConnection {
  private client: Client | undefined
  private handle: McpTransportHandle | undefined
  private current: PluginSourceStatus = { state: 'starting' }
  private attempts = 0
  private retryTimer: NodeJS.Timeout | undefined
  private closed = false
  /** Why the last connection ended (kept after the transport is dropped, for the calls it failed). */
  private lastEnd: string | undefined

  constructor(private readonly options: McpConnectionOptions) {}

  /** Where the connection stands. */
  get status(): PluginSourceStatus {
    return this.current
  }

  /** First connection. Rejects when it fails (a retry is already scheduled then). */
  async start(): Promise<void> {
    await this.connect()
  }

  /** Calls a tool. Every failure is a {@link PluginError} (or {@link AbortedError}) saying what happened. */
  async callTool(name: string, args: Record<string, unknown>, call: McpCallOptions): Promise<CallToolResult> {
    const client = this.client
    if (!client || this.current.state !== 'ready') {
      throw new PluginError(name, `MCP server "${this.options.name}" is not available: ${this.current.detail ?? this.current.state}`)
    }
    try {
      const result = await client.callTool({ name, arguments: args }, undefined, {
        signal: call.signal,
        timeout: call.timeoutMs,
        onprogress: (p) => call.onProgress({ progress: p.progress, ...(p.total !== undefined ? { total: p.total } : {}), ...(p.message !== undefined ? { message: p.message } : {}) }),
      })
      return result as CallToolResult
    } catch (error) {
      if (call.signal.aborted) {
        const reason: unknown = call.signal.reason
        // The agent's timer for this call fired (it races the SDK's own): the server may be hung, or just slow.
        if (MossError.isInstance(reason) && reason.code === 'MOSS_ERR_PLUGIN_TIMEOUT') void this.checkAlive(client)
        throw reason instanceof Error ? reason : new AbortedError(`The call to "${name}" was aborted`)
      }
      if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
        void this.checkAlive(client)
        throw new PluginError(name, `MCP server "${this.options.name}" did not answer "${name}" within ${call.timeoutMs} ms`, {
          code: 'MOSS_ERR_PLUGIN_TIMEOUT',
          cause: error,
        })
      }
      if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed) {
        const why = this.client === client ? this.explainEnd() : (this.lastEnd ?? 'connection closed')
        throw new PluginError(name, `MCP server "${this.options.name}" went away during "${name}" (${why})`, { cause: error })
      }
      throw new PluginError(name, `MCP server "${this.options.name}" failed "${name}": ${describeError(error)}`, { cause: error })
    }
  }

  /** Closes the connection for good (kills a stdio server's process group). */
  async close(): Promise<void> {
    this.closed = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.current = { state: 'closed' }
    await this.drop()
  }

  private async connect(): Promise<void> {
    const handle = this.options.openTransport()
    const client = new Client(CLIENT_INFO, {
      capabilities: {},
      listChanged: {
        tools: {
          onChanged: (error, tools) => {
            // A re-list the SDK started before this connection was dropped reports for a client no longer in use.
            if (this.closed || this.client !== client) return
            if (error) this.options.log.warn('Could not re-list the tools after a change', { error: describeError(error) })
            else if (tools) this.options.onTools(tools)
          },
        },
      },
    })
    this.handle = handle
    this.client = client
    const deadline = AbortSignal.timeout(this.options.connectTimeoutMs)
    try {
      await client.connect(handle.transport, { signal: deadline, timeout: this.options.connectTimeoutMs })
      const tools = await listAllTools(client, deadline, this.options.connectTimeoutMs)
      if (this.closed) return
      // Set only now: a close during the handshake is a failed attempt, not a lost connection.
      client.onclose = () => this.lost(client)
      this.attempts = 0
      this.setStatus({ state: 'ready' })
      this.options.onTools(tools)
    } catch (error) {
      const reason = deadline.aborted
        ? `no answer within ${this.options.connectTimeoutMs} ms`
        : `${describeError(error)}${this.endSuffix(handle)}`
      await this.drop()
      if (this.closed) return
      this.scheduleRetry(`could not start: ${reason}`)
      throw new PluginError(this.options.name, `MCP server "${this.options.name}" could not start: ${reason}`, { cause: error })
    }
  }

  /**
   * After a call timed out: a server that does not even answer a ping within the ping deadline is hung (a blocked
   * event loop, a deadlock) and is restarted like one that crashed; a server that answers was only slow with that call.
   */
  private async checkAlive(client: Client): Promise<void> {
    const timeout = this.options.pingTimeoutMs
    try {
      await client.ping({ timeout })
    } catch {
      if (this.client !== client || this.closed) return
      this.lastEnd = `did not answer a ping within ${timeout} ms`
      this.options.log.warn('The MCP server is hung; restarting it', { server: this.options.name })
      void this.drop()
      this.scheduleRetry(`stopped answering (no reply to a ping within ${timeout} ms)`)
    }
  }

  /** The connection closed while it was in use: the server exited or the HTTP session ended. */
  private lost(client: Client): void {
    if (this.closed || this.client !== client) return
    const why = this.explainEnd()
    this.lastEnd = why
    this.options.log.warn('The MCP server went away', { server: this.options.name, why })
    void this.drop()
    this.scheduleRetry(`went away (${why})`)
  }

  private scheduleRetry(reason: string): void {
    const { maxAttempts, initialDelayMs, maxDelayMs } = this.options.restart
    if (this.attempts >= maxAttempts) {
      this.setStatus({ state: 'failed', detail: `${reason}; gave up after ${this.attempts} restarts` })
      return
    }
    const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** this.attempts)
    this.attempts++
    this.setStatus({ state: 'failed', detail: `${reason}; restart ${this.attempts} of ${maxAttempts} in ${Math.round(delay / 100) / 10} s` })
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      if (this.closed) return
      this.connect().catch((error: unknown) => this.options.log.warn('MCP server restart failed', { server: this.options.name, error: describeError(error) }))
    }, delay)
    this.retryTimer.unref()
  }

  private async drop(): Promise<void> {
    const client = this.client
    this.client = undefined
    this.handle = undefined
    if (!client) return
    client.onclose = undefined
    try {
      await client.close()
    } catch (error) {
      this.options.log.debug('Closing the MCP client failed', { error: describeError(error) })
    }
  }

  private explainEnd(): string {
    const end = this.handle?.ending?.()
    if (!end) return 'connection closed'
    return `${end.exit ?? 'connection closed'}${end.stderr ? `; stderr: ${lastLine(end.stderr)}` : ''}`
  }

  private endSuffix(handle: McpTransportHandle): string {
    const end = handle.ending?.()
    if (!end) return ''
    const parts = [end.exit, end.stderr ? `stderr: ${lastLine(end.stderr)}` : undefined].filter((p) => p !== undefined)
    return parts.length ? ` (${parts.join('; ')})` : ''
  }

  private setStatus(status: PluginSourceStatus): void {
    this.current = status
    this.options.onStatus()
  }
}

/** Every tool, following `nextCursor` pages. */
async function listAllTools(client: Client, signal: AbortSignal, timeout: number): Promise<Tool[]> {
  const tools: Tool[] = []
  let cursor: string | undefined
  do {
    const page = await client.listTools(cursor !== undefined ? { cursor } : undefined, { signal, timeout })
    tools.push(...page.tools)
    cursor = page.nextCursor
  } while (cursor !== undefined)
  return tools
}

function lastLine(text: string): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '')
  return (lines.at(-1) ?? '').slice(0, 300)
}
