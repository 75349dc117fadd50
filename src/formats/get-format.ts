/**
 * Resolves a format by name (see {@link FORMAT_FACTORIES}) or passes an instance through.
 */
import { ConfigError } from '../errors.js'
import { createChatGlm3Format } from './chatglm3/format.js'
import { createChatMlFormat } from './chatml/format.js'
import { createGlm4Format } from './glm4/format.js'
import { createHermesFormat } from './hermes/format.js'
import { createLlama3Format } from './llama3/format.js'
import { createMistralFormat } from './mistral/format.js'
import { createMossFormat } from './moss/format.js'
import { createQwenFormat } from './qwen/format.js'
import type { DialogueFormat, FormatOptions } from './types.js'

/** Format names and their factories (the CLI's `--format` list is derived from it). */
export const FORMAT_FACTORIES: Readonly<Record<string, (options?: FormatOptions) => DialogueFormat>> = {
  moss: createMossFormat,
  qwen: createQwenFormat,
  hermes: createHermesFormat,
  llama3: createLlama3Format,
  mistral: createMistralFormat,
  chatml: createChatMlFormat,
  glm4: createGlm4Format,
  chatglm3: createChatGlm3Format,
}

/** The format for `name` (case-insensitive), or `format` itself. Throws {@link ConfigError} for unknown names. */
export function getFormat(format: string | DialogueFormat = 'moss', options: FormatOptions = {}): DialogueFormat {
  if (typeof format !== 'string') return format
  const factory = FORMAT_FACTORIES[format.toLowerCase()]
  if (!factory) throw new ConfigError(`Unknown dialogue format "${format}" (known: ${Object.keys(FORMAT_FACTORIES).join(', ')})`)
  return factory(options)
}
