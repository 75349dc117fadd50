/**
 * Temporary files of saves. A save writes `<path>.<pid>.<random>.tmp` and renames it into place; a process killed in
 * between leaves the temporary behind. Its name carries the writer's pid, so a later save or load can remove exactly
 * the leftovers of processes that are gone, and never a temporary another live process is still writing.
 */
import { randomBytes } from 'node:crypto'
import { readdir, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** A fresh temporary path next to `path`, owned by this process. */
export function tempPathFor(path: string): string {
  return `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as { code?: unknown }).code === 'EPERM'
  }
}

/**
 * Removes the temporaries (and their companions, e.g. `….tmp.json`) of saves to each of `paths` whose writer process
 * no longer exists. Never throws: cleaning up is best effort.
 */
export async function removeStaleTemps(paths: readonly string[]): Promise<void> {
  for (const dir of new Set(paths.map(dirname))) {
    const names = await readdir(dir).catch(() => [] as string[])
    const owners = paths.filter((path) => dirname(path) === dir).map((path) => basename(path))
    for (const name of names) {
      const pid = owners
        .filter((own) => name.startsWith(`${own}.`))
        .map((own) => /^(\d+)\.[0-9a-f]{12}\.tmp(\..*)?$/.exec(name.slice(own.length + 1))?.[1])
        .find((found) => found !== undefined)
      if (pid === undefined || isAlive(Number(pid))) continue
      await unlink(join(dir, name)).catch(() => undefined)
    }
  }
}
