/** Reading plugin settings from environment variables, the same way for every built-in plugin. */
import { ConfigError } from '../../src/plugin-kit.js'

/** Environment variables, as in `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>

/** The variable's value, trimmed; `undefined` when unset or blank (a blank value counts as unset). */
export function readEnvString(env: Env, name: string): string | undefined {
  return env[name]?.trim() || undefined
}

/** The variable as a positive integer; `undefined` when unset or blank. Throws a `ConfigError` for anything else. */
export function readEnvPositiveInteger(env: Env, name: string): number | undefined {
  const raw = readEnvString(env, name)
  if (raw === undefined) return undefined
  const value = Number(raw)
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive integer, got "${raw}"`)
  return value
}
