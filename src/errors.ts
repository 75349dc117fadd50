/**
 * Typed errors. Every error the library throws or reports is a {@link MossError} with a stable `code`
 * (greppable, safe to switch on) and an optional `cause`.
 *
 * `MossError.isInstance` checks a `Symbol.for` brand instead of `instanceof`, so errors created by another copy of
 * the package (a plugin bundling its own) still match.
 */

const brand = Symbol.for('moss-agent.error')

/** Stable error codes. */
export type MossErrorCode =
  | 'MOSS_ERR_CONFIG'
  | 'MOSS_ERR_PLUGIN_REGISTRATION'
  | 'MOSS_ERR_PLUGIN_NOT_FOUND'
  | 'MOSS_ERR_INVALID_INPUT'
  | 'MOSS_ERR_PLUGIN_FAILED'
  | 'MOSS_ERR_PLUGIN_TIMEOUT'
  | 'MOSS_ERR_PLUGIN_OUTPUT_TOO_LARGE'
  | 'MOSS_ERR_ISOLATION'
  | 'MOSS_ERR_BUDGET_EXCEEDED'
  | 'MOSS_ERR_ABORTED'
  | 'MOSS_ERR_SESSION_FILE'
  | 'MOSS_ERR_SESSION_BUSY'
  | 'MOSS_ERR_FORMAT'
  | 'MOSS_ERR_BACKEND'
  | 'MOSS_ERR_BACKEND_HTTP'
  | 'MOSS_ERR_BACKEND_TIMEOUT'
  | 'MOSS_ERR_MODEL_LOAD'
  | 'MOSS_ERR_CONTEXT_OVERFLOW'
  | 'MOSS_ERR_SERVICE'
  | 'MOSS_ERR_SESSION_NOT_FOUND'
  | 'MOSS_ERR_HOST_CLOSED'
  | 'MOSS_ERR_BAD_REQUEST'
  | 'MOSS_ERR_UNAUTHORIZED'
  | 'MOSS_ERR_NOT_FOUND'
  | 'MOSS_ERR_PAYLOAD_TOO_LARGE'
  | 'MOSS_ERR_TOO_MANY_REQUESTS'

/** Base class of every error raised by moss-agent. */
export class MossError extends Error {
  /** Stable machine-readable code. */
  readonly code: MossErrorCode

  constructor(code: MossErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.code = code
    Object.defineProperty(this, brand, { value: true })
  }

  /** True for any moss-agent error, even one created by another copy of this package. */
  static isInstance(value: unknown): value is MossError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true
  }
}

/** Misconfiguration: thrown eagerly, at construction. */
export class ConfigError extends MossError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MOSS_ERR_CONFIG', message, options)
  }
}

/** A plugin could not be registered (duplicate name or command, invalid definition). */
export class PluginRegistrationError extends MossError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MOSS_ERR_PLUGIN_REGISTRATION', message, options)
  }
}

/** The model called a command that is not registered or not enabled. */
export class PluginNotFoundError extends MossError {
  /** The command the model asked for. */
  readonly command: string
  /** Commands that are available. */
  readonly available: readonly string[]
  constructor(command: string, available: readonly string[]) {
    super('MOSS_ERR_PLUGIN_NOT_FOUND', `Unknown or disabled command "${command}" (available: ${available.join(', ') || 'none'})`)
    this.command = command
    this.available = available
  }
}

/** Input rejected before it reached a plugin or the model (malformed call, oversized text, …). */
export class InvalidInputError extends MossError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MOSS_ERR_INVALID_INPUT', message, options)
  }
}

/** A plugin threw, timed out or produced unusable output. */
export class PluginError extends MossError {
  /** The plugin's name. */
  readonly plugin: string
  constructor(
    plugin: string,
    message: string,
    options?: { cause?: unknown; code?: 'MOSS_ERR_PLUGIN_FAILED' | 'MOSS_ERR_PLUGIN_TIMEOUT' | 'MOSS_ERR_PLUGIN_OUTPUT_TOO_LARGE' },
  ) {
    super(options?.code ?? 'MOSS_ERR_PLUGIN_FAILED', message, options)
    this.plugin = plugin
  }
}

/** Work in an isolated child process failed (crash, heap limit, kill timer). */
export class IsolationError extends MossError {
  /** Why the child failed. */
  readonly reason: 'timeout' | 'memory' | 'crash' | 'closed'
  constructor(reason: IsolationError['reason'], message: string, options?: { cause?: unknown }) {
    super('MOSS_ERR_ISOLATION', message, options)
    this.reason = reason
  }
}

/** A per-turn budget (commands, tokens, wall-clock time) was exhausted. */
export class BudgetExceededError extends MossError {
  /** Which budget. */
  readonly budget: 'commands' | 'tokens' | 'time' | 'steps'
  constructor(budget: BudgetExceededError['budget'], message: string) {
    super('MOSS_ERR_BUDGET_EXCEEDED', message)
    this.budget = budget
  }
}

/** The caller aborted the operation. */
export class AbortedError extends MossError {
  constructor(message = 'Aborted', options?: { cause?: unknown }) {
    super('MOSS_ERR_ABORTED', message, options)
  }
}

/** A saved session file is missing, corrupt, or not a moss-agent session. */
export class SessionFileError extends MossError {
  /** The file. */
  readonly path: string
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('MOSS_ERR_SESSION_FILE', message, options)
    this.path = path
  }
}

/** Model output did not follow the dialogue format and could not be repaired. */
export class FormatError extends MossError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MOSS_ERR_FORMAT', message, options)
  }
}

/** A model backend failed (local engine or remote server). */
export class BackendError extends MossError {
  constructor(
    message: string,
    options?: { cause?: unknown; code?: 'MOSS_ERR_BACKEND' | 'MOSS_ERR_BACKEND_TIMEOUT' | 'MOSS_ERR_CONTEXT_OVERFLOW' | 'MOSS_ERR_SESSION_BUSY' },
  ) {
    super(options?.code ?? 'MOSS_ERR_BACKEND', message, options)
  }
}

/** A remote server answered with an HTTP error or a malformed body. */
export class BackendHttpError extends MossError {
  /** HTTP status (0 when no response arrived: connection refused, reset, malformed stream). */
  readonly status: number
  /** The start of the response body, for diagnostics. */
  readonly body: string
  constructor(status: number, message: string, body = '', options?: { cause?: unknown }) {
    super('MOSS_ERR_BACKEND_HTTP', message, options)
    this.status = status
    this.body = body
  }
}

/** A model file could not be loaded (missing, not a GGUF, unsupported architecture, out of memory). */
export class ModelLoadError extends MossError {
  /** Why. */
  readonly reason:
    | 'missing'
    | 'not-gguf'
    | 'unsupported-architecture'
    | 'out-of-memory'
    | 'context-too-small'
    /** No llama.cpp binary for this platform, or the one for the requested GPU does not load (driver or runtime missing). */
    | 'no-binary'
    | 'other'
  constructor(reason: ModelLoadError['reason'], message: string, options?: { cause?: unknown }) {
    super('MOSS_ERR_MODEL_LOAD', message, options)
    this.reason = reason
  }
}

/** An external service used by a plugin (search engine, image server) failed. */
export class ServiceError extends MossError {
  /** HTTP status, or 0 when none. */
  readonly status: number
  constructor(message: string, status = 0, options?: { cause?: unknown }) {
    super('MOSS_ERR_SERVICE', message, options)
    this.status = status
  }
}

/** A session host has no session with this id (never created, or deleted). */
export class SessionNotFoundError extends MossError {
  /** The id asked for. */
  readonly sessionId: string
  constructor(sessionId: string) {
    super('MOSS_ERR_SESSION_NOT_FOUND', `No session with id "${sessionId}"`)
    this.sessionId = sessionId
  }
}

/** A session host is shutting down and takes no new turns. */
export class HostClosedError extends MossError {
  constructor(message = 'The session host is shutting down') {
    super('MOSS_ERR_HOST_CLOSED', message)
  }
}

/** An HTTP request to `moss serve` was refused; `status` is the HTTP status it is answered with. */
export class RequestError extends MossError {
  /** HTTP status. */
  readonly status: 400 | 401 | 404 | 413 | 429
  constructor(
    status: RequestError['status'],
    code: 'MOSS_ERR_BAD_REQUEST' | 'MOSS_ERR_UNAUTHORIZED' | 'MOSS_ERR_NOT_FOUND' | 'MOSS_ERR_PAYLOAD_TOO_LARGE' | 'MOSS_ERR_TOO_MANY_REQUESTS',
    message: string,
  ) {
    super(code, message)
    this.status = status
  }
}

/**
 * The message of anything thrown, for a MossError wrapping it (keep the original as `cause`). Never throws: a value
 * whose `toString` or `message` throws, `Object.create(null)` or a Proxy that throws on access is described as
 * unprintable, so that error handling cannot itself fail.
 */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) {
      const message: unknown = error.message
      return typeof message === 'string' ? message : String(message)
    }
    return String(error)
  } catch {
    // `typeof` runs no user code (no getter, no Proxy trap).
    const kind = typeof error
    return kind === 'object' || kind === 'function' ? `a thrown ${kind} that cannot be printed` : `a thrown ${kind}`
  }
}

/** How many causes deep {@link messageWithCauses} looks. */
const MAX_CAUSES = 4

/**
 * The first line of `error`'s message followed by those of its causes that add something, joined by ` — `:
 * `No calculation results. — Parenthesis ) expected (char 5)`. Never throws, whatever was thrown.
 */
export function messageWithCauses(error: unknown): string {
  const lines: string[] = []
  let current: unknown = error
  for (let depth = 0; depth <= MAX_CAUSES && current !== undefined && current !== null; depth++) {
    const line = safeFirstLine(current)
    if (line !== '' && !lines.some((seen) => seen.includes(line))) lines.push(line)
    current = safeCause(current)
  }
  return lines.join(' — ')
}

function safeFirstLine(value: unknown): string {
  try {
    return (typeof value === 'object' && value !== null && 'message' in value ? String(value.message) : String(value)).split('\n')[0]?.trim() ?? ''
  } catch {
    return ''
  }
}

function safeCause(value: unknown): unknown {
  try {
    return typeof value === 'object' && value !== null && 'cause' in value ? value.cause : undefined
  } catch {
    return undefined
  }
}
