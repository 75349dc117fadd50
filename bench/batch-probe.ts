/**
 * A bench-only probe of a node-llama-cpp context: it counts the native batch decodes and token samplings and the
 * time spent awaiting them, which tells where concurrent generation spends its time (the model's forward passes,
 * the sampler, or the JavaScript in between) and how full the batches are. It reaches into node-llama-cpp's
 * internal native handle (`_ctx`), which no library code may do; if a future version renames it, the probe reports
 * nothing instead of failing.
 */
import type { LlamaContext } from 'node-llama-cpp'

/** What the probe counted since the last reset. */
export interface BatchProfile {
  /** Native `decodeBatch` calls (one per forward pass over all queued sequences). */
  readonly decodes: number
  /** Wall time awaiting them, ms. */
  readonly decodeMs: number
  /** Tokens added to those batches. */
  readonly batchTokens: number
  /** Native `sampleToken` calls. */
  readonly samples: number
  /** Wall time awaiting them, ms (they run off the main thread and can overlap one another). */
  readonly sampleMs: number
}

/** A probe attached to one context. */
export interface BatchProbe {
  /** `true` when the internal handle was found and instrumented. */
  readonly attached: boolean
  reset(): void
  read(): BatchProfile
}

type Native = Record<string | symbol, unknown>

/** Instruments `context` (once per context; a second call returns the first probe). */
export function probeContext(context: LlamaContext): BatchProbe {
  const existing = probes.get(context)
  if (existing) return existing
  const stats = { decodes: 0, decodeMs: 0, batchTokens: 0, samples: 0, sampleMs: 0 }
  const holder = context as unknown as { _ctx?: Native }
  const native = holder._ctx
  let attached = false
  if (native !== undefined && typeof native.decodeBatch === 'function' && typeof native.sampleToken === 'function') {
    const call = (name: string, args: unknown[]): unknown => (native[name] as (...a: unknown[]) => unknown).apply(native, args)
    const timed = (name: string, count: 'decodes' | 'samples', ms: 'decodeMs' | 'sampleMs') => async (...args: unknown[]) => {
      const started = performance.now()
      try {
        return await call(name, args)
      } finally {
        stats[count]++
        stats[ms] += performance.now() - started
      }
    }
    const overrides: Record<string, unknown> = {
      decodeBatch: timed('decodeBatch', 'decodes', 'decodeMs'),
      sampleToken: timed('sampleToken', 'samples', 'sampleMs'),
      addToBatch: (...args: unknown[]) => {
        const tokens = args[2] as { length?: number } | undefined
        stats.batchTokens += tokens?.length ?? 0
        return call('addToBatch', args)
      },
    }
    // The native object's methods are read-only: a proxy stands in for it.
    holder._ctx = new Proxy(native, {
      get(target, property) {
        if (typeof property === 'string' && property in overrides) return overrides[property]
        const value = target[property]
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
      },
    })
    attached = true
  }
  const probe: BatchProbe = {
    attached,
    reset() {
      Object.assign(stats, { decodes: 0, decodeMs: 0, batchTokens: 0, samples: 0, sampleMs: 0 })
    },
    read: () => ({ ...stats }),
  }
  probes.set(context, probe)
  return probe
}

const probes = new WeakMap<LlamaContext, BatchProbe>()
