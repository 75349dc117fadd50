/**
 * The embedded search backend over a folder of the user's documents: passages indexed with MiniSearch (CJK-aware
 * tokenizer), persisted as JSON, and refreshed on each search from a size/mtime scan of the folder.
 */
import { createHash } from 'node:crypto'
import { statSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import MiniSearch from 'minisearch'
import type { AsPlainObject, Options as MiniSearchOptions } from 'minisearch'
import { ConfigError } from '../../../src/plugin-kit.js'
import type { SearchBackend, SearchHit } from '../types.js'
import { documentText, toPassages } from './extract.js'
import { scanFolder } from './scan.js'
import { isCjkTerm, tokenize } from './tokenizer.js'

/** The local document index. */
export interface LocalIndexOptions {
  /** Folder of documents (`.txt`, `.md`, `.html`, searched recursively; hidden entries skipped). Required. */
  readonly folder: string
  /**
   * Where the index is saved. Defaults to a file per folder in the user's cache directory,
   * `$XDG_CACHE_HOME/moss-agent/search/` (else `~/.cache/moss-agent/search/`): the documents folder is only read.
   */
  readonly indexPath?: string
  /** Documents beyond this count are ignored. Defaults to `5000`. */
  readonly maxFiles?: number
  /** Bigger files are ignored. Defaults to 5 MiB. */
  readonly maxFileBytes?: number
  /** Hits scoring below this share of the best hit are dropped (they share only common characters). Defaults to `0.3`. */
  readonly minRelativeScore?: number
}

/** What a refresh did. */
export interface RefreshStats {
  /** Documents read and (re)indexed. */
  readonly reindexed: number
  /** Documents dropped because they disappeared. */
  readonly removed: number
  /** Documents in the index afterwards. */
  readonly files: number
  /** Passages in the index afterwards. */
  readonly passages: number
  /** True when the index came from the saved file. */
  readonly loadedFromDisk: boolean
}

/** The local backend, with an explicit refresh for callers that want to index ahead of the first search. */
export interface LocalIndexBackend extends SearchBackend {
  /** Brings the index up to date with the folder and saves it when anything changed. */
  refresh(): Promise<RefreshStats>
}

interface FileEntry {
  mtimeMs: number
  size: number
  passages: string[]
}

interface SavedIndex {
  version: number
  folder: string
  files: Record<string, FileEntry>
  index: AsPlainObject
}

const SAVED_VERSION = 1

interface PassageDoc {
  id: string
  title: string
  text: string
}

const MINISEARCH_OPTIONS: MiniSearchOptions<PassageDoc> = {
  fields: ['title', 'text'],
  tokenize,
  // tokenize already normalised and lower-cased; MiniSearch's default processTerm would lower-case again.
  processTerm: (term) => term,
  searchOptions: {
    combineWith: 'OR',
    boost: { text: 2 },
    prefix: (term) => !isCjkTerm(term) && term.length >= 4,
  },
}

function passageId(rel: string, index: number): string {
  return `${index}:${rel}`
}

function parsePassageId(id: string): { rel: string; index: number } {
  const colon = id.indexOf(':')
  return { rel: id.slice(colon + 1), index: Number(id.slice(0, colon)) }
}

/**
 * The default index file of `folder` (absolute): `{cache}/moss-agent/search/{16 hex digits of the folder's SHA-256}.json`
 * where `{cache}` is `XDG_CACHE_HOME` when it is an absolute path (the XDG rule), else `~/.cache`.
 */
export function defaultIndexPath(folder: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const xdg = env.XDG_CACHE_HOME
  const cache = xdg !== undefined && isAbsolute(xdg) ? xdg : join(homedir(), '.cache')
  const key = createHash('sha256').update(folder).digest('hex').slice(0, 16)
  return join(cache, 'moss-agent', 'search', `${key}.json`)
}

/** Throws {@link ConfigError} unless `folder` is an existing directory. */
function checkFolder(folder: string): void {
  let isDirectory: boolean
  try {
    isDirectory = statSync(folder).isDirectory()
  } catch {
    throw new ConfigError(`Local search: the folder ${folder} does not exist`)
  }
  if (!isDirectory) throw new ConfigError(`Local search: ${folder} is a file; give the folder that holds the documents`)
}

/**
 * Creates the local index backend. Checks at once that the folder exists (a ConfigError otherwise); nothing is read
 * until the first search (or `refresh()`).
 */
export function localIndexBackend(options: LocalIndexOptions): LocalIndexBackend {
  if (!options.folder) throw new ConfigError('The local search index needs a folder')
  const folder = resolve(options.folder)
  checkFolder(folder)
  const indexPath = resolve(options.indexPath ?? defaultIndexPath(folder))
  const maxFiles = options.maxFiles ?? 5000
  const maxFileBytes = options.maxFileBytes ?? 5 * 1024 * 1024
  const minRelativeScore = options.minRelativeScore ?? 0.3

  let files: Record<string, FileEntry> = {}
  let index: MiniSearch<PassageDoc> | undefined
  let loadAttempted = false
  // Searches may overlap; refreshes must not (both would rebuild and write the file).
  let queue: Promise<unknown> = Promise.resolve()

  async function loadSaved(): Promise<boolean> {
    loadAttempted = true
    try {
      const saved = JSON.parse(await readFile(indexPath, 'utf8')) as SavedIndex
      if (saved.version !== SAVED_VERSION || saved.folder !== folder) return false
      index = MiniSearch.loadJS(saved.index, MINISEARCH_OPTIONS)
      files = saved.files
      return true
    } catch {
      return false // missing or corrupt: rebuild from the documents
    }
  }

  function rebuild(): MiniSearch<PassageDoc> {
    const fresh = new MiniSearch<PassageDoc>(MINISEARCH_OPTIONS)
    const docs: PassageDoc[] = []
    for (const [rel, entry] of Object.entries(files)) {
      entry.passages.forEach((text, i) => docs.push({ id: passageId(rel, i), title: rel, text }))
    }
    fresh.addAll(docs)
    return fresh
  }

  async function save(current: MiniSearch<PassageDoc>): Promise<void> {
    const saved: SavedIndex = { version: SAVED_VERSION, folder, files, index: current.toJSON() }
    await mkdir(dirname(indexPath), { recursive: true })
    // Write then rename, so a crash never leaves half an index that the next start would trust.
    const temporary = `${indexPath}.${process.pid}.tmp`
    await writeFile(temporary, JSON.stringify(saved))
    await rename(temporary, indexPath)
  }

  async function doRefresh(): Promise<RefreshStats> {
    const loadedFromDisk = !loadAttempted && (await loadSaved())
    const scanned = await scanFolder(folder, maxFiles, maxFileBytes)
    const seen = new Set<string>()
    let reindexed = 0
    for (const file of scanned) {
      seen.add(file.rel)
      const known = files[file.rel]
      if (known && known.mtimeMs === file.mtimeMs && known.size === file.size) continue
      let content: string
      try {
        content = await readFile(file.abs, 'utf8')
      } catch {
        continue
      }
      files[file.rel] = { mtimeMs: file.mtimeMs, size: file.size, passages: toPassages(documentText(content, file.kind)) }
      reindexed++
    }
    let removed = 0
    for (const rel of Object.keys(files)) {
      if (!seen.has(rel)) {
        delete files[rel]
        removed++
      }
    }
    if (!index || reindexed > 0 || removed > 0) {
      index = rebuild()
      try {
        await save(index)
      } catch {
        // A read-only folder still gets an in-memory index; it is rebuilt on the next start.
      }
    }
    const passages = Object.values(files).reduce((sum, entry) => sum + entry.passages.length, 0)
    return { reindexed, removed, files: Object.keys(files).length, passages, loadedFromDisk }
  }

  function refresh(): Promise<RefreshStats> {
    const run = queue.then(doRefresh, doRefresh)
    queue = run.catch(() => undefined)
    return run
  }

  return {
    name: 'local',
    refresh,
    async search(query, { signal, limit }) {
      await refresh()
      signal.throwIfAborted()
      if (!index) return []
      const results = index.search(query)
      const best = results[0]?.score ?? 0
      const hits: SearchHit[] = []
      for (const result of results) {
        if (hits.length >= limit || result.score < best * minRelativeScore) break
        const { rel, index: n } = parsePassageId(String(result.id))
        const text = files[rel]?.passages[n]
        if (!text) continue
        hits.push({ title: rel, url: `${pathToFileURL(join(folder, rel)).href}#${n}`, snippet: text, source: 'local' })
      }
      return hits
    },
  }
}
