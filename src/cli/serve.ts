/**
 * `moss serve`: the agent the other commands build (same model, format and plugin flags), hosted behind the HTTP
 * API, the OpenAI-compatible endpoint and the web chat page. Runs until SIGINT/SIGTERM, then shuts down
 * gracefully (running turns finish or are aborted, sessions are saved).
 */
import { homedir } from 'node:os'
import { join } from 'node:path'
import { createFileSessionStore, createSessionHost } from '../host/index.js'
import { startServer } from '../server/index.js'
import { serviceLines } from './banner.js'
import { createCliAgent } from './build-agent.js'
import type { CliOptions } from './cli-options.js'
import type { CliStreams } from './streams.js'

/** Runs `moss serve`; resolves to the exit code once the server stopped. */
export async function runServe(options: CliOptions, io: CliStreams): Promise<number> {
  const cli = await createCliAgent(options, io.stderr)
  try {
    const backend = cli.backend as { maxSessions?: unknown }
    // One live session per model sequence: a turn waiting for the model must not hold one.
    const maxLiveSessions = typeof backend.maxSessions === 'number' ? backend.maxSessions : 4
    const host = createSessionHost({
      agent: cli.agent,
      store: createFileSessionStore(options.sessionsDir ?? join(homedir(), '.moss', 'sessions')),
      maxLiveSessions,
      log: (message) => void io.stderr.write(`moss serve: ${message}\n`),
    })
    const server = await startServer({
      host,
      model: cli.backend.description,
      // The banner's own lines: the page and `/v1/info` say what the REPL says, from the same function.
      services: serviceLines(cli.agent.plugins),
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.host !== undefined ? { hostname: options.host } : {}),
      ...(options.token !== undefined ? { token: options.token } : {}),
      ...(options.corsOrigins !== undefined ? { corsOrigins: options.corsOrigins } : {}),
    }).catch(async (error: unknown) => {
      await host.close({ graceMs: 0 })
      throw error
    })
    io.stderr.write(`moss serve: listening on ${server.url}/ (${cli.backend.description}); Ctrl-C stops\n`)
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        io.signals.off('SIGINT', stop)
        process.off('SIGTERM', stop)
        resolve()
      }
      io.signals.on('SIGINT', stop)
      process.on('SIGTERM', stop)
    })
    io.stderr.write('moss serve: stopping (finishing running turns)…\n')
    await server.close()
    return 0
  } finally {
    await cli.dispose()
  }
}
