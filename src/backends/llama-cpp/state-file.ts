import { readFile, writeFile } from 'node:fs/promises'
import type { Token } from 'node-llama-cpp'
import type { RestoreFallbackReason } from './public-types.js'
import type { PromptPart } from '../types.js'
import type { Segment } from './transcript.js'

/** Current format version of the sidecar. Version 1 did not record `sequences`, so it can no longer be judged. */
export const SIDECAR_VERSION = 2

/** What is saved next to a KV state file (`<path>.json`) to decide whether the state can be restored. */
export interface StateSidecar {
  /** Format version of this sidecar; a different one is never restored. */
  readonly version: typeof SIDECAR_VERSION
  /** Identifies the model file (size and header fingerprint). */
  readonly model: string
  /** Context size per sequence the state was saved with; a smaller context cannot hold it. */
  readonly contextSize: number
  /**
   * Sequences of the context that saved the state (the backend's `maxSessions`). node-llama-cpp gives every sequence
   * its own KV stream, and llama.cpp writes the stream count into the sequence state and refuses to load it into a
   * context with another count ("n_stream mismatch", surfaced by node-llama-cpp as "context sequence size may be
   * smaller"), even when the per-sequence size is the same.
   */
  readonly sequences: number
  /** Tokens in the KV cache when it was saved (the held-back last token excluded). */
  readonly cachedTokens: number
  /** The whole token transcript, BOS included. */
  readonly tokens: readonly number[]
  /** The transcript's parts, so that the next `append` reuses their tokens. */
  readonly segments: readonly Segment[]
}


/** The shape of the context a state would be loaded into, and the parts it must continue. */
export interface RestoreTarget {
  readonly model: string
  readonly contextSize: number
  readonly sequences: number
  readonly parts: readonly PromptPart[]
}

/**
 * Decides up-front, from the sidecar alone, whether a state can be loaded into `target`: returns why not, or
 * `undefined` when it can. No load is attempted for a state llama.cpp is known to refuse.
 */
export function restoreMismatch(sidecar: StateSidecar | undefined, target: RestoreTarget): RestoreFallbackReason | undefined {
  if (sidecar === undefined) return 'no-sidecar'
  if (sidecar.model !== target.model) return 'model'
  if (sidecar.contextSize !== target.contextSize) return 'context-size'
  if (sidecar.sequences !== target.sequences) return 'sequences'
  const sameParts =
    sidecar.segments.length === target.parts.length &&
    sidecar.segments.every((s, i) => s.text === target.parts[i]?.text && s.trusted === target.parts[i]?.trusted)
  return sameParts ? undefined : 'transcript'
}

/** Sidecar path of a state file. */
export function sidecarPath(statePath: string): string {
  return `${statePath}.json`
}

/** Writes the sidecar. */
export async function writeSidecar(statePath: string, sidecar: StateSidecar): Promise<void> {
  await writeFile(sidecarPath(statePath), JSON.stringify(sidecar))
}

/** Reads the sidecar, or `undefined` when missing, unreadable or of another version (the caller then re-evaluates). */
export async function readSidecar(statePath: string): Promise<StateSidecar | undefined> {
  try {
    const parsed = JSON.parse(await readFile(sidecarPath(statePath), 'utf8')) as Partial<StateSidecar>
    if (parsed.version !== SIDECAR_VERSION || !Array.isArray(parsed.tokens) || !Array.isArray(parsed.segments)) return undefined
    if (!Number.isInteger(parsed.sequences)) return undefined
    return parsed as StateSidecar
  } catch {
    return undefined
  }
}

/** Token list typed for node-llama-cpp. */
export function asTokens(values: readonly number[]): Token[] {
  return values as Token[]
}
