/** Images that a service returns by URL: fetched like every other service answer, never read from other schemes. */
import { ServiceError, requestService } from '../../../src/plugin-kit.js'
import { decodeBase64Image } from './base64-image.js'

/** What {@link fetchImageUrl} needs besides the URL. */
export interface ImageUrlFetch {
  /** Names the service in messages. */
  readonly service: string
  readonly signal: AbortSignal
  /** Time left for the download, in ms. */
  readonly timeoutMs: number
  /** Largest accepted image in bytes. */
  readonly maxBytes: number
}

/**
 * The bytes behind an image URL. `data:…;base64,` URLs are decoded in place; `http:` and `https:` are downloaded
 * through the service HTTP helper (timeout, retries, size cap while streaming); any other scheme (`file:`, `ftp:`,
 * …) is refused, so a service cannot make us read local files. The bytes' type is checked later, like every image.
 */
export async function fetchImageUrl(value: string, options: ImageUrlFetch): Promise<Uint8Array> {
  if (/^data:/i.test(value)) return decodeBase64Image(value, options.service, options.maxBytes)
  let url: URL
  try {
    url = new URL(value)
  } catch (error) {
    throw new ServiceError(`${options.service} returned an image URL that is not a URL: ${value.slice(0, 80)}`, 0, { cause: error })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ServiceError(`${options.service} returned an image URL with the scheme ${url.protocol} (only http and https are fetched)`)
  }
  if (options.timeoutMs <= 0) throw new ServiceError(`${options.service} left no time to download the image`)
  const response = await requestService({
    service: `${options.service} (image download)`,
    url,
    headers: { accept: 'image/*' },
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    retry: { attempts: 2, maxRetryAfterMs: 5_000 },
    maxBytes: options.maxBytes,
  })
  return new Uint8Array(response.body.buffer, response.body.byteOffset, response.body.byteLength)
}
