import { readdir, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { BackendError } from '../errors.js'

/**
 * A backend's `saveState(path)` may write companion files named `<path><suffix>` next to the state (the llama.cpp
 * backend writes `<path>.json`, the sidecar that says whether the state can be restored). Returns the companions of
 * a state saved under `path` and whether the state file itself exists.
 */
async function stateFiles(path: string): Promise<{ companions: string[]; exists: boolean }> {
  const dir = dirname(path)
  const name = basename(path)
  const names = await readdir(dir).catch(() => [] as string[])
  const companions = names.filter((entry) => entry !== name && entry.startsWith(name)).map((entry) => join(dir, entry))
  return { companions, exists: names.includes(name) }
}

/**
 * Moves a state saved under the unique temporary path `temp` (and its companions) to `target`. Throws, moving
 * nothing, when the backend wrote no state file. The state file itself moves last, so a first save only becomes
 * visible once its companions are in place; a crash between two renames leaves a state whose sidecar does not
 * match, which the backend detects and re-evaluates instead.
 */
export async function moveStateFiles(temp: string, target: string): Promise<void> {
  const { companions, exists } = await stateFiles(temp)
  if (!exists) throw new BackendError(`The backend wrote no state file at ${temp}`)
  for (const file of companions) await rename(file, target + file.slice(temp.length))
  await rename(temp, target)
}

/** Removes a temporary state saved under the unique path `temp` and its companions; missing files are fine. */
export async function removeStateFiles(temp: string): Promise<void> {
  const { companions, exists } = await stateFiles(temp)
  for (const file of exists ? [...companions, temp] : companions) await unlink(file).catch(() => undefined)
}
