/**
 * Images a host has seen, by id: a server hands out `/v1/images/<id>` and serves only files registered here, so
 * no request can name an arbitrary path. Ids are derived from the path (the same image always has the same id,
 * also after a restart when history is read back) and the registry keeps the newest `capacity` entries.
 */
import { createHash } from 'node:crypto'
import type { GeneratedImage } from '../plugins/types.js'

export class ImageRegistry {
  readonly #images = new Map<string, GeneratedImage>()

  /** @param capacity Images remembered; the oldest are forgotten first. Defaults to `10000`. */
  constructor(private readonly capacity = 10_000) {}

  /** Registers an image and returns its id (32 hex characters). */
  register(image: GeneratedImage): string {
    const id = createHash('sha256').update(image.path).digest('hex').slice(0, 32)
    this.#images.delete(id) // re-inserted as newest
    this.#images.set(id, { path: image.path, mimeType: image.mimeType })
    while (this.#images.size > this.capacity) {
      const oldest = this.#images.keys().next().value
      if (oldest === undefined) break
      this.#images.delete(oldest)
    }
    return id
  }

  /** The image registered under `id`, if any. */
  get(id: string): GeneratedImage | undefined {
    return this.#images.get(id)
  }
}
