/**
 * The REPL under a real pseudo-terminal (tmux): Ctrl-C stops a generation and the prompt comes back, Chinese
 * input works, Ctrl-D exits, and the history file is written. `.ci/run` installs tmux from Debian's packages.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { BIN, ROOT, plainTurn, writeScript } from './run-cli.js'

function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const socket = `moss-test-${process.pid}`
const tmux = (...args: string[]): string => execFileSync('tmux', ['-u', '-L', socket, ...args], { encoding: 'utf8' })
const screen = (): string => tmux('capture-pane', '-p', '-J', '-t', 'moss', '-S', '-100')
/** The screen with its colour escapes (`-e`). */
const screenWithEscapes = (): string => tmux('capture-pane', '-p', '-e', '-J', '-t', 'moss', '-S', '-100')

async function waitForScreen(check: (text: string) => boolean, ms = 20_000, read = screen): Promise<string> {
  const deadline = Date.now() + ms
  let text = ''
  while (Date.now() < deadline) {
    text = read()
    if (check(text)) return text
    await sleep(50)
  }
  throw new Error(`screen never matched; it shows:\n${text}`)
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moss-tty-'))
})
afterAll(async () => {
  try {
    tmux('kill-server')
  } catch {
    // already gone
  }
  await rm(dir, { recursive: true, force: true })
})

// Skipped only where tmux is not installed (a developer machine); CI installs it.
describe.runIf(hasTmux())('moss chat in a terminal', () => {
  test('Ctrl-C aborts the generation, the prompt comes back, Ctrl-D exits', async () => {
    const script = await writeScript(dir, 'tty.json', [
      ' None<eot>\n<|Commands|>: None<eoc>',
      { text: ' Counting slowly: one two three', hang: true },
      ...plainTurn('Back at your service.'),
    ])
    const history = join(dir, 'history')
    const command = [
      'env',
      `MOSS_SCRIPTED_OUTPUTS=${script}`,
      `MOSS_HISTORY=${history}`,
      'LANG=C.UTF-8',
      process.execPath,
      BIN,
      'chat',
      '; echo "exit=$?"; sleep 30',
    ].join(' ')
    tmux('new-session', '-d', '-s', 'moss', '-x', '100', '-y', '30', '-c', ROOT, command)

    await waitForScreen((s) => s.includes('Type /help'))
    tmux('send-keys', '-t', 'moss', '数到十，慢慢来', 'Enter')
    await waitForScreen((s) => s.includes('Counting slowly: one two three'))
    tmux('send-keys', '-t', 'moss', 'C-c')
    const afterAbort = await waitForScreen((s) => /aborted\s*\n> ?$/m.test(s.trimEnd() + ' '))
    expect(afterAbort).toContain('数到十，慢慢来')

    tmux('send-keys', '-t', 'moss', 'again', 'Enter')
    await waitForScreen((s) => s.includes('Back at your service.'))
    await waitForScreen((s) => /Back at your service\.\s*\n> ?$/m.test(s.trimEnd() + ' '))
    tmux('send-keys', '-t', 'moss', 'C-d')
    await waitForScreen((s) => s.includes('exit=0'))

    const saved = await readFile(history, 'utf8')
    expect(saved.split('\n')).toEqual(expect.arrayContaining(['数到十，慢慢来', 'again']))
  })

  test('a slow multi-line paste is one message; the banner names the services; `… ` continues; NO_COLOR is honoured', async () => {
    const script = await writeScript(dir, 'paste.json', [
      ...plainTurn('One answer for the whole paste.'),
      ' Use the calculator.<eot>\n<|Commands|>: Calculate("(2+3")<eoc>',
      ' Sorry.<eom>',
    ])
    const saved = join(dir, 'paste-chat.json')
    const command = [
      'env',
      `MOSS_SCRIPTED_OUTPUTS=${script}`,
      `MOSS_HISTORY=${join(dir, 'paste-history')}`,
      'NO_COLOR=1',
      'LANG=C.UTF-8',
      process.execPath,
      BIN,
      'chat',
      '; echo "exit=$?"; sleep 30',
    ].join(' ')
    tmux('kill-session', '-t', 'moss')
    tmux('new-session', '-d', '-s', 'moss', '-x', '100', '-y', '30', '-c', ROOT, command)
    const banner = await waitForScreen((s) => s.includes('Type /help'))
    expect(banner).toContain('search: Wikipedia (needs the internet; offline, --docs DIR searches your own files)')
    expect(banner).toContain('images: off (no image backend configured')

    // A bracketed paste whose lines arrive far apart (a slow link): still one message, one answer.
    tmux('send-keys', '-t', 'moss', '-l', '\x1b[200~first pasted line')
    tmux('send-keys', '-t', 'moss', 'Enter')
    await sleep(300)
    tmux('send-keys', '-t', 'moss', '-l', 'second pasted line')
    tmux('send-keys', '-t', 'moss', 'Enter')
    tmux('send-keys', '-t', 'moss', '-l', '\x1b[201~')
    await waitForScreen((s) => s.includes('One answer for the whole paste.'))
    tmux('send-keys', '-t', 'moss', '-l', `/save ${saved}`)
    tmux('send-keys', '-t', 'moss', 'Enter')
    await waitForScreen((s) => s.includes('(saved to'))
    const file = JSON.parse(await readFile(saved, 'utf8')) as { turns: { human: string }[] }
    expect(file.turns.map((t) => t.human)).toEqual(['first pasted line\nsecond pasted line'])

    // A line ending in \ continues with a prompt that says so.
    tmux('send-keys', '-t', 'moss', '-l', 'what is (2+3\\')
    tmux('send-keys', '-t', 'moss', 'Enter')
    await waitForScreen((s) => /^… $/m.test(s) || /^…$/m.test(s))
    tmux('send-keys', '-t', 'moss', '-l', 'please')
    tmux('send-keys', '-t', 'moss', 'Enter')
    const coloured = await waitForScreen((s) => s.includes('Sorry.'), 20_000, screenWithEscapes)
    expect(coloured).toContain('✗ Calculate: No calculation results. — ')
    expect(coloured).toContain('Parenthesis ) expected')
    expect(coloured).not.toContain('\x1b[')
    tmux('send-keys', '-t', 'moss', 'C-d')
    await waitForScreen((s) => s.includes('exit=0'))
  })
})
