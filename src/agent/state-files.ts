import { readdir, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * A backend's `saveState(path)` may write companion files named `<path><suffix>` next to the state (the llama.cpp
 * backend writes `<path>.json`, the sidecar that says whether the state can be restored). These are the files a
 * state saved under `path` consists of, companions first.
 */
async function stateFiles(path: string): Promise<string[]> {
  const dir = dirname(path)
  const name = basename(path)
  const names = await readdir(dir).catch(() => [] as string[])
  const companions = names.filter((entry) => entry !== name && entry.startsWith(name)).map((entry) => join(dir, entry))
  return names.includes(name) ? [...companions, path] : companions
}

/**
 * Moves a state saved under the unique temporary path `temp` (and its companions) to `target`. The state file itself
 * moves last, so a first save only becomes visible once its companions are in place; a crash between two renames
 * leaves a state whose sidecar does not match, which the backend detects and re-evaluates instead.
 */
export async function moveStateFiles(temp: string, target: string): Promise<void> {
  for (const file of await stateFiles(temp)) await rename(file, target + file.slice(temp.length))
}

/** Removes a temporary state saved under the unique path `temp` and its companions; missing files are fine. */
export async function removeStateFiles(temp: string): Promise<void> {
  for (const file of await stateFiles(temp)) await unlink(file).catch(() => undefined)
}
