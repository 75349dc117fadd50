/**
 * The built CLI on remote backends: `moss run` and `moss chat` as child processes, talking to the completions
 * stand-in on 127.0.0.1 through `--backend openai --base-url …` and `--backend hf --endpoint …`. The stand-in plays
 * a MOSS model (a `Calculate` call, then an answer built from the replayed results); the real calculator plugin runs
 * inside the CLI process. Faults (HTTP 401, connection refused) must give one clear line and no stack trace.
 */
import { closedPort } from '../../helpers/closed-port.js'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import type { CompletionsServer, FakeReply, ReceivedRequest } from '../../fakes/completions-server.js'
import { splitIntoPieces, startCompletionsServer } from '../../fakes/completions-server.js'
import { runCli } from './run-cli.js'

/** A stack trace line, which must never reach the user. */
const STACK = /^\s+at /m

/** The results block the CLI must replay after the real calculator ran. */
const RESULTS_LINE = "Calculate(\"23*47\") => '1081'"

/**
 * Child environment: no web search, no image service (nothing may leave 127.0.0.1), a throwaway history file.
 * `runCli` already strips the developer's MOSS_* variables and tokens.
 */
const LOCAL_ONLY_ENV = { MOSS_SEARCH_BACKEND: 'none', MOSS_IMAGE_BACKEND: 'none', MOSS_HISTORY: '/dev/null' }

/** Plays a MOSS model: a calculator call when the human asks for a product, then an answer from the results. */
function mossStandIn(request: ReceivedRequest): FakeReply {
  const prompt = request.body.prompt
  let text = ' ?<eom>'
  if (prompt.endsWith('<|Inner Thoughts|>:')) {
    const wantsMath = /\d+\*\d+[^<]*<eoh>\n<\|Inner Thoughts\|>:$/.test(prompt)
    text = wantsMath ? ' Use the calculator.<eot>\n<|Commands|>: Calculate("23*47")<eoc>' : ' None<eot>\n<|Commands|>: None<eoc>'
  } else if (prompt.endsWith('<|MOSS|>:')) {
    const lastResults = prompt.slice(prompt.lastIndexOf('<|Results|>:'))
    const value = /=> '([^']*)'/.exec(lastResults)?.[1]
    text = value === undefined ? ' 你好，我是 MOSS。<eom>' : ` 23*47 = ${value}.<eom>`
  }
  // `length`: the stand-in does not stop on the markers itself; the client cuts the text.
  return { kind: 'stream', pieces: splitIntoPieces(text, 3), finishReason: 'length' }
}

interface JsonEvent {
  readonly type: string
  readonly [key: string]: unknown
}

function parseJsonLines(stdout: string): JsonEvent[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as JsonEvent)
}

let server: CompletionsServer
beforeAll(async () => {
  server = await startCompletionsServer(mossStandIn)
})
afterAll(async () => {
  await server.close()
})
beforeEach(() => {
  server.requests.length = 0
  server.setHandler(mossStandIn)
})

describe('moss CLI on remote backends', () => {
  test('moss run --json --backend openai: tool call, real calculator, results replayed, answer streamed', async () => {
    const run = await runCli(['run', '--json', '--backend', 'openai', '--base-url', server.url, 'What is 23*47?'], {
      env: LOCAL_ONLY_ENV,
    })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const events = parseJsonLines(run.stdout)
    expect(events.find((e) => e.type === 'tool-call')).toMatchObject({ name: 'Calculate', input: '23*47' })
    expect(events.find((e) => e.type === 'tool-result')).toMatchObject({ name: 'Calculate', output: '1081' })
    const answer = events
      .filter((e) => e.type === 'text-delta')
      .map((e) => e.text as string)
      .join('')
    expect(answer.trim()).toBe('23*47 = 1081.')
    expect(events.filter((e) => e.type === 'error')).toEqual([])
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish' })

    expect(server.requests).toHaveLength(2)
    const [thought, reply] = server.requests
    expect(thought?.path).toBe('/v1/completions')
    expect(thought?.body.stream).toBe(true)
    expect(thought?.body.prompt.endsWith('<|Human|>: What is 23*47?<eoh>\n<|Inner Thoughts|>:')).toBe(true)
    // The search plugin is listed as disabled: MOSS_SEARCH_BACKEND=none reached the plugin config.
    expect(thought?.body.prompt).toContain('- Web search: disabled.')
    expect(reply?.body.prompt.startsWith(thought?.body.prompt ?? '?')).toBe(true)
    expect(reply?.body.prompt).toContain('<|Commands|>: Calculate("23*47")<eoc>')
    expect(reply?.body.prompt).toContain(RESULTS_LINE)
  })

  test('moss chat --backend hf through pipes: answers, and the second turn replays the first', async () => {
    const input = ['What is 23*47?', '你好', '/exit', 'never sent'].join('\n')
    const run = await runCli(['chat', '--backend', 'hf', '--endpoint', server.url], { input, env: LOCAL_ONLY_ENV })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('23*47 = 1081.')
    expect(run.stdout).toContain('你好，我是 MOSS。')
    expect(run.stdout.indexOf('你好，我是 MOSS。')).toBeGreaterThan(run.stdout.indexOf('23*47 = 1081.'))

    // Turn one: thought + answer; turn two: thought + answer. `/exit` stops before "never sent".
    expect(server.requests).toHaveLength(4)
    expect(server.requests.every((r) => r.path === '/v1/completions')).toBe(true)
    const secondTurn = server.requests[2]?.body.prompt ?? ''
    expect(secondTurn).toContain('<|Human|>: What is 23*47?<eoh>')
    expect(secondTurn).toContain(RESULTS_LINE)
    expect(secondTurn).toContain('<|MOSS|>: 23*47 = 1081.<eom>\n<|Human|>: 你好<eoh>')
    expect(server.requests.some((r) => r.body.prompt.includes('never sent'))).toBe(false)
  })

  test('moss chat: a 401 gives one clear line, the next message is answered, exit 0 after /exit', async () => {
    const unauthorized = JSON.stringify({ error: { message: 'Invalid API key' } })
    server.setHandler((request, index) => (index === 0 ? { kind: 'status', status: 401, body: unauthorized } : mossStandIn(request)))
    const input = ['What is 23*47?', 'What is 23*47?', '/exit'].join('\n')
    const run = await runCli(['chat', '--backend', 'openai', '--base-url', server.url, '--api-key', 'wrong'], {
      input,
      env: LOCAL_ONLY_ENV,
    })
    expect(run.code).toBe(0)
    // In the REPL a turn error is part of the conversation (stdout); stderr stays for failures that end the CLI.
    expect(run.stderr).toBe('')
    const all = `${run.stdout}\n${run.stderr}`
    expect(all).not.toMatch(STACK)
    const errorLines = all.split('\n').filter((line) => /401/.test(line))
    expect(errorLines).toHaveLength(1)
    expect(errorLines[0]).toMatch(/error: .*HTTP 401.*Invalid API key/)
    // A 401 is not retried: one refused request, then thought + answer of the second message.
    expect(server.requests).toHaveLength(3)
    expect(server.requests[0]?.headers.authorization).toBe('Bearer wrong')
    expect(run.stdout).toContain('23*47 = 1081.')
    expect(run.stdout.indexOf('23*47 = 1081.')).toBeGreaterThan(run.stdout.indexOf('401'))
  })

  test('moss run on a closed port: one clear line on stderr, nothing on stdout, exit 1', async () => {
    const port = await closedPort()
    const run = await runCli(['run', '--backend', 'openai', '--base-url', `http://127.0.0.1:${port}`, 'What is 23*47?'], {
      env: LOCAL_ONLY_ENV,
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).not.toMatch(STACK)
    expect(run.stderr).toMatch(new RegExp(`^moss: Cannot reach .*127\\.0\\.0\\.1:${port}.*ECONNREFUSED.*\\n$`))
    expect(run.stderr.split('\n').filter((line) => line !== '')).toHaveLength(1)
  })
})
