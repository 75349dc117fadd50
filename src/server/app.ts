/**
 * The HTTP application of `moss serve`, on hono: the session API, the OpenAI-compatible endpoint, health and info,
 * and the web chat page. Cross-cutting rules are hono middleware: bearer token on `/v1/*` (when configured), a
 * body size limit, CORS only for configured origins; every refusal is JSON with a stable error code.
 */
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import { bearerAuth } from 'hono/bearer-auth'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { HTTPException } from 'hono/http-exception'
import { RequestError } from '../errors.js'
import type { SessionHost } from '../host/session-host.js'
import { packageRoot } from '../util/package-root.js'
import { addChatCompletions } from './chat-completions.js'
import { ClientLimiter } from './client-limit.js'
import { errorBody, errorResponse, notFound } from './http-errors.js'
import { addSessionRoutes } from './session-routes.js'

/** Options of {@link createServerApp}. */
export interface ServerAppOptions {
  /** The sessions served. */
  readonly host: SessionHost
  /** Shown by `GET /v1/info` and `GET /v1/models`: the model (e.g. the backend's description). Defaults to `moss-agent`. */
  readonly model?: string
  /**
   * Shown by `GET /v1/info` as `services` and in the web page's header: one line per service the plugins use (which
   * search, which image backend, or how to turn one on). `moss serve` passes the REPL banner's lines. Defaults to none.
   */
  readonly services?: readonly string[]
  /** Bearer token required on `/v1/*`. Defaults to none (no authentication). */
  readonly token?: string
  /** Streaming requests one client (remote address) may have open at once. Defaults to `4`. */
  readonly maxConcurrentPerClient?: number
  /** Largest request body in bytes. Defaults to `1048576` (1 MiB). */
  readonly maxBodyBytes?: number
  /** Origins allowed by CORS (`*` for any). Defaults to none: CORS is off. */
  readonly corsOrigins?: readonly string[]
  /** Folder of the web page served at `/`. Defaults to the package's `web/`; `false` serves no page. */
  readonly webRoot?: string | false
}

const unauthorized = (message: string): { error: { code: string; message: string } } => ({ error: { code: 'MOSS_ERR_UNAUTHORIZED', message } })

/** Builds the hono app (serve it with `startServer` or any hono adapter). */
export function createServerApp(options: ServerAppOptions): Hono {
  const { host } = options
  const app = new Hono()
  const limiter = new ClientLimiter(Math.max(1, options.maxConcurrentPerClient ?? 4))
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024

  if (options.corsOrigins && options.corsOrigins.length > 0) {
    const origins = [...options.corsOrigins]
    app.use('/v1/*', cors({ origin: origins.includes('*') ? '*' : origins, exposeHeaders: ['X-Moss-Session', 'Retry-After'] }))
  }
  if (options.token !== undefined) {
    app.use(
      '/v1/*',
      bearerAuth({
        token: options.token,
        noAuthenticationHeader: { message: unauthorized('This server needs a bearer token (Authorization: Bearer …)') },
        invalidAuthenticationHeader: { message: unauthorized('The Authorization header is not "Bearer <token>"') },
        invalidToken: { message: unauthorized('The bearer token is wrong') },
      }),
    )
  }
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) => c.json(errorBody(new RequestError(413, 'MOSS_ERR_PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBodyBytes} bytes`)), 413),
    }),
  )

  app.get('/healthz', (c) => c.json({ ok: true, ...host.stats }))
  app.get('/v1/info', (c) =>
    c.json({
      model: options.model ?? 'moss-agent',
      format: host.agent.format.name,
      plugins: host.agent.plugins.map((plugin) => ({ name: plugin.name, command: plugin.command, enabled: plugin.enabled, description: plugin.description })),
      services: options.services ?? [],
    }),
  )
  addSessionRoutes(app, host, limiter)
  addChatCompletions(app, host, limiter, options.model ?? 'moss-agent')

  const webRoot = options.webRoot ?? join(packageRoot(), 'web')
  if (webRoot !== false) app.use('/*', serveStatic({ root: webRoot }))

  app.notFound((c) => errorResponse(c, notFound(`No route ${c.req.method} ${c.req.path}`)))
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse()
    if (error instanceof RequestError && error.status === 429) c.header('Retry-After', '1')
    return errorResponse(c, error)
  })
  return app
}
