/**
 * The CLI as scripts meet it: a child process driven through pipes (no terminal).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { spawn } from 'node:child_process'
import { BIN, ROOT, cleanEnv, plainTurn, runCli, writeScript } from './run-cli.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moss-cli-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A stack trace line, which must never reach the user. */
const STACK = /^\s+at /m

describe('moss CLI through pipes', () => {
  test('--help prints usage and exits 0', async () => {
    const run = await runCli(['--help'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('moss run "question"')
    expect(run.stdout).toContain('--no-thoughts')
  })

  // The full table of argument mistakes is checked in-process (tests/unit/cli/main.test.ts); one child proves the
  // real process prints one line and exits 2.
  test('a bad flag gives one line on stderr and exit 2', async () => {
    const run = await runCli(['--bogus'])
    expect(run.code).toBe(2)
    expect(run.stderr).toBe('moss: unknown option --bogus (see moss --help)\n')
    expect(run.stdout).toBe('')
  })

  test('a missing model file gives one clear line and exit 1', async () => {
    const run = await runCli(['run', 'hi', '--model', join(dir, 'nope.gguf'), '--threads', '1'])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^moss: .*nope\.gguf.*--model/m)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).not.toMatch(STACK)
  })

  test('moss run answers once, streaming the answer, thoughts included unless --no-thoughts', async () => {
    const script = await writeScript(dir, 'run.json', plainTurn('The answer is 5.', 'Simple sum.'))
    const run = await runCli(['run', 'What is 2+3?'], { env: { MOSS_SCRIPTED_OUTPUTS: script } })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Simple sum.')
    expect(run.stdout).toContain('The answer is 5.')
    const quiet = await runCli(['run', 'What is 2+3?', '--no-thoughts'], { env: { MOSS_SCRIPTED_OUTPUTS: script } })
    expect(quiet.stdout.trim()).toBe('The answer is 5.')
  })

  test('moss run --json prints the events as JSON lines', async () => {
    const script = await writeScript(dir, 'json.json', [
      ' I should calculate.<eot>\n<|Commands|>: Calculate("2+3")<eoc>',
      ' It is 5.<eom>',
    ])
    const run = await runCli(['run', '--json', '2+3=?'], { env: { MOSS_SCRIPTED_OUTPUTS: script } })
    expect(run.code).toBe(0)
    const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; [k: string]: unknown })
    const types = events.map((e) => e.type)
    expect(types[0]).toBe('turn-start')
    expect(types.at(-1)).toBe('turn-finish')
    expect(types).toContain('tool-call')
    const result = events.find((e) => e.type === 'tool-result')
    expect(result?.output).toBe('5')
    expect(events.at(-1)?.text).toBe('It is 5.')
  })

  test('the REPL reads piped lines in order, runs slash commands, and handles Chinese', async () => {
    const script = await writeScript(dir, 'repl.json', [...plainTurn('你好！我是 MOSS。'), ...plainTurn('第二个回答')])
    const saved = join(dir, 'chat.json')
    const input = ['你好，世界', '/plugins', '/thoughts off', '/model', '第二个问题', `/save ${saved}`, '/nope', '/exit', 'never sent'].join('\n')
    const run = await runCli(['chat'], { input, env: { MOSS_SCRIPTED_OUTPUTS: script, MOSS_HISTORY: join(dir, 'h') } })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const out = run.stdout
    expect(out.indexOf('你好！我是 MOSS。')).toBeGreaterThanOrEqual(0)
    expect(out.indexOf('calculator')).toBeGreaterThan(out.indexOf('你好！我是 MOSS。'))
    expect(out).toContain('(thoughts hidden)')
    expect(out).toContain('scripted backend')
    expect(out.indexOf('第二个回答')).toBeGreaterThan(out.indexOf('(thoughts hidden)'))
    expect(out).toContain('unknown command /nope')
    const file = JSON.parse(await readFile(saved, 'utf8')) as { turns: { human: string; answer: string }[] }
    expect(file.turns.map((t) => t.human)).toEqual(['你好，世界', '第二个问题'])
  })

  test('/load continues a saved conversation in a new process', async () => {
    const first = await writeScript(dir, 'first.json', plainTurn('Noted: blue.'))
    const saved = join(dir, 'colour.json')
    await runCli(['chat'], { input: `my colour is blue\n/save ${saved}\n`, env: { MOSS_SCRIPTED_OUTPUTS: first } })
    const second = await writeScript(dir, 'second.json', plainTurn('Blue.'))
    const run = await runCli(['chat'], { input: `/load ${saved}\nwhat is my colour?\n/save ${saved}\n`, env: { MOSS_SCRIPTED_OUTPUTS: second } })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('loaded 1 turns')
    const file = JSON.parse(await readFile(saved, 'utf8')) as { turns: { human: string }[] }
    expect(file.turns.map((t) => t.human)).toEqual(['my colour is blue', 'what is my colour?'])
  })

  test('/load keeps text-to-image off where no image backend is configured, with the notice /plugins enable gives', async () => {
    const saved = join(dir, 'with-images.json')
    const history = join(dir, 'h-images')
    // Saved where an image server is configured (it is never contacted: no image is asked for).
    const first = await writeScript(dir, 'images-first.json', plainTurn('Hello.'))
    const save = await runCli(['chat'], {
      input: `hello\n/save ${saved}\n`,
      env: { MOSS_SCRIPTED_OUTPUTS: first, MOSS_SDAPI_URL: 'http://127.0.0.1:9', MOSS_HISTORY: history },
    })
    expect(save.code).toBe(0)
    expect((JSON.parse(await readFile(saved, 'utf8')) as { enabledPlugins: string[] }).enabledPlugins).toContain('text-to-image')

    // Loaded where none is.
    const second = await writeScript(dir, 'images-second.json', [])
    const input = [`/load ${saved}`, '/plugins', '/plugins enable text-to-image'].join('\n')
    const run = await runCli(['chat'], { input, env: { MOSS_SCRIPTED_OUTPUTS: second, MOSS_IMAGE_BACKEND: 'none', MOSS_HISTORY: history } })
    expect(run.code).toBe(0)
    expect(run.stderr).toBe('')
    const refusal = /^error: (Plugin "text-to-image" cannot be enabled: .*)$/m.exec(run.stdout)?.[1]
    expect(refusal).toMatch(/no image backend is configured/)
    expect(run.stdout).toContain(`(loaded 1 turns from ${saved})\nnote: ${refusal ?? '?'}; it stays off\n`)
    expect(run.stdout).toMatch(/\[off\] text-to-image /)
  })

  test('a reader that goes away early (`| head -1`) ends the run quietly, not with an EPIPE stack trace', async () => {
    const script = await writeScript(dir, 'epipe.json', plainTurn('A long answer. '.repeat(200), 'Thinking. '.repeat(50)))
    const child = spawn(process.execPath, [BIN, 'run', '--json', 'q'], { cwd: ROOT, env: { ...cleanEnv(), MOSS_SCRIPTED_OUTPUTS: script } })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.stdout.once('data', () => child.stdout.destroy())
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(stderr).not.toContain('EPIPE')
    expect(stderr).not.toMatch(STACK)
    expect(code).toBe(0)
  })

  test('REPL commands: /help is aligned, /thoughts checks its argument, text-to-image cannot be enabled unconfigured', async () => {
    const script = await writeScript(dir, 'commands.json', [])
    const input = ['/help', '/thoughts maybe', '/plugins enable text-to-image', '/plugins'].join('\n')
    const run = await runCli(['chat'], { input, env: { MOSS_SCRIPTED_OUTPUTS: script, MOSS_HISTORY: join(dir, 'h') } })
    expect(run.code).toBe(0)
    const lines = run.stdout.split('\n')
    const rows = lines.filter((line) => /^ {2}\/\w/.test(line))
    expect(rows.length).toBeGreaterThanOrEqual(8)
    const column = (row: string): number => /^ {2}\S+(?: \S+)*? {2,}/.exec(row)?.[0].length ?? -1
    expect(new Set(rows.map(column)).size).toBe(1)
    expect(lines).toContain('usage: /thoughts [on|off]')
    expect(run.stdout).toContain('error: Plugin "text-to-image" cannot be enabled: no image backend is configured')
    expect(run.stdout).toMatch(/\[off\] text-to-image .*\(unavailable: no image backend is configured/)
  })

  test('--docs must name an existing folder', async () => {
    const missing = await runCli(['run', 'hi', '--docs', join(dir, 'no-such-folder')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toBe(`moss: Local search: the folder ${join(dir, 'no-such-folder')} does not exist\n`)
    const file = await writeScript(dir, 'a-file.json', [])
    const notFolder = await runCli(['run', 'hi', '--docs', file])
    expect(notFolder.code).toBe(2)
    expect(notFolder.stderr).toBe(`moss: Local search: ${file} is a file; give the folder that holds the documents\n`)
  })

  test('--json error events carry the cause as `detail`', async () => {
    const script = await writeScript(dir, 'detail.json', [' Calc.<eot>\n<|Commands|>: Calculate("(2+3")<eoc>', ' Sorry.<eom>'])
    const run = await runCli(['run', '--json', 'x'], { env: { MOSS_SCRIPTED_OUTPUTS: script } })
    const error = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; error?: { message: string; detail?: string } })
      .find((event) => event.type === 'tool-error')?.error
    expect(error?.message).toBe('No calculation results.')
    expect(error?.detail).toMatch(/^No calculation results\. — .*Parenthesis \) expected/)
  })
})

/** The bundled model, for what only a real llama.cpp shows (its own log lines, its context size, its binaries). */
describe('moss CLI on the bundled model', () => {
  const env = { MOSS_SEARCH_BACKEND: 'none', MOSS_IMAGE_BACKEND: 'none', MOSS_THREADS: '1', MOSS_SEED: '1', MOSS_HISTORY: '/dev/null' }

  test('a failed /save is one clear line; llama.cpp prints nothing of its own', async () => {
    const run = await runCli(['chat'], { input: 'hi\n/save /nonexistent-moss-dir/chat.json\n', env })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('error: could not save to /nonexistent-moss-dir/chat.json: the folder /nonexistent-moss-dir does not exist')
    expect(run.stdout + run.stderr).not.toContain('llama_state_seq_save_file')
    expect(run.stderr).toBe('')
  })

  test('a message too long for the context suggests --ctx', async () => {
    const run = await runCli(['run', '解'.repeat(5000)], { env })
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^moss: The conversation does not fit the context of \d+ tokens.*--ctx N/)
  })

  test('options the bundled model was not trained for are warned about', async () => {
    const run = await runCli(['run', 'hi', '--format', 'chatml', '--lang', 'zh'], { env })
    expect(run.stderr).toContain('moss: warning: the bundled model was trained only on the moss format; with --format chatml')
    expect(run.stderr).toContain('moss: warning: the bundled model was trained only on the English meta instruction; --lang zh')
  })

  // A machine of this kind has no GPU; where CUDA works the message cannot appear, so the test would be wrong there.
  test('--gpu cuda without a usable CUDA build says what is missing and how to fall back', async () => {
    const run = await runCli(['run', 'hi', '--gpu', 'cuda'], { env })
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^moss: llama\.cpp has no cuda build that runs on this machine .*CUDA 12 runtime.*--gpu auto/)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
  })
})
