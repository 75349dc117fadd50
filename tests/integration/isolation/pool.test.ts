import { afterAll, describe, expect, it } from 'vitest'
import { AbortedError, InvalidInputError, IsolationError, PluginError, createIsolationPool } from '../../../src/index.js'
import type { IsolationPool } from '../../../src/index.js'

const worker = new URL('./fixtures/worker.mjs', import.meta.url)

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function waitForExit(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 20))
  return !alive(pid)
}

describe('isolation pool (real child processes)', () => {
  const pools: IsolationPool[] = []
  const make = (options: Partial<Parameters<typeof createIsolationPool>[0]> = {}): IsolationPool => {
    const pool = createIsolationPool({ module: worker, timeoutMs: 5000, maxOldSpaceMb: 48, name: 'test-pool', ...options })
    pools.push(pool)
    return pool
  }
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.dispose()))
  })

  it('runs sync and async handlers in a warm child that is reused', async () => {
    const pool = make()
    const first = await pool.run<{ input: string; pid: number }>('echo', '３×４')
    expect(first.input).toBe('３×４')
    expect(first.pid).not.toBe(process.pid)
    expect(await pool.run('asyncValue', 21)).toBe(42)
    expect(await pool.run('pid', null)).toBe(first.pid)
  })

  it('kills a child at the timeout, then serves the next request from a fresh child', async () => {
    const pool = make({ timeoutMs: 400 })
    const before = await pool.run<number>('pid', null)
    const error = await pool.run('forever', null).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IsolationError)
    expect((error as IsolationError).reason).toBe('timeout')
    expect(await waitForExit(before)).toBe(true)
    const after = await pool.run<number>('pid', null)
    expect(after).not.toBe(before)
  })

  it('honours a per-request timeout', async () => {
    const pool = make()
    const error = await pool.run('forever', null, { timeoutMs: 300 }).catch((e: unknown) => e)
    expect((error as IsolationError).reason).toBe('timeout')
  })

  it('reports heap exhaustion as memory and recovers', async () => {
    const pool = make()
    const error = await pool.run('oom', null).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IsolationError)
    expect((error as IsolationError).reason).toBe('memory')
    expect(await pool.run('asyncValue', 2)).toBe(4)
  })

  it('reports a child that exits as crash and recovers', async () => {
    const pool = make()
    const error = await pool.run('crash', null).catch((e: unknown) => e)
    expect((error as IsolationError).reason).toBe('crash')
    expect((error as IsolationError).message).toMatch(/exit code 3/)
    expect(await pool.run('asyncValue', 5)).toBe(10)
  })

  it('turns a handler exception into a PluginError without losing the child', async () => {
    const pool = make()
    const pid = await pool.run<number>('pid', null)
    const error = await pool.run('fail', 'bad input').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PluginError)
    expect((error as PluginError).message).toBe('bad input')
    expect((error as PluginError).plugin).toBe('test-pool')
    expect(await pool.run('pid', null)).toBe(pid)
    const unknown = await pool.run('nope', null).catch((e: unknown) => e)
    expect((unknown as PluginError).message).toMatch(/Unknown handler "nope"/)
  })

  it('queues requests in arrival order when every child is busy', async () => {
    const pool = make({ size: 1 })
    const order: number[] = []
    const runs = [0, 1, 2, 3].map((n) => pool.run<number>('asyncValue', n).then((value) => order.push(value)))
    await Promise.all(runs)
    expect(order).toEqual([0, 2, 4, 6])
  })

  it('spreads work over several children', async () => {
    const pool = make({ size: 2 })
    await pool.warmup()
    expect(pool.pids()).toHaveLength(2)
    const pids = await Promise.all([pool.run<number>('spin', 200), pool.run<number>('spin', 200)])
    expect(new Set(pids).size).toBe(2)
  })

  it('aborts a running request (killing its child) and a queued one', async () => {
    const pool = make({ size: 1 })
    const pid = await pool.run<number>('pid', null)
    const running = new AbortController()
    const queued = new AbortController()
    const first = pool.run('forever', null, { signal: running.signal }).catch((e: unknown) => e)
    const second = pool.run('pid', null, { signal: queued.signal }).catch((e: unknown) => e)
    queued.abort()
    expect(await second).toBeInstanceOf(AbortedError)
    running.abort()
    expect(await first).toBeInstanceOf(AbortedError)
    expect(await waitForExit(pid)).toBe(true)
    expect(await pool.run('asyncValue', 1)).toBe(2)
    const already = await pool.run('pid', null, { signal: AbortSignal.abort() }).catch((e: unknown) => e)
    expect(already).toBeInstanceOf(AbortedError)
  })

  it('refuses oversized string input before it reaches a child', async () => {
    const pool = make({ maxInputChars: 10 })
    const error = await pool.run('echo', 'x'.repeat(11)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidInputError)
    expect(pool.pids()).toHaveLength(0)
  })

  it('fails requests when the worker module cannot load, without respawning forever', async () => {
    const pool = make({ module: new URL('./fixtures/broken-worker.mjs', import.meta.url) })
    const error = await pool.run('pid', null).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IsolationError)
    expect((error as IsolationError).message).toMatch(/broken on purpose/)
    expect(pool.pids()).toHaveLength(0)
  })

  it('dispose kills every child, rejects pending work and refuses new work', async () => {
    const pool = make({ size: 2 })
    await pool.warmup()
    const pids = pool.pids()
    const pending = pool.run('forever', null).catch((e: unknown) => e)
    await pool.dispose()
    expect(((await pending) as IsolationError).reason).toBe('closed')
    for (const pid of pids) expect(alive(pid)).toBe(false)
    expect(pool.pids()).toHaveLength(0)
    const after = await pool.run('pid', null).catch((e: unknown) => e)
    expect((after as IsolationError).reason).toBe('closed')
    await pool.dispose()
  })
})
