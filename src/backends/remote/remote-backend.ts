/** The {@link ModelBackend} shared by the remote clients: validates options, opens and tracks sessions. */
import { AbortedError, BackendError, ConfigError } from '../../errors.js'
import type { ModelBackend, ModelSession, OpenSessionOptions } from '../types.js'
import type { ResolvedRetryPolicy } from '../../util/http-retry.js'
import type { RemoteBackendOptions, RetryOptions } from './remote-options.js'
import { RemoteSession } from './remote-session.js'
import type { SamplingDialect } from './sampling.js'
import { estimateTokens } from './token-estimate.js'
import type { CompletionTransport } from './transport.js'

const DEFAULT_MAX_TOKENS = 512
const DEFAULT_TIMEOUT_MS = 300_000
const DEFAULT_FIRST_TOKEN_TIMEOUT_MS = 60_000
/** Default bound of the connection pool shared by all sessions of one backend. */
export const DEFAULT_CONNECTIONS = 8

function positive(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new ConfigError(`${name} must be a positive number (got ${String(value)})`)
  }
}

/** The shared retry policy for a remote backend's {@link RetryOptions} (model servers get more patience than services). */
export function remoteRetryPolicy(options: RetryOptions | undefined): ResolvedRetryPolicy {
  return {
    attempts: (options?.maxRetries ?? 3) + 1,
    baseDelayMs: options?.initialDelayMs ?? 500,
    maxDelayMs: options?.maxDelayMs ?? 8000,
    maxRetryAfterMs: options?.maxRetryAfterMs ?? 30_000,
  }
}

/** Checks the shared options eagerly, so misconfiguration fails at construction. */
export function validateRemoteOptions(options: RemoteBackendOptions): void {
  positive('contextSize', options.contextSize)
  positive('maxTokens', options.maxTokens)
  positive('timeoutMs', options.timeoutMs)
  positive('firstTokenTimeoutMs', options.firstTokenTimeoutMs)
  positive('connections', options.connections)
  if (options.connections !== undefined && !Number.isInteger(options.connections)) {
    throw new ConfigError(`connections must be an integer (got ${options.connections})`)
  }
  const retries = options.retry?.maxRetries
  if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0)) {
    throw new ConfigError(`retry.maxRetries must be a non-negative integer (got ${retries})`)
  }
}

/** Wraps a transport into a backend whose sessions replay their transcript. */
export function createRemoteBackend(
  transport: CompletionTransport,
  options: RemoteBackendOptions,
  dialect: SamplingDialect,
): ModelBackend {
  const sessions = new Set<RemoteSession>()
  let disposed = false
  const config = {
    transport,
    countTokens: options.countTokens ?? estimateTokens,
    contextSize: options.contextSize,
    maxTokens: options.maxTokens ?? DEFAULT_MAX_TOKENS,
    sampling: options.sampling,
    dialect,
    retry: remoteRetryPolicy(options.retry),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    firstTokenTimeoutMs: options.firstTokenTimeoutMs ?? DEFAULT_FIRST_TOKEN_TIMEOUT_MS,
    serverStop: options.serverStop ?? true,
    onDispose: (session: RemoteSession) => sessions.delete(session),
  }
  return {
    description: transport.server,
    // A remote server has no slots to wait for: `signal` is only checked, `timeoutMs` does not apply. A restore
    // replays `parts` (there is no local state to load).
    open(openOptions?: OpenSessionOptions): Promise<ModelSession> {
      if (disposed) return Promise.reject(new BackendError('This backend has been disposed'))
      if (openOptions?.signal?.aborted === true) return Promise.reject(new AbortedError('Opening the session was aborted'))
      const session = new RemoteSession(config, openOptions?.restore?.parts)
      sessions.add(session)
      return Promise.resolve(session)
    },
    async dispose(): Promise<void> {
      if (disposed) return
      disposed = true
      await Promise.all([...sessions].map((session) => session.dispose()))
      await transport.close()
    },
  }
}
