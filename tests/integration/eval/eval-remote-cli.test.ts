/**
 * `moss eval --backend openai` end to end: the built CLI in a child process against the completions stand-in on
 * 127.0.0.1 (POST /v1/completions, server-sent events). The stand-in plays a MOSS model that answers the builtin
 * suite's first case of each category correctly, so the real calculator and solver run inside the CLI and a right
 * score is 6/6. The report must name the server and the model the requests carried, the token budget must be the
 * one a local GGUF gets, and a server that cannot be reached or refuses must stop the run with one line and exit 1 —
 * never a table that scores "no call" answers of a dead server as right.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { closedPort } from '../../helpers/closed-port.js'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { CompletionsServer, FakeReply, ReceivedRequest } from '../../fakes/completions-server.js'
import { splitIntoPieces, startCompletionsServer } from '../../fakes/completions-server.js'
import { runCli } from '../cli/run-cli.js'

/** A stack trace line, which must never reach the user. */
const STACK = /^\s+at /m
/** Nothing may leave 127.0.0.1 (the eval's search and image plugins are stand-ins anyway). */
const LOCAL_ONLY_ENV = { MOSS_SEARCH_BACKEND: 'none', MOSS_IMAGE_BACKEND: 'none' }
/** The agent's per-generation budget, which a local GGUF other than the bundled model also gets. */
const AGENT_DEFAULT_MAX_TOKENS = 512

/** The commands a MOSS model would write for the builtin suite's first case of each category. */
function commandFor(question: string): string {
  if (/47 times 23/.test(question)) return 'Calculate("47*23")'
  if (/^Solve /.test(question)) return `Solve("${question.slice(6)}")`
  if (/capital of Kenya/.test(question)) return 'Search("capital of Kenya")'
  if (/^Draw /.test(question)) return `Text2Image("${question.slice(5)}")`
  return 'None'
}

/** Plays a MOSS model: the right command span for the human's question, then an answer built from the results. */
function mossStandIn(request: ReceivedRequest): FakeReply {
  const prompt = request.body.prompt
  let text = ' ?<eom>'
  if (prompt.endsWith('<|Inner Thoughts|>:')) {
    const question = /<\|Human\|>: ([^\n]*)<eoh>\n<\|Inner Thoughts\|>:$/.exec(prompt)?.[1] ?? ''
    const command = commandFor(question)
    text = ` ${command === 'None' ? 'None' : 'Use a tool.'}<eot>\n<|Commands|>: ${command}<eoc>`
  } else if (prompt.endsWith('<|MOSS|>:')) {
    // The text after `=>` in the last results block (`'1081'`, or the solver's `x_0 = 3` lines), on one line.
    const block = prompt.slice(prompt.lastIndexOf('<|Results|>:'), prompt.lastIndexOf('<eor>'))
    const values = block.split('=>').slice(1).join(' ').replace(/\s+/g, ' ').trim()
    text = values === '' ? ' Hello! How can I help?<eom>' : ` The result: ${values}<eom>`
  }
  // `length`: like a server that does not stop on the markers itself; the client cuts the text.
  return { kind: 'stream', pieces: splitIntoPieces(text, 3), finishReason: 'length' }
}

interface EvalJson {
  runs: { run: string; overall: { cases: number; correct: number } }[]
  results: { run: string; id: string; correct: boolean; error?: string }[]
}

const evalArgs = (baseUrl: string, ...more: string[]): string[] => ['eval', '--suite', 'builtin', '--limit', '1', '--backend', 'openai', '--base-url', baseUrl, ...more]

let server: CompletionsServer
let tmp: string
beforeAll(async () => {
  server = await startCompletionsServer(mossStandIn)
  tmp = mkdtempSync(join(tmpdir(), 'moss-eval-remote-'))
})
afterAll(async () => {
  await server.close()
  rmSync(tmp, { recursive: true, force: true })
})
beforeEach(() => {
  server.requests.length = 0
  server.setHandler(mossStandIn)
})

describe('moss eval --backend openai', () => {
  it('scores the served model through the real wire format; the run names the model and the server', async () => {
    const run = await runCli(evalArgs(server.url, '--model', 'served-moss', '--json'), { env: LOCAL_ONLY_ENV })
    expect(run.stderr).not.toMatch(STACK)
    expect(run.code).toBe(0)
    const data = JSON.parse(run.stdout) as EvalJson
    const label = `served-moss @ OpenAI-compatible server ${server.url}/v1/completions · moss · grammar off`
    // One run: a remote server takes no grammar from moss-agent, so "grammar on" would be a second, identical run.
    expect(data.runs.map((r) => r.run)).toEqual([label])
    expect(run.stderr).toContain(`${label} 100%`)
    expect(data.runs[0]?.overall).toMatchObject({ cases: 6, correct: 6 })
    expect(data.results.filter((r) => r.error !== undefined)).toEqual([])

    // Every case reached the server (thought and commands, then the answer after the results).
    for (const question of ['47 times 23', 'Solve x^2', 'capital of Kenya', 'Draw a cat', 'heyyy', 'Do you have a calculator?']) {
      expect(server.requests.filter((r) => r.body.prompt.includes(question)).length, question).toBeGreaterThanOrEqual(2)
    }
    for (const request of server.requests) {
      expect(request.path).toBe('/v1/completions')
      expect(request.body).toMatchObject({ model: 'served-moss', stream: true, max_tokens: AGENT_DEFAULT_MAX_TOKENS, temperature: 0 })
    }
    // The real calculator ran in the CLI and its result went back to the server.
    expect(server.requests.some((r) => r.body.prompt.includes('Calculate("47*23") => \'1081\''))).toBe(true)
  }, 120_000)

  it('without --model: the server\'s default model, named as such, with the same budget (not the bundled model\'s)', async () => {
    const run = await runCli(evalArgs(server.url), { env: LOCAL_ONLY_ENV })
    expect(run.code).toBe(0)
    const label = `default model @ OpenAI-compatible server ${server.url}/v1/completions · moss · grammar off`
    expect(run.stdout).toMatch(/^suite builtin: 6 cases/)
    expect(run.stdout).toContain(`category          ${label}`)
    expect(run.stdout).toMatch(/^all +100\.0% \(6\/6\)$/m)
    expect(run.stdout).not.toContain('tiny-moss')
    expect(server.requests.length).toBeGreaterThan(0)
    for (const request of server.requests) {
      expect(request.body.model).toBeUndefined()
      expect(request.body.max_tokens).toBe(AGENT_DEFAULT_MAX_TOKENS)
    }
  }, 120_000)

  it('--max-tokens sets the budget sent as max_tokens', async () => {
    const run = await runCli(evalArgs(server.url, '--model', 'served-moss', '--max-tokens', '300', '--json'), { env: LOCAL_ONLY_ENV })
    expect(run.code).toBe(0)
    expect(new Set(server.requests.map((r) => r.body.max_tokens))).toEqual(new Set([300]))
  }, 120_000)

  it('a server nobody listens on: one line naming it, nothing on stdout, exit 1', async () => {
    const port = await closedPort()
    const resume = join(tmp, 'refused.jsonl')
    const run = await runCli(evalArgs(`http://127.0.0.1:${port}`, '--model', 'served-moss', '--resume', resume), { env: LOCAL_ONLY_ENV })
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).not.toMatch(STACK)
    const lines = run.stderr.split('\n').filter((line) => line.startsWith('moss:'))
    expect(lines).toEqual([`moss: Cannot reach OpenAI-compatible server http://127.0.0.1:${port}/v1/completions (ECONNREFUSED)`])
    // No case was scored on a server that never answered, so a rerun does not skip any.
    expect(existsSync(resume) ? readFileSync(resume, 'utf8') : '').toBe('')
  }, 60_000)

  it('a 401 stops the run at the first request with the server\'s message, exit 1', async () => {
    server.setHandler(() => ({ kind: 'status', status: 401, body: JSON.stringify({ error: { message: 'Invalid API key' } }) }))
    const run = await runCli(evalArgs(server.url, '--model', 'served-moss', '--api-key', 'wrong'), { env: LOCAL_ONLY_ENV })
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).not.toMatch(STACK)
    expect(run.stderr.split('\n').filter((line) => line.startsWith('moss:'))).toEqual([
      `moss: OpenAI-compatible server ${server.url}/v1/completions answered HTTP 401: Invalid API key`,
    ])
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0]?.headers.authorization).toBe('Bearer wrong')
  }, 60_000)

  it('a server that fails mid-run stops it; --resume keeps the finished cases and a rerun does only the rest', async () => {
    const resume = join(tmp, 'mid-run.jsonl')
    // Requests 0–3 answer the first two cases (calculate, solve); the fifth gets a server error.
    server.setHandler((request, index) => (index < 4 ? mossStandIn(request) : { kind: 'status', status: 500, body: 'CUDA out of memory' }))
    const failed = await runCli(evalArgs(server.url, '--model', 'served-moss', '--resume', resume, '--json'), { env: LOCAL_ONLY_ENV })
    expect(failed.code).toBe(1)
    expect(failed.stdout).toBe('')
    expect(failed.stderr).toMatch(/^moss: OpenAI-compatible server .* answered HTTP 500: CUDA out of memory$/m)
    const kept = readFileSync(resume, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { id: string; correct: boolean })
    expect(kept.map((r) => [r.id, r.correct])).toEqual([['calc-en-001', true], ['solve-en-001', true]])

    server.requests.length = 0
    server.setHandler(mossStandIn)
    const rerun = await runCli(evalArgs(server.url, '--model', 'served-moss', '--resume', resume, '--json'), { env: LOCAL_ONLY_ENV })
    expect(rerun.code).toBe(0)
    const data = JSON.parse(rerun.stdout) as EvalJson
    expect(data.runs[0]?.overall).toMatchObject({ cases: 6, correct: 6 })
    expect(server.requests.some((r) => r.body.prompt.includes('47 times 23'))).toBe(false)
  }, 120_000)

  it('--grammar on is refused in one line: the server cannot be given a grammar', async () => {
    const run = await runCli(evalArgs(server.url, '--grammar', 'on'), { env: LOCAL_ONLY_ENV })
    expect(run.code).toBe(2)
    expect(run.stderr.trim()).toBe('moss: --grammar on needs a local model: a remote server takes no grammar from moss-agent (use --grammar off)')
    expect(server.requests).toHaveLength(0)
  })
})
