/**
 * The stdio transport of an MCP server we start ourselves. The SDK's own `StdioClientTransport` does the same framing
 * (we reuse its `ReadBuffer` and `serializeMessage`) but two things it does differently matter here:
 * - environment: it always adds HOME, USER, SHELL, TERM…; a server gets exactly the variables configured plus PATH;
 * - process group: it kills only the direct child, and `npx some-server` leaves the real server running (npx does not
 *   forward SIGTERM). The server runs in its own process group, and closing kills the whole group.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'

/** How to start a stdio MCP server. */
export interface StdioServerCommand {
  /** Executable, e.g. `node` or `npx`. */
  readonly command: string
  /** Its arguments. Defaults to none. */
  readonly args?: readonly string[]
  /** Variables the server gets besides PATH (and nothing else of this process's environment). Defaults to none. */
  readonly env?: Readonly<Record<string, string>>
  /** Working directory. Defaults to this process's. */
  readonly cwd?: string
}

/** Characters of the server's stderr kept to explain a crash. */
const STDERR_TAIL = 2000
/** Grace between SIGTERM and SIGKILL of the server's process group. */
const KILL_GRACE_MS = 2000

/** The environment a server is started with: PATH plus the configured variables (which win). */
export function serverEnvironment(configured: Readonly<Record<string, string>> = {}): Record<string, string> {
  const path = process.env.PATH
  return { ...(path !== undefined ? { PATH: path } : {}), ...configured }
}

/** A {@link Transport} over a child process's stdin/stdout, in its own process group. */
export class ProcessGroupStdioTransport implements Transport {
  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: (message: JSONRPCMessage) => void
  private child: ChildProcess | undefined
  private readonly buffer = new ReadBuffer()
  private stderrTail = ''
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined

  constructor(private readonly server: StdioServerCommand) {}

  /** The server's process id while it runs. */
  get pid(): number | undefined {
    return this.child?.pid
  }

  /** How the server ended (`undefined` while it runs) and the end of its stderr, for error messages. */
  get ending(): { readonly exit?: string; readonly stderr: string } {
    const exit = this.exit ? (this.exit.signal ? `killed by ${this.exit.signal}` : `exited with code ${this.exit.code}`) : undefined
    return { ...(exit !== undefined ? { exit } : {}), stderr: this.stderrTail.trim() }
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.server.command, [...(this.server.args ?? [])], {
        env: serverEnvironment(this.server.env),
        ...(this.server.cwd !== undefined ? { cwd: this.server.cwd } : {}),
        stdio: ['pipe', 'pipe', 'pipe'],
        // Its own process group, so that closing reaches the server behind `npx` or a shell script too.
        detached: true,
        shell: false,
      })
      this.child = child
      child.once('error', (error) => {
        reject(error)
        this.onerror?.(error)
      })
      child.once('spawn', () => resolve())
      child.once('close', (code, signal) => {
        this.exit = { code, signal }
        this.child = undefined
        this.onclose?.()
      })
      child.stdin?.on('error', (error) => this.onerror?.(error))
      child.stdout?.on('data', (chunk: Buffer) => {
        try {
          this.buffer.append(chunk)
        } catch (error) {
          // A message over the buffer limit (10 MB): a flooding server is stopped rather than buffered without end.
          this.onerror?.(error instanceof Error ? error : new Error(String(error)))
          void this.close()
          return
        }
        this.drain()
      })
      child.stderr?.on('data', (chunk: Buffer) => {
        this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL)
      })
    })
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child?.stdin
      if (!stdin || stdin.destroyed) return reject(new Error('The MCP server is not running'))
      if (stdin.write(serializeMessage(message))) resolve()
      else stdin.once('drain', () => resolve())
    })
  }

  /** Ends stdin, then SIGTERM and, after a grace period, SIGKILL to the whole process group. */
  async close(): Promise<void> {
    const child = this.child
    if (!child) return
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()))
    const grace = (): Promise<void> => Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, KILL_GRACE_MS).unref())])
    child.stdin?.end()
    killGroup(child, 'SIGTERM')
    await grace()
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child, 'SIGKILL')
      await grace()
    }
    this.buffer.clear()
  }

  private drain(): void {
    while (true) {
      let message: JSONRPCMessage | null
      try {
        message = this.buffer.readMessage()
      } catch (error) {
        // A line that is not JSON-RPC (a server printing logs to stdout): report it and go on with the next line.
        this.onerror?.(error instanceof Error ? error : new Error(String(error)))
        continue
      }
      if (message === null) return
      this.onmessage?.(message)
    }
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal)
  } catch {
    // The group is gone already; fall back to the child itself.
    try {
      child.kill(signal)
    } catch {
      // gone
    }
  }
}
