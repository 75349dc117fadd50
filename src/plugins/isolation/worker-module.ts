import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { sep } from 'node:path'
import { ConfigError } from '../../errors.js'

/**
 * Locates a plain-JavaScript worker module that sits next to the TypeScript source of its caller. Worker modules are
 * not compiled (the child runs without a TypeScript loader), so from compiled code under `dist/` the file is looked
 * up first beside the compiled file and then at the same place in the source tree (`dist/plugins/x/` →
 * `plugins/x/`). Throws {@link ConfigError} when neither exists.
 *
 * @param fileName the worker's file name, e.g. `'worker.mjs'`
 * @param callerUrl `import.meta.url` of the caller
 */
export function resolveWorkerModule(fileName: string, callerUrl: string | URL): URL {
  const beside = new URL(fileName, callerUrl)
  if (existsSync(fileURLToPath(beside))) return beside
  const path = fileURLToPath(beside)
  const marker = `${sep}dist${sep}`
  const at = path.lastIndexOf(marker)
  if (at >= 0) {
    const source = path.slice(0, at + 1) + path.slice(at + marker.length)
    if (existsSync(source)) return pathToFileURL(source)
  }
  throw new ConfigError(`Worker module ${fileName} not found next to ${fileURLToPath(callerUrl)}`)
}
