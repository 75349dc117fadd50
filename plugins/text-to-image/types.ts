import type { RetryPolicy } from '../../src/plugin-kit.js'

/** Per-call options an image backend receives. */
export interface ImageCallOptions {
  /** Fires when the turn is aborted or the deadline passes. */
  readonly signal: AbortSignal
  /** Largest accepted image in bytes; backends stop reading past it. */
  readonly maxBytes: number
}

/** An image generation service. Implement this to plug in your own. */
export interface ImageBackend {
  /** Short name used in logs and errors, e.g. `sdapi`. */
  readonly name: string
  /** Generates one image and resolves to its encoded bytes (PNG, JPEG, WebP or GIF). Throws a ServiceError on failure. */
  generate(prompt: string, options: ImageCallOptions): Promise<Uint8Array>
}

/** HTTP settings shared by the image backends. */
export interface ImageHttpOptions {
  /** Deadline per image, retries included. Defaults to the plugin's `timeoutMs` (120 s). */
  readonly timeoutMs?: number
  /** Retries on 429/5xx. Defaults to 2 attempts, `Retry-After` capped at 10 s. */
  readonly retry?: RetryPolicy
}
