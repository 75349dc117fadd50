/**
 * Where a session host keeps the sessions that are not live. The store is an interface so that an application
 * can keep sessions elsewhere; {@link createFileSessionStore} (the default) keeps each session as the JSON file
 * `session.save` writes, with the backend's KV state beside it, so a session comes back without re-evaluating
 * its transcript when the backend can restore it.
 */
import { createHash } from 'node:crypto'
import { access, mkdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { STATE_FILE_SUFFIX } from '../agent/session.js'
import { readSessionFile } from '../agent/session-file.js'
import { removeStateFiles } from '../agent/state-files.js'
import type { Agent, Session } from '../agent/types.js'
import type { TurnRecord } from '../formats/types.js'

/** Persistence of a session host. Ids are arbitrary strings (a Slack thread key, a UUID); the store maps them. */
export interface SessionStore {
  /** Whether a session is stored under `id`. */
  has(id: string): Promise<boolean>
  /** Stores the session (called after every turn, with no turn running). */
  save(id: string, session: Session): Promise<void>
  /** Opens the stored session on the agent's backend, or `undefined` when none is stored. May throw when it is unusable. */
  load(agent: Agent, id: string): Promise<Session | undefined>
  /** The finished turns of a stored session, read without opening it on the model; `undefined` when none. */
  turns(id: string): Promise<readonly TurnRecord[] | undefined>
  /** Forgets the session (missing is fine). */
  delete(id: string): Promise<void>
}

/** A store of session files in `dir` (created when missing): `<hash of id>.json`, plus `.state` where supported. */
export function createFileSessionStore(dir: string): SessionStore {
  // Hashed names: ids may hold characters a file name cannot, and a client-chosen id must never name a path.
  const pathOf = (id: string): string => join(dir, `s-${createHash('sha256').update(id).digest('hex').slice(0, 32)}.json`)
  const ready = mkdir(dir, { recursive: true })
  const exists = (path: string): Promise<boolean> =>
    access(path).then(
      () => true,
      () => false,
    )
  return {
    async has(id) {
      await ready
      return exists(pathOf(id))
    },
    async save(id, session) {
      await ready
      await session.save(pathOf(id))
    },
    async load(agent, id) {
      await ready
      const path = pathOf(id)
      return (await exists(path)) ? agent.loadSession(path) : undefined
    },
    async turns(id) {
      await ready
      const path = pathOf(id)
      return (await exists(path)) ? (await readSessionFile(path)).turns : undefined
    },
    async delete(id) {
      await ready
      const path = pathOf(id)
      await removeStateFiles(path + STATE_FILE_SUFFIX)
      await unlink(path).catch(() => undefined)
    },
  }
}
