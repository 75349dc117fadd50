import { spawn, type ChildProcess } from 'node:child_process'
import { pathToFileURL } from 'node:url'
import { AbortedError, ConfigError, InvalidInputError, IsolationError, PluginError } from '../../errors.js'
import { CHILD_RUNNER_SOURCE } from './child-runner.js'
import { classifyExit, STDERR_KEEP_CHARS } from './classify-exit.js'
import type { IsolationPool, IsolationPoolOptions, IsolationRunOptions } from './types.js'

/** Longest time `dispose()` waits for killed children to report their exit, in milliseconds. */
const DISPOSE_WAIT_MS = 5_000

interface Job {
  readonly id: number
  readonly handler: string
  readonly input: unknown
  readonly timeoutMs: number
  readonly signal: AbortSignal | undefined
  readonly resolve: (value: unknown) => void
  readonly reject: (error: unknown) => void
  detachAbort: () => void
}

interface Slot {
  readonly child: ChildProcess
  ready: boolean
  job: Job | undefined
  timer: NodeJS.Timeout | undefined
  stderr: string
  fatal: string | undefined
  /** Set when the pool killed the child on purpose (the job was already settled). */
  killed: boolean
  /** Set when `dispose()` gave up waiting for this child's exit; it must no longer keep the parent alive. */
  released: boolean
  readonly exited: Promise<void>
}

type ChildMessage =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: { name: string; message: string } }

/**
 * Creates a pool of warm child processes (`node --max-old-space-size=…` with an IPC channel) that run the named
 * handlers of a worker module. Children start at the first request (or {@link IsolationPool.warmup}) and stay warm;
 * a child that times out, is aborted, runs out of heap or crashes is killed and replaced, and the pool keeps
 * serving. Idle children are unref'd so they never keep the parent process alive.
 *
 * @example
 * const pool = createIsolationPool({ module: new URL('./worker.mjs', import.meta.url), timeoutMs: 5000 })
 * const value = await pool.run<string>('evaluate', '2+3')
 * await pool.dispose()
 */
export function createIsolationPool(options: IsolationPoolOptions): IsolationPool {
  const name = options.name ?? 'isolation'
  const size = options.size ?? 1
  const maxOldSpaceMb = options.maxOldSpaceMb ?? 128
  const defaultTimeoutMs = options.timeoutMs ?? 10_000
  const maxInputChars = options.maxInputChars ?? 100_000
  if (!Number.isInteger(size) || size < 1) throw new ConfigError(`${name}: pool size must be a positive integer`)
  if (!(maxOldSpaceMb >= 16)) throw new ConfigError(`${name}: maxOldSpaceMb must be at least 16`)
  if (!(defaultTimeoutMs > 0)) throw new ConfigError(`${name}: timeoutMs must be positive`)
  const moduleUrl = toModuleUrl(options.module)

  const slots: Slot[] = []
  const queue: Job[] = []
  const readyWaiters: Array<() => void> = []
  let nextId = 1
  let disposed = false

  function spawnSlot(): Slot {
    const child = spawn(process.execPath, [`--max-old-space-size=${maxOldSpaceMb}`, '--input-type=module', '-e', CHILD_RUNNER_SOURCE], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, MOSS_ISOLATION_MODULE: moduleUrl, NODE_OPTIONS: '' },
      serialization: 'json',
    })
    let markExited: () => void = () => {}
    const slot: Slot = {
      child,
      ready: false,
      job: undefined,
      timer: undefined,
      stderr: '',
      fatal: undefined,
      killed: false,
      released: false,
      exited: new Promise<void>((resolve) => (markExited = resolve)),
    }
    slots.push(slot)
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => {
      // Keep the head: V8's "FATAL ERROR … heap out of memory" line comes first, the stack trace after it.
      if (slot.stderr.length < STDERR_KEEP_CHARS) slot.stderr += chunk.slice(0, STDERR_KEEP_CHARS - slot.stderr.length)
    })
    child.on('message', (message: ChildMessage) => onMessage(slot, message))
    child.on('error', () => {
      // Spawn failures and IPC errors end in 'exit' (or never start); make sure the slot is cleaned up.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    })
    child.on('exit', (code, signal) => {
      onExit(slot, code, signal)
      markExited()
    })
    updateRefs()
    return slot
  }

  function onMessage(slot: Slot, message: ChildMessage): void {
    if (message.type === 'ready') {
      slot.ready = true
      pump()
      if (slots.every((s) => s.ready)) readyWaiters.splice(0).forEach((wake) => wake())
      return
    }
    if (message.type === 'fatal') {
      slot.fatal = message.message
      return
    }
    const job = slot.job
    if (!job || job.id !== message.id) return
    finishJob(slot)
    if (message.ok) job.resolve(message.value)
    else {
      job.reject(
        new PluginError(name, message.error.message, { cause: { name: message.error.name, message: message.error.message } }),
      )
    }
    pump()
  }

  function onExit(slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    slots.splice(slots.indexOf(slot), 1)
    const job = slot.job
    if (job) {
      finishJob(slot)
      job.reject(classifyExit(name, code, signal, slot.stderr))
    }
    if (disposed) return
    if (!slot.ready && !slot.killed) {
      // The child died before loading the worker module: respawning would loop, so fail what is waiting.
      const error = new IsolationError('crash', `${name}: the worker could not start: ${slot.fatal ?? classifyExit(name, code, signal, slot.stderr).message}`)
      queue.splice(0).forEach((waiting) => {
        waiting.detachAbort()
        waiting.reject(error)
      })
      readyWaiters.splice(0).forEach((wake) => wake())
      updateRefs()
      return
    }
    // Keep the pool warm: replace the child that died.
    if (slots.length < size) spawnSlot()
    pump()
  }

  function finishJob(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer)
    slot.timer = undefined
    slot.job?.detachAbort()
    slot.job = undefined
    updateRefs()
  }

  function kill(slot: Slot, error: unknown): void {
    const job = slot.job
    slot.killed = true
    finishJob(slot)
    job?.reject(error)
    slot.child.kill('SIGKILL')
  }

  function pump(): void {
    if (disposed) return
    while (queue.length > 0) {
      const slot = slots.find((s) => s.ready && !s.job && !s.killed)
      if (!slot) break
      dispatch(slot, queue.shift() as Job)
    }
    if (queue.length > 0 && slots.length < size) spawnSlot()
    updateRefs()
  }

  function dispatch(slot: Slot, job: Job): void {
    slot.job = job
    slot.timer = setTimeout(() => {
      kill(slot, new IsolationError('timeout', `${name}: no result within ${job.timeoutMs} ms; the child process was killed`))
    }, job.timeoutMs)
    slot.child.send({ type: 'run', id: job.id, handler: job.handler, input: job.input }, (error) => {
      if (error && slot.job === job) kill(slot, new IsolationError('crash', `${name}: could not reach the child process`, { cause: error }))
    })
    updateRefs()
  }

  /**
   * A child keeps the parent alive only while someone waits for it; idle warm children must not. Every awaited
   * event counts: a job's result, the 'ready' of a starting child (for a queued job or `warmup()`), and after
   * `dispose()` each child's 'exit'. Were such a child unref'd, the event loop could empty before the event arrives
   * and Node would quit (code 0) in the middle of `await warmup()` or `await dispose()`.
   */
  function updateRefs(): void {
    const awaitingReady = queue.length > 0 || readyWaiters.length > 0
    for (const slot of slots) {
      const needed = slot.job !== undefined || (!slot.ready && awaitingReady) || (disposed && !slot.released)
      const handles = [slot.child, slot.child.channel, slot.child.stderr] as Array<{ ref?: () => void; unref?: () => void } | null | undefined>
      for (const handle of handles) {
        if (needed) handle?.ref?.()
        else handle?.unref?.()
      }
    }
  }

  return {
    run<T = unknown>(handler: string, input: unknown, runOptions?: IsolationRunOptions): Promise<T> {
      if (disposed) return Promise.reject(new IsolationError('closed', `${name}: the pool is disposed`))
      if (typeof input === 'string' && input.length > maxInputChars) {
        return Promise.reject(new InvalidInputError(`${name}: input of ${input.length} characters exceeds the limit of ${maxInputChars}`))
      }
      const signal = runOptions?.signal
      if (signal?.aborted) return Promise.reject(new AbortedError(`${name}: aborted`, { cause: signal.reason }))
      const timeoutMs = runOptions?.timeoutMs ?? defaultTimeoutMs
      return new Promise<T>((resolve, reject) => {
        const job: Job = {
          id: nextId++,
          handler,
          input,
          timeoutMs,
          signal,
          resolve: resolve as (value: unknown) => void,
          reject,
          detachAbort: () => {},
        }
        if (signal) {
          const onAbort = (): void => {
            const error = new AbortedError(`${name}: aborted`, { cause: signal.reason })
            const queued = queue.indexOf(job)
            if (queued >= 0) {
              queue.splice(queued, 1)
              job.detachAbort()
              reject(error)
              updateRefs()
              return
            }
            const slot = slots.find((s) => s.job === job)
            if (slot) kill(slot, error)
          }
          signal.addEventListener('abort', onAbort, { once: true })
          job.detachAbort = () => signal.removeEventListener('abort', onAbort)
        }
        queue.push(job)
        pump()
      })
    },

    warmup(): Promise<void> {
      if (disposed) return Promise.reject(new IsolationError('closed', `${name}: the pool is disposed`))
      while (slots.length < size) spawnSlot()
      if (slots.every((s) => s.ready)) return Promise.resolve()
      return new Promise<void>((resolve) => {
        readyWaiters.push(resolve)
        updateRefs()
      })
    },

    pids(): number[] {
      return slots.filter((s) => s.child.exitCode === null && s.child.signalCode === null).map((s) => s.child.pid ?? -1)
    },

    async dispose(): Promise<void> {
      if (!disposed) {
        disposed = true
        const closed = new IsolationError('closed', `${name}: the pool was disposed`)
        queue.splice(0).forEach((job) => {
          job.detachAbort()
          job.reject(closed)
        })
        for (const slot of [...slots]) kill(slot, closed)
        readyWaiters.splice(0).forEach((wake) => wake())
        updateRefs()
      }
      const pending = [...slots]
      if (pending.length === 0) return
      // SIGKILL ends a child at once in practice; the bound only guards against a child the kernel cannot reap (it
      // is then unref'd and left behind) so that dispose() always settles.
      let timer: NodeJS.Timeout | undefined
      const giveUp = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          for (const slot of pending) slot.released = true
          updateRefs()
          resolve()
        }, DISPOSE_WAIT_MS)
      })
      await Promise.race([Promise.all(pending.map((slot) => slot.exited)), giveUp])
      clearTimeout(timer)
    },
  }
}

function toModuleUrl(module: string | URL): string {
  if (module instanceof URL) return module.href
  if (/^(file|data):/.test(module)) return module
  return pathToFileURL(module).href
}
