import { PluginError } from '../errors.js'
import type { GeneratedImage, PluginOutput } from './types.js'

function isImage(value: unknown): value is GeneratedImage {
  const image = value as Partial<GeneratedImage> | null
  return typeof image === 'object' && image !== null && typeof image.path === 'string' && typeof image.mimeType === 'string'
}

/**
 * Checks what a plugin returned: a string, or `{ text, images?, data? }` with string text, well-formed images and
 * JSON-serialisable data, at most `maxChars` UTF-16 code units of text (and of data's JSON). Anything else is a {@link PluginError} (the model then sees an error
 * result instead of `[object Object]` or a flood that would evict its context).
 */
export function validatePluginOutput(plugin: string, raw: unknown, maxChars: number): PluginOutput {
  const output: unknown = typeof raw === 'string' ? { text: raw } : raw
  const candidate = output as Partial<PluginOutput> | null
  if (typeof candidate !== 'object' || candidate === null || typeof candidate.text !== 'string') {
    const kind = candidate === null ? 'null' : typeof candidate === 'object' ? 'an object without text' : typeof candidate
    throw new PluginError(plugin, `Plugin "${plugin}" returned ${kind} instead of text`)
  }
  if (candidate.images !== undefined && !(Array.isArray(candidate.images) && candidate.images.every(isImage))) {
    throw new PluginError(plugin, `Plugin "${plugin}" returned malformed images`)
  }
  let dataChars = 0
  if (candidate.data !== undefined) {
    let json: string | undefined
    try {
      json = JSON.stringify(candidate.data)
    } catch {
      json = undefined
    }
    if (typeof json !== 'string') throw new PluginError(plugin, `Plugin "${plugin}" returned data that is not JSON-serialisable`)
    dataChars = json.length
  }
  if (candidate.text.length > maxChars || dataChars > maxChars) {
    throw new PluginError(
      plugin,
      `Plugin "${plugin}" returned ${Math.max(candidate.text.length, dataChars)} characters (limit ${maxChars})`,
      { code: 'MOSS_ERR_PLUGIN_OUTPUT_TOO_LARGE' },
    )
  }
  return {
    text: candidate.text,
    ...(candidate.images ? { images: candidate.images } : {}),
    ...(candidate.data !== undefined ? { data: candidate.data } : {}),
  }
}
