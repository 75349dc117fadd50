/** `main()` in-process, with fake streams: exit codes and one-line errors. */
import { PassThrough } from 'node:stream'
import { describe, expect, test } from 'vitest'
import { bannerText } from '../../../src/cli/banner.js'
import { bundledModelWarnings } from '../../../src/cli/build-agent.js'
import { HELP_COLUMN, helpText } from '../../../src/cli/help-text.js'
import { parseCliArgs } from '../../../src/cli/args.js'
import { main } from '../../../src/cli/main.js'
import { definePlugin } from '../../../src/index.js'
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
    [['--format', 'xml'], 'moss: --format must be one of auto, moss, qwen, hermes, llama3, mistral, chatml, glm4, chatglm3 (got "xml")'],
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

  test('--help: every description starts in one column, and no plugin is said to be always on', () => {
    const rows = helpText()
      .split('\n')
      .filter((line) => line.startsWith('  -'))
    expect(rows.length).toBeGreaterThan(20)
    for (const row of rows) {
      // The description follows two or more spaces, at the column; a flag too long for that stands alone and its
      // description starts the next line at the column (checked below).
      const gap = /\S {2,}(?=\S)/.exec(row)
      if (gap) expect(gap.index + gap[0].length).toBe(HELP_COLUMN)
    }
    const continued = helpText().split('\n').filter((l) => l.startsWith(' '.repeat(20)))
    expect(continued.length).toBeGreaterThan(0)
    for (const line of continued) expect(line.search(/\S/)).toBe(HELP_COLUMN)
    expect(helpText()).toContain('  --searxng-url URL              SearxNG instance URL')
    expect(helpText()).not.toContain('always on')
  })

  test('the banner says which search and image services are used, and what offline means', () => {
    const plugin = (name: string, config: Record<string, unknown>, enabled = true) =>
      definePlugin({ name, command: name.replace(/-/g, '_'), description: '', enabled, config, run: () => '' })
    expect(bannerText('tiny.gguf (cpu)', [plugin('search', { backends: ['wikipedia'] }), plugin('text-to-image', { backend: 'none' }, false)])).toBe(
      [
        'moss: tiny.gguf (cpu).',
        '  search: Wikipedia (needs the internet; offline, --docs DIR searches your own files)',
        '  images: off (no image backend configured; see --image-backend in moss --help)',
        'Type /help for commands.',
      ].join('\n'),
    )
    const configured = bannerText('m', [plugin('search', { backends: ['local', 'searxng'] }), plugin('text-to-image', { backend: 'sdapi' })])
    expect(configured).toContain('  search: your documents (--docs) + SearxNG\n')
    expect(configured).toContain('  images: Stable Diffusion server\n')
    expect(bannerText('m', [plugin('search', { backends: ['wikipedia'] }, false)])).toContain('search: off')
  })

  test('the bundled model warns about a format or meta-instruction language it was not trained for', () => {
    const warnings = (argv: string[]) => bundledModelWarnings(parseCliArgs(argv, {}))
    expect(warnings([])).toEqual([])
    expect(warnings(['--format', 'chatml'])).toEqual([expect.stringContaining('trained only on the moss format; with --format chatml')])
    expect(warnings(['--lang', 'zh'])).toEqual([expect.stringContaining('English meta instruction; --lang zh')])
    expect(warnings(['--format', 'chatml', '--model', 'qwen.gguf'])).toEqual([])
    expect(warnings(['--lang', 'zh', '--backend', 'openai', '--base-url', 'http://127.0.0.1:1'])).toEqual([])
  })
})
