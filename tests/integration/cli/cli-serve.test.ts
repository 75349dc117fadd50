/**
 * `moss serve` as a user starts it: the built CLI in a child process (model replaced by the testing hook), the page
 * and the API on the printed address (`/v1/info` naming the search and image services as the REPL banner does), a
 * streamed turn, and a clean stop on SIGTERM; a public address without a
 * token is refused with one line.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { post, readSse } from '../server/harness.js'
import { BIN, ROOT, cleanEnv, plainTurn, runCli, writeScript } from './run-cli.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moss-cli-serve-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('moss serve (CLI)', () => {
  it('serves the page and the API, streams a turn, and stops cleanly on SIGTERM', { timeout: 60_000 }, async () => {
    const script = await writeScript(dir, 'script.json', plainTurn('Hello from the server.'))
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--sessions', join(dir, 'sessions')], {
      cwd: ROOT,
      env: { ...cleanEnv(), MOSS_SCRIPTED_OUTPUTS: script },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(stderr)
        if (match?.[1]) resolve(match[1])
      })
      void exited.then(() => reject(new Error(`moss serve exited: ${stderr}`)))
    })
    try {
      const page = await fetch(`${url}/`)
      expect(page.headers.get('content-type')).toMatch(/^text\/html/)
      expect(await page.text()).toContain('<title>moss-agent</title>')
      // The services the REPL banner names, in its words (no image backend, no search configured: the defaults).
      const info = (await (await fetch(`${url}/v1/info`)).json()) as { services: string[] }
      expect(info.services).toEqual([
        'search: Wikipedia (needs the internet; offline, --docs DIR searches your own files)',
        'images: off (no image backend configured; see --image-backend in moss --help)',
      ])
      const { id } = (await (await post(`${url}/v1/sessions`, {})).json()) as { id: string }
      const messages = await readSse(await post(`${url}/v1/sessions/${id}/messages`, { text: 'hi' }))
      expect(messages.at(-1)?.data).toMatchObject({ type: 'turn-finish', text: 'Hello from the server.' })
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
    expect(stderr).toContain('stopping')
  })

  it('refuses a public address without a token in one line', async () => {
    const script = await writeScript(dir, 'script.json', [])
    const run = await runCli(['serve', '--host', '0.0.0.0', '--port', '0'], { env: { MOSS_SCRIPTED_OUTPUTS: script } })
    expect(run.code).not.toBe(0)
    expect(run.stderr.trim()).toBe('moss: Serving on 0.0.0.0 (not loopback) needs a token: --token T or MOSS_SERVE_TOKEN')
  })
})
