/**
 * `dispose()` seen from a real Node script (over the built dist/, as `npm test` builds before vitest): the script's
 * event loop is kept alive by nothing but the pool, so a dispose that waits on unref'd children lets Node exit with
 * code 0 in the middle of `await dispose()` (or `await warmup()`) and the next line never runs.
 */
import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'

const SCRIPT = new URL('./fixtures/dispose-script.mjs', import.meta.url)

interface ScriptRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

function runScript(scenario: string): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT.pathname, scenario], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('isolation pool dispose in a plain Node script', () => {
  it('calculator: one run, then await dispose() returns and the script goes on', async () => {
    const run = await runScript('calculator-dispose')
    expect(run.stderr).toBe('')
    expect(run.stdout).toBe('result {"text":"2"}\nafter dispose\n')
    expect(run.code).toBe(0)
  })

  it('await warmup() and then await dispose() of idle warm children both return, and every child is gone', async () => {
    const run = await runScript('warm-pool-dispose')
    expect(run.stdout).toBe('warm 2\nafter dispose, alive 0\n')
    expect(run.code).toBe(0)
  })

  it('an idle warm child does not keep the script alive without dispose', async () => {
    const run = await runScript('idle-no-dispose')
    expect(run.stdout).toBe('value 42\nend of script\n')
    expect(run.code).toBe(0)
  })
})
