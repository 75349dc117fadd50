/**
 * An embedded file store for thread sessions: each thread's session is a JSON file written by `session.save`
 * (which writes to a temp file and renames it), plus a small `index.json` mapping thread keys to files, also
 * written atomically. A restarted bot finds a thread's conversation through the index and `agent.loadSession`.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Agent, Session } from 'moss-agent'

const INDEX_VERSION = 1

/** One thread in the index. */
export interface ThreadEntry {
  /** Session file name inside `sessions/`. */
  readonly file: string
  /** Channel id. */
  readonly channel: string
  /** Thread root timestamp (`undefined` for a DM conversation). */
  readonly threadTs?: string
  /** ISO time of the last saved turn. */
  readonly updatedAt: string
}

interface IndexFile {
  readonly version: number
  readonly threads: Record<string, ThreadEntry>
}

/** The store. Call {@link FileSessionStore.open} before use. */
export class FileSessionStore {
  readonly #dir: string
  #index: IndexFile = { version: INDEX_VERSION, threads: {} }
  /** Index writes are chained so two turns finishing together never interleave their renames. */
  #writing: Promise<void> = Promise.resolve()

  /** @param dir Folder of the store; created when missing. */
  constructor(dir: string) {
    this.#dir = dir
  }

  /** Creates the folders and reads the index (a missing index is an empty store). */
  async open(): Promise<void> {
    await mkdir(join(this.#dir, 'sessions'), { recursive: true })
    try {
      const data = JSON.parse(await readFile(this.#indexPath, 'utf8')) as Partial<IndexFile>
      if (data.version === INDEX_VERSION && data.threads && typeof data.threads === 'object') {
        this.#index = { version: INDEX_VERSION, threads: { ...data.threads } }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
  }

  /** Whether a thread has a saved session. */
  has(key: string): boolean {
    return Object.hasOwn(this.#index.threads, key)
  }

  /** Number of threads stored. */
  get size(): number {
    return Object.keys(this.#index.threads).length
  }

  /** A stable session id for a thread key (safe in file names). */
  static sessionId(key: string): string {
    return `slack-${createHash('sha256').update(key).digest('hex').slice(0, 24)}`
  }

  /**
   * The thread's session: loaded from its file when the thread is known, otherwise new. A corrupt file is
   * reported through `onCorrupt` and replaced by a new session rather than failing the thread forever.
   */
  async openSession(agent: Agent, key: string, onCorrupt?: (error: unknown) => void): Promise<Session> {
    const entry = this.#index.threads[key]
    if (entry) {
      try {
        return await agent.loadSession(join(this.#dir, 'sessions', entry.file))
      } catch (error) {
        onCorrupt?.(error)
      }
    }
    return agent.createSession({ id: FileSessionStore.sessionId(key) })
  }

  /** Saves the session after a turn and records it in the index. */
  async saveSession(key: string, session: Session, where: { channel: string; threadTs?: string }): Promise<void> {
    const file = `${FileSessionStore.sessionId(key)}.json`
    await session.save(join(this.#dir, 'sessions', file))
    this.#index.threads[key] = {
      file,
      channel: where.channel,
      ...(where.threadTs !== undefined ? { threadTs: where.threadTs } : {}),
      updatedAt: new Date().toISOString(),
    }
    await this.#writeIndex()
  }

  get #indexPath(): string {
    return join(this.#dir, 'index.json')
  }

  #writeIndex(): Promise<void> {
    const write = async (): Promise<void> => {
      const tmp = `${this.#indexPath}.${process.pid}.tmp`
      await writeFile(tmp, JSON.stringify(this.#index, null, 1), 'utf8')
      await rename(tmp, this.#indexPath)
    }
    this.#writing = this.#writing.then(write, write)
    return this.#writing
  }
}
