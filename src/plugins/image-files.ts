/**
 * Images a plugin produced, written to the image folder under safe, unique names, typed by their magic bytes (a
 * declared MIME type — an HTTP header, an MCP `mimeType` — is never trusted).
 */
import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { GeneratedImage } from './types.js'

/** A recognised image encoding. */
export interface ImageFileFormat {
  /** MIME type, e.g. `image/png`. */
  readonly mimeType: string
  /** File extension with the dot. */
  readonly extension: string
}

/** Signatures: bytes expected at an offset. All must match. */
const SIGNATURES: ReadonlyArray<{ readonly parts: ReadonlyArray<readonly [number, readonly number[]]>; readonly format: ImageFileFormat }> = [
  { parts: [[0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]]], format: { mimeType: 'image/png', extension: '.png' } },
  { parts: [[0, [0xff, 0xd8, 0xff]]], format: { mimeType: 'image/jpeg', extension: '.jpg' } },
  {
    // "RIFF" <size> "WEBP"
    parts: [
      [0, [0x52, 0x49, 0x46, 0x46]],
      [8, [0x57, 0x45, 0x42, 0x50]],
    ],
    format: { mimeType: 'image/webp', extension: '.webp' },
  },
  { parts: [[0, [0x47, 0x49, 0x46, 0x38, 0x37, 0x61]]], format: { mimeType: 'image/gif', extension: '.gif' } },
  { parts: [[0, [0x47, 0x49, 0x46, 0x38, 0x39, 0x61]]], format: { mimeType: 'image/gif', extension: '.gif' } },
]

/** The image format of `bytes`, or `undefined` when it is none of PNG, JPEG, WebP, GIF. */
export function detectImageFileFormat(bytes: Uint8Array): ImageFileFormat | undefined {
  return SIGNATURES.find(({ parts }) => parts.every(([offset, expected]) => expected.every((byte, i) => bytes[offset + i] === byte)))
    ?.format
}

/** `20250101-120000` in UTC: sortable, and no prompt text ever reaches the file system. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
}

/**
 * Writes `bytes` into `outputDir` (created if missing) as `moss-{timestamp}-{random}.{ext}`, the extension from the
 * magic bytes. Returns `undefined`, writing nothing, when the bytes are not a PNG, JPEG, WebP or GIF image.
 */
export async function writeImageFile(outputDir: string, bytes: Uint8Array): Promise<GeneratedImage | undefined> {
  const format = detectImageFileFormat(bytes)
  if (!format) return undefined
  const dir = resolve(outputDir)
  await mkdir(dir, { recursive: true })
  const path = join(dir, `moss-${timestamp(new Date())}-${randomBytes(6).toString('hex')}${format.extension}`)
  // `wx`: never overwrite, even in the astronomically unlikely case of a name collision.
  await writeFile(path, bytes, { flag: 'wx' })
  return { path, mimeType: format.mimeType }
}
