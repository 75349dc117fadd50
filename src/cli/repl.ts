/**
 * `moss chat`: the interactive loop. Streams each answer, runs slash commands, keeps a history file, and maps
 * Ctrl-C to "stop this answer" (one AbortController per turn) rather than "quit"; Ctrl-D or `/exit` quits.
 * Without a terminal (piped stdin) every input line is one message and nothing but answers is printed.
 */
import { describeError } from '../errors.js'
import { bannerText, formatBanner } from './banner.js'
import { createCliAgent } from './build-agent.js'
import { colorEnabled } from './colors.js'
import { errorHint } from './error-line.js'
import type { CliOptions } from './cli-options.js'
import { supportsInlineImages } from './inline-image.js'
import { LineInput } from './line-input.js'
import { EventRenderer } from './render.js'
import { isSlashCommand, runSlashCommand } from './slash-commands.js'
import { sourceBanner } from './source-lines.js'
import type { ReplState } from './slash-commands.js'
import type { CliStreams } from './streams.js'

/** Runs the REPL until end of input or `/exit`. Resolves to the exit code. */
export async function runRepl(options: CliOptions, io: CliStreams): Promise<number> {
  const terminal = io.stdin.isTTY === true && io.stdout.isTTY === true
  const cli = await createCliAgent(options, io.stderr)
  const renderer = new EventRenderer(io.stdout, {
    color: colorEnabled(io.env, io.stdout.isTTY),
    thoughts: options.thoughts,
    columns: io.stdout.columns ?? 80,
    inlineImages: terminal && supportsInlineImages(io.env),
  })
  const print = (line: string): void => void io.stdout.write(`${line}\n`)
  let session
  try {
    session = await cli.agent.createSession()
  } catch (error) {
    await cli.dispose()
    throw error
  }
  const state: ReplState = { agent: cli.agent, backend: cli.backend, renderer, session, print }
  const input = new LineInput({
    input: io.stdin,
    output: io.stdout as NodeJS.WritableStream,
    terminal,
    historyFile: options.historyFile,
  })

  let turn: AbortController | undefined
  const interrupt = (): void => {
    if (turn) {
      turn.abort()
      return
    }
    if (!terminal) {
      // No terminal and nothing running: Ctrl-C (SIGINT) ends the program, as for any filter.
      input.close()
      return
    }
    input.clearLine()
    print('\n(Ctrl-D or /exit to leave)')
    input.prompt()
  }
  input.onInterrupt = interrupt
  io.signals.on('SIGINT', interrupt)

  try {
    if (terminal) {
      print(bannerText(cli.backend.description, cli.agent.plugins, formatBanner(cli.agent)))
      for (const line of sourceBanner(cli.agent)) print(line)
    }
    while (true) {
      const message = await input.nextMessage()
      if (message === undefined) break
      const text = message.trim()
      if (text === '') continue
      if (isSlashCommand(text)) {
        if ((await runSlashCommand(state, text)) === 'exit') break
        continue
      }
      turn = new AbortController()
      try {
        for await (const event of state.session.send(text.startsWith('//') ? text.slice(1) : text, { signal: turn.signal })) {
          renderer.render(event)
        }
      } catch (error) {
        print(`error: ${describeError(error).split('\n')[0]}${errorHint(error)}`)
      } finally {
        turn = undefined
      }
    }
    if (terminal) print('')
    return 0
  } finally {
    io.signals.off('SIGINT', interrupt)
    input.close()
    await state.session.dispose()
    await cli.dispose()
  }
}

