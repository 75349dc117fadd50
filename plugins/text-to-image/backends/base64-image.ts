/** Decoding of base64 images from JSON APIs, with the size limit applied to the decoded bytes. */
import { ServiceError } from '../../../src/plugin-kit.js'

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/

/** JSON overhead allowed on top of the base64 payload when capping a response. */
export const JSON_SLACK_BYTES = 64 * 1024

/** Bytes of a base64 response that can carry an image of `maxBytes`. */
export function base64ResponseLimit(maxBytes: number): number {
  return Math.ceil((maxBytes * 4) / 3) + JSON_SLACK_BYTES
}

/** Decodes a base64 string (an optional `data:…;base64,` prefix is dropped). */
export function decodeBase64Image(value: unknown, service: string, maxBytes: number): Uint8Array {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ServiceError(`${service} returned no image data`)
  }
  const payload = value.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '')
  if (!BASE64.test(payload)) throw new ServiceError(`${service} returned image data that is not base64`)
  const bytes = Buffer.from(payload, 'base64')
  if (bytes.byteLength > maxBytes) throw new ServiceError(`${service} returned an image larger than ${maxBytes} bytes`)
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
