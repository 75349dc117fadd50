/**
 * Testing hook: with `MOSS_SCRIPTED_OUTPUTS=/path/to/outputs.json` the CLI runs on a {@link ScriptedBackend}
 * instead of a model, so tests can drive the real binary through pipes or a pseudo-terminal without a GGUF.
 *
 * The file holds either an array of outputs (strings, or `{ text, hang?, chunkDelayMs? }` steps) or
 * `{ "outputs": [...], "chunkSize": 4 }`. Not meant for users; documented here and in the CLI tests.
 */
import { readFile } from 'node:fs/promises'
import { ConfigError } from '../errors.js'
import { ScriptedBackend } from '../testing/index.js'
import type { ScriptedOutput } from '../testing/index.js'

interface ScriptFile {
  readonly outputs: readonly ScriptedOutput[]
  readonly chunkSize?: number
}

/** Builds the scripted backend described by the file at `path`. */
export async function createScriptedBackendFromFile(path: string): Promise<ScriptedBackend> {
  let data: unknown
  try {
    data = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    throw new ConfigError(`MOSS_SCRIPTED_OUTPUTS: cannot read ${path}`, { cause: error })
  }
  const file: ScriptFile = Array.isArray(data) ? { outputs: data as ScriptedOutput[] } : (data as ScriptFile)
  if (!file || !Array.isArray(file.outputs)) throw new ConfigError(`MOSS_SCRIPTED_OUTPUTS: ${path} has no outputs array`)
  return new ScriptedBackend(file.outputs, file.chunkSize !== undefined ? { chunkSize: file.chunkSize } : {})
}
