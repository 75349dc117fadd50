/**
 * Terminal colours through picocolors, decided from the injected environment rather than picocolors' own
 * process-wide guess, so `NO_COLOR` (https://no-color.org), `FORCE_COLOR` and `TERM=dumb` are honoured for the
 * streams the CLI actually writes to (and tests can pass their own environment).
 */
import picocolors from 'picocolors'

/** The colour functions the CLI uses (picocolors' set; plain identity functions when colour is off). */
export type Colors = ReturnType<typeof picocolors.createColors>

/**
 * Whether to colour output to a stream: never when `NO_COLOR` is set to anything non-empty; always when
 * `FORCE_COLOR` is set (and not `0`); otherwise only on a terminal whose `TERM` is not `dumb`.
 */
export function colorEnabled(env: Readonly<Record<string, string | undefined>>, isTTY: boolean | undefined): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true
  return isTTY === true && env.TERM !== 'dumb'
}

/** Colour functions, enabled or not. */
export function createColors(enabled: boolean): Colors {
  return picocolors.createColors(enabled)
}
