import { readFile, writeFile } from 'node:fs/promises'
import type { Token } from 'node-llama-cpp'
import type { Segment } from './transcript.js'

/** What is saved next to a KV state file (`<path>.json`) to decide whether the state can be restored. */
export interface StateSidecar {
  /** Format version of this sidecar; a different one is never restored. */
  readonly version: 1
  /** Identifies the model file (size and header fingerprint). */
  readonly model: string
  /** Context size the state was saved with; a smaller context cannot hold it. */
  readonly contextSize: number
  /** Tokens in the KV cache when it was saved (the held-back last token excluded). */
  readonly cachedTokens: number
  /** The whole token transcript, BOS included. */
  readonly tokens: readonly number[]
  /** The transcript's parts, so that the next `append` reuses their tokens. */
  readonly segments: readonly Segment[]
}

/** Sidecar path of a state file. */
export function sidecarPath(statePath: string): string {
  return `${statePath}.json`
}

/** Writes the sidecar. */
export async function writeSidecar(statePath: string, sidecar: StateSidecar): Promise<void> {
  await writeFile(sidecarPath(statePath), JSON.stringify(sidecar))
}

/** Reads the sidecar, or `undefined` when missing or unreadable (the caller then re-evaluates). */
export async function readSidecar(statePath: string): Promise<StateSidecar | undefined> {
  try {
    const parsed = JSON.parse(await readFile(sidecarPath(statePath), 'utf8')) as Partial<StateSidecar>
    if (parsed.version !== 1 || !Array.isArray(parsed.tokens) || !Array.isArray(parsed.segments)) return undefined
    return parsed as StateSidecar
  } catch {
    return undefined
  }
}

/** Token list typed for node-llama-cpp. */
export function asTokens(values: readonly number[]): Token[] {
  return values as Token[]
}
