/**
 * Locates the installed package, so files shipped beside the code (prompts/) are found both when running from
 * `src/` (vitest, tsx) and from `dist/src/` (after `npm run build`).
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError } from '../errors.js'

const PACKAGE_NAME = 'moss-agent'

let cached: string | undefined

/**
 * The absolute path of the folder holding moss-agent's own `package.json`, found by walking up from this module.
 * Cached after the first call. Throws {@link ConfigError} when the package layout is broken.
 */
export function packageRoot(): string {
  if (cached !== undefined) return cached
  let dir = dirname(fileURLToPath(import.meta.url))
  while (true) {
    const candidate = join(dir, 'package.json')
    if (existsSync(candidate)) {
      try {
        const json = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown }
        if (json.name === PACKAGE_NAME) {
          cached = dir
          return dir
        }
      } catch {
        // An unreadable package.json on the way up is not ours; keep walking.
      }
    }
    const parent = dirname(dir)
    if (parent === dir) throw new ConfigError(`Cannot find the ${PACKAGE_NAME} package root above ${fileURLToPath(import.meta.url)}`)
    dir = parent
  }
}

const textCache = new Map<string, string>()

/** Reads a UTF-8 file shipped with the package (path relative to the package root), cached. */
export function readPackageText(relativePath: string): string {
  const hit = textCache.get(relativePath)
  if (hit !== undefined) return hit
  const path = join(packageRoot(), relativePath)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (cause) {
    throw new ConfigError(`Cannot read packaged file ${relativePath} (${path})`, { cause })
  }
  textCache.set(relativePath, text)
  return text
}
