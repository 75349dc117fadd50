import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'

// The header holds the metadata and tensor layout; with the size it identifies a model well enough to refuse a
// state file written by another model.
const HEADER_BYTES = 1 << 20

/** A short identifier of a model file's content. */
export async function modelFingerprint(path: string, sizeBytes: number): Promise<string> {
  const file = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(Math.min(HEADER_BYTES, sizeBytes))
    await file.read(buffer, 0, buffer.length, 0)
    return `${sizeBytes}:${createHash('sha256').update(buffer).digest('hex').slice(0, 32)}`
  } finally {
    await file.close()
  }
}
