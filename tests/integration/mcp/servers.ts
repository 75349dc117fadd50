/**
 * The MCP servers the tests start: the real npm servers (devDependencies, started with `node <dist entry>` rather
 * than npx, which does not forward SIGTERM) and the fakes in tests/fakes/mcp. HTTP servers bind 127.0.0.1 only.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const here = dirname(fileURLToPath(import.meta.url))

/** Entry of a package's `bin` (its dist file). */
function binOf(pkg: string): string {
  const manifest = require.resolve(`${pkg}/package.json`)
  const data = require(manifest) as { bin: string | Record<string, string> }
  const bin = typeof data.bin === 'string' ? data.bin : (Object.values(data.bin)[0] as string)
  return resolve(dirname(manifest), bin)
}

export const EVERYTHING = binOf('@modelcontextprotocol/server-everything')
export const FILESYSTEM = binOf('@modelcontextprotocol/server-filesystem')
export const FAKE_SERVER = resolve(here, '../../fakes/mcp/fake-server.mjs')
export const SILENT_SERVER = resolve(here, '../../fakes/mcp/silent-server.mjs')
const EVERYTHING_HTTP = resolve(here, '../../fakes/mcp/everything-http.mjs')

/** A temporary folder, removed by `cleanup`. */
export async function tempDir(prefix: string): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix))
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) }
}

/** Starts server-everything over Streamable HTTP on 127.0.0.1 (its own process group); `stop` kills the group. */
export async function startEverythingHttp(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [EVERYTHING_HTTP], { stdio: ['ignore', 'pipe', 'inherit'], detached: true })
  const port = await new Promise<number>((resolvePort, reject) => {
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /listening (\d+)/.exec(out)
      if (match) resolvePort(Number(match[1]))
    })
    child.once('exit', (code) => reject(new Error(`everything-http exited with ${code}`)))
  })
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r))
      try {
        process.kill(-(child.pid as number), 'SIGKILL')
      } catch {
        return
      }
      await exited
    },
  }
}

/** Lines of a fake server's log (empty when it has not written any yet). */
export async function logLines(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch(() => '')
  return text.split('\n').filter((line) => line !== '')
}

/** Polls `check` every 20 ms until it returns a value other than `undefined`, or fails after `ms`. */
export async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, ms = 10_000, what = 'condition'): Promise<T> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    const value = await check()
    if (value !== undefined) return value
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** True while a process with this id exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** What a scripted model writes in one dialogue format: a tool call generation and an answer generation. */
export interface FormatScript {
  /** The format's name for `createAgent`. */
  readonly format: 'moss' | 'chatml'
  /** A generation calling `tool` with `args`; `single` names a single-string tool's parameter (MOSS writes `Cmd("…")`). */
  call(tool: string, args: Record<string, unknown>, single?: string): string
  /** A generation that answers. */
  answer(text: string): string
}

/** MOSS (the default format) and ChatML/Hermes `<tool_call>` (a native JSON-argument format). */
export const FORMATS: readonly FormatScript[] = [
  {
    format: 'moss',
    call: (tool, args, single) => {
      const command = tool.replace(/\W/g, '_')
      const argument = single !== undefined ? `"${String(args[single])}"` : JSON.stringify(args)
      return ` None<eot>\n<|Commands|>: ${command}(${argument})<eoc>`
    },
    answer: (text) => ` ${text}<eom>`,
  },
  {
    format: 'chatml',
    call: (tool, args) => `<tool_call>\n${JSON.stringify({ name: tool, arguments: args })}\n</tool_call><|im_end|>`,
    answer: (text) => `${text}<|im_end|>`,
  },
]
