/** Finds the indexable documents under a folder, with the size and mtime used to spot changes. */
import { readdir, stat } from 'node:fs/promises'
import { extname, join, relative, sep } from 'node:path'
import { DOCUMENT_KINDS } from './extract.js'

/** A document found on disk. */
export interface ScannedFile {
  /** Path relative to the folder, with `/` separators (stable across platforms). */
  readonly rel: string
  /** Absolute path, for reading. */
  readonly abs: string
  /** How the text is extracted, chosen by file extension. */
  readonly kind: 'text' | 'markdown' | 'html'
  /** Size in bytes (with `mtimeMs`, decides whether a cached entry is stale). */
  readonly size: number
  /** Last modification time in milliseconds. */
  readonly mtimeMs: number
}

/** Folder names never descended into (besides hidden ones, which include the index's own cache folder). */
const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '__pycache__'])

/** Lists documents recursively, skipping hidden entries, files above `maxFileBytes` and anything after `maxFiles`. */
export async function scanFolder(folder: string, maxFiles: number, maxFileBytes: number): Promise<ScannedFile[]> {
  const found: ScannedFile[] = []
  const pending: string[] = [folder]
  while (pending.length > 0 && found.length < maxFiles) {
    const dir = pending.shift() as string
    let entries
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch {
      continue // unreadable or vanished mid-scan: skip it, the next search rescans
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue
      const abs = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) pending.push(abs)
        continue
      }
      const kind = DOCUMENT_KINDS[extname(entry.name).toLowerCase()]
      if (!entry.isFile() || !kind) continue
      try {
        const info = await stat(abs)
        if (info.size > maxFileBytes) continue
        found.push({ rel: relative(folder, abs).split(sep).join('/'), abs, kind, size: info.size, mtimeMs: info.mtimeMs })
      } catch {
        continue
      }
      if (found.length >= maxFiles) break
    }
  }
  return found
}
