/**
 * The JSON form of agent events, shared by `moss run --json`, `moss serve` (one event per SSE message) and any
 * adapter that forwards events: errors become `{ name, code, message, detail? }` (an Error has no enumerable fields), and
 * images become whatever `imageRef` makes of them: a server replaces the file path by an id it serves, so a
 * client never sees (or asks for) a path on the server's disk.
 */
import type { AgentEvent } from '../agent/types.js'
import { messageWithCauses } from '../errors.js'
import type { MossError } from '../errors.js'
import type { GeneratedImage } from '../plugins/types.js'

/** How an image appears in JSON. Defaults to `{ path, mimeType }` (the CLI, where the reader shares the disk). */
export type ImageRef = (image: GeneratedImage) => Readonly<Record<string, unknown>>

/** Options of {@link eventToPlain} and {@link eventToJson}. */
export interface EventJsonOptions {
  /** How images are referred to. Defaults to keeping the file path. */
  readonly imageRef?: ImageRef
}

const keepPath: ImageRef = (image) => ({ path: image.path, mimeType: image.mimeType })

/** An error as plain JSON; `detail` is the message with its causes (why a plugin failed, beyond what the model saw). */
export function errorToPlain(error: Pick<MossError, 'name' | 'code' | 'message'>): { name: string; code: string; message: string; detail?: string } {
  const detail = messageWithCauses(error)
  return { name: error.name, code: error.code, message: error.message, ...(detail !== error.message ? { detail } : {}) }
}

/** One event as a plain JSON-ready object. */
export function eventToPlain(event: AgentEvent, options: EventJsonOptions = {}): Record<string, unknown> {
  const imageRef = options.imageRef ?? keepPath
  switch (event.type) {
    case 'error':
    case 'tool-error': {
      const { error, ...rest } = event
      return { ...rest, error: errorToPlain(error) }
    }
    case 'image':
      return { type: 'image', ...imageRef({ path: event.path, mimeType: event.mimeType }) }
    case 'tool-result': {
      const { images, ...rest } = event
      return images === undefined ? { ...rest } : { ...rest, images: images.map((image) => imageRef(image)) }
    }
    default:
      return { ...event }
  }
}

/** One event as a single JSON line (no trailing newline). */
export function eventToJson(event: AgentEvent, options: EventJsonOptions = {}): string {
  return JSON.stringify(eventToPlain(event, options))
}
