/** Image type detection from magic bytes; response headers are never trusted. */

/** A recognised image encoding. */
export interface ImageFormat {
  /** MIME type, e.g. `image/png`. */
  readonly mimeType: string
  /** File extension with the dot. */
  readonly extension: string
}

/** Signatures: bytes expected at an offset (`undefined` = any byte). All must match. */
const SIGNATURES: ReadonlyArray<{ readonly parts: ReadonlyArray<readonly [number, readonly number[]]>; readonly format: ImageFormat }> = [
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
export function detectImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  return SIGNATURES.find(({ parts }) =>
    parts.every(([offset, expected]) => expected.every((byte, i) => bytes[offset + i] === byte)),
  )?.format
}
