/** `main()` in-process, with fake streams: exit codes and one-line errors. */
import { PassThrough } from 'node:stream'
import { describe, expect, test } from 'vitest'
import { main } from '../../../src/cli/main.js'
import type { CliStreams } from '../../../src/cli/streams.js'

function fakeIo(env: Record<string, string> = {}): { io: CliStreams; out: () => string; err: () => string } {
  let out = ''
  let err = ''
  const io: CliStreams = {
    stdin: new PassThrough(),
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    signals: { on: () => undefined, off: () => undefined },
    env,
  }
  return { io, out: () => out, err: () => err }
}

describe('main', () => {
  test('--help and --version exit 0', async () => {
    const help = fakeIo()
    expect(await main(['--help'], help.io)).toBe(0)
    expect(help.out()).toContain('Usage: moss')
    const version = fakeIo()
    expect(await main(['--version'], version.io)).toBe(0)
    expect(version.out()).toMatch(/^\d+\.\d+\.\d+/)
  })

  test.each([
    [['--bogus'], 'moss: unknown option --bogus (see moss --help)'],
    [['--threads', 'many'], 'moss: --threads must be an integer (got "many")'],
    [['--temperature=-1'], 'moss: --temperature must be at least 0 (got -1)'],
    [['--format', 'xml'], 'moss: --format must be one of moss, chatml, chatglm3 (got "xml")'],
    [['--backend', 'openai'], 'moss: --backend openai needs --base-url URL (or MOSS_BASE_URL)'],
    [['frobnicate'], 'moss: unknown command "frobnicate" (commands: chat, run, serve; see moss --help)'],
    [['run'], 'moss: moss run needs a question, e.g. moss run "What is 2+3?"'],
  ])('%j → exit 2 with one line', async (argv, line) => {
    const { io, out, err } = fakeIo()
    expect(await main(argv, io)).toBe(2)
    expect(err()).toBe(`${line}\n`)
    expect(out()).toBe('')
  })

  test('a missing scripted-outputs file (testing hook) is a usage error, not a stack trace', async () => {
    const { io, err } = fakeIo({ MOSS_SCRIPTED_OUTPUTS: '/nonexistent/outputs.json' })
    expect(await main(['run', 'hi'], io)).toBe(2)
    expect(err()).toBe('moss: MOSS_SCRIPTED_OUTPUTS: cannot read /nonexistent/outputs.json\n')
  })
})
