/**
 * A session host keeps many conversations of one agent: sessions by id, one turn at a time per session (later
 * messages wait in order), at most `maxLiveSessions` sessions open on the model (least recently used ones are
 * closed; every session is saved to the store after each turn, so closing loses nothing), and the images of
 * their events registered by id. `moss serve`, the Slack example and any bot server sit on it.
 */
import { randomUUID } from 'node:crypto'
import type { AgentEvent, Agent, Session } from '../agent/types.js'
import { HostClosedError, SessionNotFoundError, describeError } from '../errors.js'
import type { TurnRecord } from '../formats/types.js'
import type { GeneratedImage } from '../plugins/types.js'
import { KeyedQueue } from './id-queue.js'
import { ImageRegistry } from './image-registry.js'
import { Slots } from './slots.js'
import type { SessionStore } from './session-store.js'

/** Options of {@link createSessionHost}. */
export interface SessionHostOptions {
  /** The agent whose sessions are hosted (its backend and plugins stay the caller's). */
  readonly agent: Agent
  /** Where sessions are kept when not live (see `createFileSessionStore`). */
  readonly store: SessionStore
  /**
   * Sessions open on the model at once, which is also the number of turns running at once. Keep it at most the
   * backend's session capacity (the llama.cpp backend's `maxSessions`). Defaults to `4`.
   */
  readonly maxLiveSessions?: number
  /** A live session unused this long is closed (it stays in the store). Defaults to `600000` (10 minutes). */
  readonly idleMs?: number
  /** Diagnostics (a stored session that could not be read, a failed dispose). Defaults to silent. */
  readonly log?: (message: string) => void
}

/** Options of {@link SessionHost.send}. */
export interface HostSendOptions {
  /** Aborts this turn (also while it waits for earlier turns). */
  readonly signal?: AbortSignal
  /** Create the session when `id` is unknown, instead of throwing {@link SessionNotFoundError}. Defaults to `false`. */
  readonly create?: boolean
}

/** Counts of a host, for health checks and tests. */
export interface SessionHostStats {
  /** Sessions open on the model. */
  readonly live: number
  /** Turns running. */
  readonly running: number
  /** Turns waiting for a free slot. */
  readonly waiting: number
}

/** The object returned by {@link createSessionHost}. */
export interface SessionHost {
  readonly agent: Agent
  /**
   * Creates (and stores) a session; returns its id. An `id` that exists already is simply returned. `history`
   * starts the conversation with earlier turns (see `Agent.createSession`).
   */
  create(options?: { readonly id?: string; readonly history?: readonly TurnRecord[] }): Promise<string>
  /** Whether a session exists (live or stored). */
  has(id: string): Promise<boolean>
  /** Finished turns of a session, oldest first. Throws {@link SessionNotFoundError}. */
  history(id: string): Promise<readonly TurnRecord[]>
  /**
   * Streams one turn of session `id`. The turn waits for earlier turns of the same session, then for a free
   * slot. Throws {@link SessionNotFoundError} (unless `create`) and {@link HostClosedError} from the iterator.
   */
  send(id: string, text: string, options?: HostSendOptions): AsyncIterable<AgentEvent>
  /** Aborts the running and waiting turns of a session; `false` when it had none. */
  abort(id: string): boolean
  /** Aborts its turns, closes and forgets a session; `false` when there was none. */
  delete(id: string): Promise<boolean>
  /** Registers an image and returns the id it is served by. */
  imageId(image: GeneratedImage): string
  /** The image registered under `id`, if any. */
  image(id: string): GeneratedImage | undefined
  readonly stats: SessionHostStats
  /**
   * Takes no new turns, lets running and waiting ones finish for `graceMs` (default `20000`), aborts the rest,
   * and closes every live session (each was saved after its last turn).
   */
  close(options?: { readonly graceMs?: number }): Promise<void>
}

interface LiveEntry {
  readonly session: Session
  lastUsed: number
}

/** Creates a session host. */
export function createSessionHost(options: SessionHostOptions): SessionHost {
  const { agent, store } = options
  const log = options.log ?? (() => undefined)
  const maxLive = Math.max(1, Math.floor(options.maxLiveSessions ?? 4))
  const idleMs = options.idleMs ?? 600_000
  const live = new Map<string, LiveEntry>() // insertion order = least recently used first
  const busy = new Map<string, number>()
  const queue = new KeyedQueue()
  const slots = new Slots(maxLive)
  const images = new ImageRegistry()
  const controllers = new Map<string, Set<AbortController>>()
  const inflight = new Set<Promise<void>>()
  let closed = false

  const setBusy = (id: string, delta: number): void => {
    const count = (busy.get(id) ?? 0) + delta
    if (count > 0) busy.set(id, count)
    else busy.delete(id)
  }

  const dispose = async (session: Session): Promise<void> => {
    await session.dispose().catch((error: unknown) => log(`closing session ${session.id} failed: ${describeError(error)}`))
  }

  /** Closes least recently used idle sessions until at most `limit` are live. */
  const evict = async (limit: number): Promise<void> => {
    for (const [id, entry] of live) {
      if (live.size <= limit) return
      if (busy.has(id)) continue
      live.delete(id)
      await dispose(entry.session)
    }
  }

  /** The live session of `id`, opened from the store (or created) when it is not live. Caller holds a slot. */
  const checkout = async (id: string, create: boolean, history?: readonly TurnRecord[]): Promise<Session> => {
    const entry = live.get(id)
    if (entry) {
      live.delete(id) // re-inserted as most recently used
      live.set(id, entry)
      entry.lastUsed = Date.now()
      return entry.session
    }
    await evict(maxLive - 1)
    let session: Session | undefined
    let stored = false
    try {
      session = await store.load(agent, id)
    } catch (error) {
      stored = true
      log(`stored session ${id} is unusable, starting it over: ${describeError(error)}`)
    }
    if (!session) {
      if (!create && !stored) throw new SessionNotFoundError(id)
      session = await agent.createSession(history ? { id, history } : { id })
    }
    live.set(id, { session, lastUsed: Date.now() })
    return session
  }

  /**
   * Waits for the session's queue and a slot, then checks the session out. `leave` gives both back (and closes
   * sessions beyond the limit); it must be called once, also when the work failed.
   */
  const enter = async (id: string, create: boolean, history?: readonly TurnRecord[]): Promise<{ session: Session; leave: () => Promise<void> }> => {
    const unlock = await queue.lock(id)
    const release = await slots.acquire()
    setBusy(id, 1)
    const leave = async (): Promise<void> => {
      setBusy(id, -1)
      release()
      const entry = live.get(id)
      if (entry) entry.lastUsed = Date.now()
      try {
        await evict(maxLive)
      } finally {
        unlock()
      }
    }
    try {
      return { session: await checkout(id, create, history), leave }
    } catch (error) {
      await leave()
      throw error
    }
  }

  /** Tracks a unit of work so `close` can wait for it. */
  const track = <T>(promise: Promise<T>): Promise<T> => {
    const done = promise.then(
      () => undefined,
      () => undefined,
    )
    inflight.add(done)
    void done.then(() => inflight.delete(done))
    return promise
  }

  const registerImages = (event: AgentEvent): void => {
    if (event.type === 'image') images.register(event)
    if (event.type === 'tool-result') for (const image of event.images ?? []) images.register(image)
  }

  const sweep = setInterval(
    () => {
      const cutoff = Date.now() - idleMs
      for (const [id, entry] of live) {
        if (busy.has(id) || queue.busy(id) || entry.lastUsed > cutoff) continue
        live.delete(id)
        void dispose(entry.session)
      }
    },
    Math.max(1000, Math.min(idleMs, 60_000)),
  )
  sweep.unref()

  return {
    agent,

    async create(createOptions = {}) {
      if (closed) throw new HostClosedError()
      const id = createOptions.id ?? randomUUID()
      const run = async (): Promise<void> => {
        const { session, leave } = await enter(id, true, createOptions.history)
        try {
          await store.save(id, session)
        } finally {
          await leave()
        }
      }
      await track(run())
      return id
    },

    async has(id) {
      return live.has(id) || (await store.has(id))
    },

    async history(id) {
      const entry = live.get(id)
      if (entry) return entry.session.turns
      const turns = await store.turns(id)
      if (!turns) throw new SessionNotFoundError(id)
      return turns
    },

    send(id, text, sendOptions = {}) {
      return {
        [Symbol.asyncIterator]: () => {
          if (closed) throw new HostClosedError()
          const controller = new AbortController()
          const onAbort = (): void => controller.abort()
          if (sendOptions.signal?.aborted) controller.abort()
          sendOptions.signal?.addEventListener('abort', onAbort, { once: true })
          const own = controllers.get(id) ?? new Set<AbortController>()
          controllers.set(id, own)
          own.add(controller)
          let finish!: () => void
          void track(new Promise<void>((resolve) => (finish = resolve)))
          async function* turn(): AsyncGenerator<AgentEvent> {
            try {
              const { session, leave } = await enter(id, sendOptions.create === true)
              try {
                for await (const event of session.send(text, { signal: controller.signal })) {
                  registerImages(event)
                  yield event
                }
                await store.save(id, session)
              } finally {
                await leave()
              }
            } finally {
              sendOptions.signal?.removeEventListener('abort', onAbort)
              own.delete(controller)
              if (own.size === 0 && controllers.get(id) === own) controllers.delete(id)
              finish()
            }
          }
          return turn()
        },
      }
    },

    abort(id) {
      const own = controllers.get(id)
      if (!own || own.size === 0) return false
      for (const controller of own) controller.abort()
      return true
    },

    async delete(id) {
      for (const controller of controllers.get(id) ?? []) controller.abort()
      const unlock = await queue.lock(id)
      try {
        const entry = live.get(id)
        live.delete(id)
        if (entry) await dispose(entry.session)
        const existed = entry !== undefined || (await store.has(id))
        await store.delete(id)
        return existed
      } finally {
        unlock()
      }
    },

    imageId: (image) => images.register(image),
    image: (id) => images.get(id),

    get stats() {
      return { live: live.size, running: slots.inUse, waiting: slots.waiting }
    },

    async close(closeOptions = {}) {
      closed = true
      clearInterval(sweep)
      const graceMs = closeOptions.graceMs ?? 20_000
      const drained = Promise.all([...inflight]).then(() => true)
      const timedOut = new Promise<false>((resolve) => setTimeout(() => resolve(false), graceMs).unref())
      if (!(await Promise.race([drained, timedOut]))) {
        for (const own of controllers.values()) for (const controller of own) controller.abort()
      }
      while (inflight.size > 0) await Promise.all([...inflight])
      for (const [id, entry] of live) {
        live.delete(id)
        await dispose(entry.session)
      }
    },
  }
}
