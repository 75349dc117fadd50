/**
 * `moss run "question"`: one turn, streamed to stdout, then exit. `--json` prints every event as a JSON line.
 * Exit code 0 when the turn finished, 1 when it ended with an error, 130 when interrupted. A turn error is one
 * `moss: …` line on stderr (as every CLI failure is), never part of the answer on stdout; `--json` also keeps it
 * as an `error` event.
 */
import type { CliOptions } from './cli-options.js'
import { createCliAgent } from './build-agent.js'
import { colorEnabled } from './colors.js'
import { EXIT_FAILURE } from './error-line.js'
import { eventToJson } from '../host/event-json.js'
import { EventRenderer } from './render.js'
import type { CliStreams } from './streams.js'

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells expect. */
const EXIT_INTERRUPTED = 130

/** Runs `moss run`. */
export async function runOnce(options: CliOptions, io: CliStreams): Promise<number> {
  const cli = await createCliAgent(options, io.stderr)
  const controller = new AbortController()
  const onSigint = (): void => controller.abort()
  io.signals.on('SIGINT', onSigint)
  let failed = false
  try {
    const session = await cli.agent.createSession()
    const reportError = (message: string): void => void io.stderr.write(`moss: ${message}\n`)
    const renderer = new EventRenderer(io.stdout, {
      color: colorEnabled(io.env, io.stdout.isTTY),
      thoughts: options.thoughts,
      columns: io.stdout.columns ?? 80,
      onError: reportError,
    })
    for await (const event of session.send(options.question ?? '', { signal: controller.signal })) {
      if (event.type === 'error') failed = true
      if (options.json) {
        io.stdout.write(`${eventToJson(event)}\n`)
        if (event.type === 'error') reportError(event.error.message.split('\n')[0] ?? '')
      } else renderer.render(event)
    }
    await session.dispose()
  } finally {
    io.signals.off('SIGINT', onSigint)
    await cli.dispose()
  }
  if (controller.signal.aborted) return EXIT_INTERRUPTED
  return failed ? EXIT_FAILURE : 0
}
