/**
 * Public shapes of the isolation pool: warm child processes that run CPU-heavy or untrusted work (calculator,
 * equation solver) behind a heap cap and a kill timer, so a pathological input can never take the agent down.
 */

/** What {@link createIsolationPool} takes. */
export interface IsolationPoolOptions {
  /**
   * The worker module each child imports: a plain JavaScript ES module (`.mjs`/`.js`, it runs without a TypeScript
   * loader) exporting `handlers`, an object of functions `(input) => result` (sync or async). Inputs and results
   * cross the IPC channel as JSON. Required.
   */
  readonly module: string | URL
  /** Number of warm child processes; requests beyond it queue in arrival order. Defaults to `1`. */
  readonly size?: number
  /** V8 old-space limit of each child (`--max-old-space-size`), in MB. Defaults to `128`. */
  readonly maxOldSpaceMb?: number
  /** Kill timer per request, in milliseconds, counted from the moment a warm child takes it. Defaults to `10_000`. */
  readonly timeoutMs?: number
  /** Longest accepted string input, in characters (longer ones are refused before any child sees them). Defaults to `100_000`. */
  readonly maxInputChars?: number
  /** Name used in error messages (usually the plugin's name). Defaults to `'isolation'`. */
  readonly name?: string
}

/** Per-request options of {@link IsolationPool.run}. */
export interface IsolationRunOptions {
  /** Aborting rejects with `AbortedError`; a running child is killed and replaced. */
  readonly signal?: AbortSignal
  /** Overrides the pool's kill timer for this request. Defaults to the pool's `timeoutMs`. */
  readonly timeoutMs?: number
}

/** A pool of warm child processes. */
export interface IsolationPool {
  /**
   * Runs `handler` of the worker module on `input` in a child. Rejects with `IsolationError` (`timeout`, `memory`,
   * `crash`, `closed`), `AbortedError`, `InvalidInputError` (input too long) or `PluginError` (the handler threw;
   * its message is kept).
   */
  run<T = unknown>(handler: string, input: unknown, options?: IsolationRunOptions): Promise<T>
  /** Starts the children now instead of at the first request; resolves when they are ready. */
  warmup(): Promise<void>
  /** Process ids of the live children (for diagnostics and tests). */
  pids(): number[]
  /** Kills every child and rejects pending requests with `IsolationError('closed')`. Idempotent. */
  dispose(): Promise<void>
}
