import { ConfigError } from '../errors.js'
import * as formats from '../formats/index.js'
import { createMossFormat } from '../formats/index.js'
import type { DialogueFormat, FormatOptions } from '../formats/types.js'

type GetFormat = (nameOrFormat: string | DialogueFormat, options?: FormatOptions) => DialogueFormat

/** Formats this layer can build by itself when the formats layer offers no `getFormat` lookup. */
const BUILT_IN: Readonly<Record<string, (options?: FormatOptions) => DialogueFormat>> = {
  moss: (options) => createMossFormat(options),
}

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
 * `getFormat` when it exports one (it knows every format), else through the built-in table. An unknown name or a
 * malformed instance is a {@link ConfigError} at construction.
 */
export function resolveFormat(format: string | DialogueFormat, options?: FormatOptions): DialogueFormat {
  if (typeof format !== 'string') {
    if (!isFormat(format)) throw new ConfigError('AgentOptions.format is neither a format name nor a DialogueFormat')
    return format
  }
  const getFormat = (formats as Record<string, unknown>)['getFormat'] as GetFormat | undefined
  if (typeof getFormat === 'function') return getFormat(format, options)
  const create = Object.hasOwn(BUILT_IN, format) ? BUILT_IN[format] : undefined
  if (!create) throw new ConfigError(`Unknown dialogue format "${format}" (available: ${Object.keys(BUILT_IN).join(', ')})`)
  return create(options)
}
