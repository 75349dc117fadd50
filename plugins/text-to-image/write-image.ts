/** Saves generated images under safe, unique names. */
import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { ServiceError } from '../../src/plugin-kit.js'
import type { GeneratedImage } from '../../src/plugin-kit.js'
import { detectImageFormat } from './image-format.js'

/** `20250101-120000` in UTC: sortable, and no prompt text ever reaches the file system. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
}

/**
 * Writes `bytes` into `outputDir` (created if missing) as `moss-{timestamp}-{random}.{ext}`, the extension taken
 * from the magic bytes. Throws a ServiceError when the bytes are not a PNG, JPEG, WebP or GIF image.
 */
export async function writeImage(outputDir: string, bytes: Uint8Array, service: string): Promise<GeneratedImage> {
  const format = detectImageFormat(bytes)
  if (!format) {
    throw new ServiceError(`${service} returned data that is not a PNG, JPEG, WebP or GIF image (${bytes.byteLength} bytes)`)
  }
  const dir = resolve(outputDir)
  await mkdir(dir, { recursive: true })
  const path = join(dir, `moss-${timestamp(new Date())}-${randomBytes(6).toString('hex')}${format.extension}`)
  // `wx`: never overwrite, even in the astronomically unlikely case of a name collision.
  await writeFile(path, bytes, { flag: 'wx' })
  return { path, mimeType: format.mimeType }
}
