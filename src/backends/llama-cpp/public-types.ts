/**
 * The llama.cpp backend as the package declares it. No node-llama-cpp type appears in these declarations (nor in any
 * declaration the root entry reaches), so a user's `tsc` with `skipLibCheck: false` never reads node-llama-cpp's own
 * declaration files, which do not compile that way. The node-llama-cpp objects behind a backend are reached through
 * `llamaCppHandles` (handles.ts) by benchmarks and tests.
 */
import type { ModelBackend, ModelSession, OpenSessionOptions } from '../types.js'

/**
 * Why a saved state was not restored (the session then re-evaluates its parts): no usable sidecar, another model,
 * another context size, another sequence count, other parts, or llama.cpp refusing or mangling the load.
 */
export type RestoreFallbackReason = 'no-sidecar' | 'model' | 'context-size' | 'sequences' | 'transcript' | 'load-failed' | 'cache-mismatch'

/** A conversation on one context sequence of a {@link LlamaCppBackend}. */
export interface LlamaCppSession extends ModelSession {
  /**
   * Whether the last restore loaded the saved KV state (`false` when it re-evaluated the parts instead, and for a
   * session opened empty).
   */
  readonly restoredFromState: boolean
  /** Tokens of the context sequence (always known). */
  readonly contextSize: number
  /** The token transcript (a copy), for tests and diagnostics. */
  readonly transcriptTokens: readonly number[]
  saveState(path: string): Promise<void>
}

/** A loaded local model. */
export interface LlamaCppBackend extends ModelBackend {
  /** The resolved model file. */
  readonly modelPath: string
  /** The device llama.cpp actually uses: `cpu`, `cuda`, `vulkan` or `metal`. */
  readonly device: string
  /** CPU threads in use. */
  readonly threads: number
  /** Tokens per session. */
  readonly contextSize: number
  /** Sessions that can be open at once. */
  readonly maxSessions: number
  /** Sessions open now. */
  readonly openSessions: number
  /** Opens a session on a free context sequence; waits for one when all are in use. */
  open(options?: OpenSessionOptions): Promise<LlamaCppSession>
}
