import { ConfigError } from '../errors.js'
import { getFormat } from '../formats/get-format.js'
import type { DialogueFormat, FormatOptions } from '../formats/types.js'

function isFormat(value: unknown): value is DialogueFormat {
  const format = value as Partial<DialogueFormat> | null
  return (
    typeof format === 'object' &&
    format !== null &&
    typeof format.name === 'string' &&
    typeof format.renderSystem === 'function' &&
    typeof format.beginTurn === 'function' &&
    typeof format.renderHistory === 'function'
  )
}

/**
 * Resolves `AgentOptions.format`: an instance is checked and used as is; a name goes through the formats layer's
 * {@link getFormat}. An unknown name or a malformed instance is a {@link ConfigError} at construction.
 */
export function resolveFormat(format: string | DialogueFormat, options?: FormatOptions): DialogueFormat {
  if (typeof format !== 'string') {
    if (!isFormat(format)) throw new ConfigError('AgentOptions.format is neither a format name nor a DialogueFormat')
    return format
  }
  return getFormat(format, options)
}
