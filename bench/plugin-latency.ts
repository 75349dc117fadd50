/**
 * Plugin call latency through `Plugin.run` as the agent calls it: the calculator warm in its isolated child
 * process, and the equation solver (also warm). The first (cold) call is reported apart.
 */
import type { Plugin } from '../src/plugins/types.js'
import { percentile } from './metrics.js'

/** Latency figures of one plugin, milliseconds. */
export interface PluginLatency {
  readonly plugin: string
  readonly calls: number
  readonly coldMs: number
  readonly p50Ms: number | undefined
  readonly p99Ms: number | undefined
}

const INPUTS: Readonly<Record<string, readonly string[]>> = {
  Calculate: ['12*3', '(3+4)*5', 'sqrt(2)*pi', '2^64', '３×４÷２', '90 km/h to m/s'],
  Solve: ['x^2-4=0', '2x+3=7', 'x+y=500;5x+8y=4000'],
}

/** Measures `calls` warm calls per plugin (after one cold call). */
export async function measurePluginLatency(plugins: readonly Plugin[], calls: number): Promise<PluginLatency[]> {
  const out: PluginLatency[] = []
  for (const plugin of plugins) {
    const inputs = INPUTS[plugin.command] ?? ['1']
    const t0 = performance.now()
    await plugin.run(inputs[0] ?? '1')
    const coldMs = performance.now() - t0
    const samples: number[] = []
    for (let i = 0; i < calls; i++) {
      const start = performance.now()
      await plugin.run(inputs[i % inputs.length] ?? '1')
      samples.push(performance.now() - start)
    }
    out.push({ plugin: plugin.name, calls, coldMs, p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99) })
  }
  return out
}
