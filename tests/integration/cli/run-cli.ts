/**
 * Runs the built CLI (`node bin/moss.js`, which loads dist/) as a child process through pipes. `npm test` builds
 * before vitest runs. The model is replaced by the CLI's testing hook, `MOSS_SCRIPTED_OUTPUTS`.
 */
import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Package root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
/** The launcher. */
export const BIN = join(ROOT, 'bin', 'moss.js')

/** Result of a finished CLI run. */
export interface CliRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `moss …args` with `input` on stdin and waits for it to exit. */
export function runCli(args: readonly string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...cleanEnv(), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(options.input ?? '')
  })
}

/** The parent's environment without MOSS_* variables, so the developer's settings cannot change a test. */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('MOSS_') && key !== 'HF_TOKEN' && key !== 'OPENAI_API_KEY') env[key] = value
  }
  env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'
  return env
}

/** Writes a script of model outputs for the testing hook and returns its path. */
export async function writeScript(dir: string, name: string, outputs: readonly unknown[]): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, JSON.stringify(outputs), 'utf8')
  return path
}

/** The two MOSS generations of a turn that calls nothing and answers `answer`. */
export function plainTurn(answer: string, thought = 'None'): string[] {
  return [` ${thought}<eot>\n<|Commands|>: None<eoc>`, ` ${answer}<eom>`]
}
