/**
 * Serves a moss-agent over HTTP on Node (`@hono/node-server`), and shuts it down gracefully: stop accepting
 * connections, let running turns finish for a grace period (then abort them; their streams end with the aborted
 * turn), save and close the sessions, close the remaining connections.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { ServerType } from '@hono/node-server'
import { ConfigError } from '../errors.js'
import { createServerApp } from './app.js'
import type { ServerAppOptions } from './app.js'

/** Options of {@link startServer}. */
export interface StartServerOptions extends ServerAppOptions {
  /** Port; `0` picks a free one. Defaults to `8080`. */
  readonly port?: number
  /** Address to bind. Defaults to `127.0.0.1`; any other address requires `token`. */
  readonly hostname?: string
  /** How long `close()` lets running turns finish before aborting them. Defaults to `10000` ms. */
  readonly shutdownGraceMs?: number
}

/** A running server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string
  readonly port: number
  /** Graceful shutdown (idempotent); closes the session host too. */
  close(): Promise<void>
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])

/** Starts the server; resolves once it listens. Throws {@link ConfigError} for a public address without a token. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const hostname = options.hostname ?? '127.0.0.1'
  if (!LOOPBACK.has(hostname) && (options.token === undefined || options.token === '')) {
    throw new ConfigError(`Serving on ${hostname} (not loopback) needs a token: --token T or MOSS_SERVE_TOKEN`)
  }
  const app = createServerApp(options)
  const server = await new Promise<ServerType>((resolve, reject) => {
    const started: ServerType = serve({ fetch: app.fetch, port: options.port ?? 8080, hostname }, () => resolve(started))
    started.once('error', reject)
  })
  const { port } = server.address() as AddressInfo
  const host = hostname.includes(':') ? `[${hostname}]` : hostname
  let closing: Promise<void> | undefined
  return {
    url: `http://${host}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
        if ('closeIdleConnections' in server) server.closeIdleConnections()
        await options.host.close({ graceMs: options.shutdownGraceMs ?? 10_000 })
        if ('closeAllConnections' in server) server.closeAllConnections()
        await stopped
      })()
      return closing
    },
  }
}
