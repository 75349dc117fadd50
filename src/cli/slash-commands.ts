/**
 * REPL slash commands, as a table: name, usage, help line, handler. `//text` sends `/text` as a message.
 */
import { dirname, resolve } from 'node:path'
import { describeError } from '../errors.js'
import type { Agent, ModelBackend, Session } from '../index.js'
import { messageWithCauses } from './error-line.js'
import type { EventRenderer } from './render.js'
import { pluginListing } from './source-lines.js'

/** What a command can touch. */
export interface ReplState {
  readonly agent: Agent
  readonly backend: ModelBackend
  readonly renderer: EventRenderer
  session: Session
  /** Writes a line of REPL output. */
  print(line: string): void
}

/** What the REPL does after a command. */
export type CommandOutcome = 'continue' | 'exit'

interface SlashCommand {
  readonly name: string
  readonly usage: string
  readonly help: string
  run(state: ReplState, args: string[]): Promise<CommandOutcome | void> | CommandOutcome | void
}

/**
 * A command whose one argument is a file path (spaces allowed): without it the usage line is printed; with it `run`
 * gets the path resolved against the working directory.
 */
function fileCommand(command: Omit<SlashCommand, 'run'> & { run(state: ReplState, file: string): Promise<void> }): SlashCommand {
  return {
    ...command,
    run(state, args) {
      const file = args.join(' ').trim()
      if (!file) return state.print(`usage: ${command.usage}`)
      return command.run(state, resolve(file))
    },
  }
}

const COMMANDS: readonly SlashCommand[] = [
  {
    name: 'help',
    usage: '/help',
    help: 'this list',
    run(state) {
      // Two spaces past the longest usage, so no row runs into its description.
      const width = Math.max(...COMMANDS.map((command) => command.usage.length)) + 2
      for (const command of COMMANDS) state.print(`  ${command.usage.padEnd(width)}${command.help}`)
      state.print('  end a line with \\ to continue it; Ctrl-C stops an answer; Ctrl-D exits')
    },
  },
  {
    name: 'reset',
    usage: '/reset',
    help: 'forget the conversation',
    async run(state) {
      await state.session.reset()
      state.print('(conversation cleared)')
    },
  },
  fileCommand({
    name: 'save',
    usage: '/save FILE',
    help: 'save the conversation to FILE',
    async run(state, file) {
      try {
        await state.session.save(file)
      } catch (error) {
        state.print(`error: could not save to ${file}: ${fileProblem(error, file)}`)
        return
      }
      state.print(`(saved to ${file})`)
    },
  }),
  fileCommand({
    name: 'load',
    usage: '/load FILE',
    help: 'continue a saved conversation',
    async run(state, file) {
      // A plugin the file has on but that cannot run here stays off; the person reads the same refusal
      // `/plugins enable` gives for it.
      const notices: string[] = []
      const loaded = await state.agent.loadSession(file, { onNotice: (message) => notices.push(message) })
      const previous = state.session
      state.session = loaded
      await previous.dispose()
      state.print(`(loaded ${loaded.turns.length} turns from ${file})`)
      for (const notice of notices) state.print(`note: ${notice}; it stays off`)
    },
  }),
  {
    name: 'plugins',
    usage: '/plugins [enable|disable NAME]',
    help: 'list plugins, or switch one on or off',
    async run(state, args) {
      const [action, name] = args
      if (action === undefined) {
        for (const line of pluginListing(state.agent, new Set(state.session.enabledPlugins))) state.print(line)
        return
      }
      if ((action !== 'enable' && action !== 'disable') || !name) {
        return state.print('usage: /plugins [enable|disable NAME]')
      }
      const plugin = state.agent.plugins.find((p) => p.name === name || p.command === name)
      if (!plugin) return state.print(`no plugin "${name}" (see /plugins)`)
      await state.session.setPluginEnabled(plugin.name, action === 'enable')
      state.print(`(${plugin.name} ${action}d)`)
    },
  },
  {
    name: 'model',
    usage: '/model',
    help: 'show the model and format',
    run(state) {
      state.print(`  model:  ${state.backend.description}`)
      state.print(`  format: ${state.agent.format.name}`)
    },
  },
  {
    name: 'thoughts',
    usage: '/thoughts [on|off]',
    help: 'show or hide inner thoughts',
    run(state, args) {
      const [value] = args
      if (value !== undefined && value !== 'on' && value !== 'off') return state.print('usage: /thoughts [on|off]')
      state.renderer.thoughts = value === 'on' ? true : value === 'off' ? false : !state.renderer.thoughts
      state.print(`(thoughts ${state.renderer.thoughts ? 'shown' : 'hidden'})`)
    },
  },
  {
    name: 'exit',
    usage: '/exit',
    help: 'leave (or Ctrl-D)',
    run: () => 'exit',
  },
]

/** Aliases of command names. */
const ALIASES: Readonly<Record<string, string>> = { quit: 'exit', q: 'exit', '?': 'help', clear: 'reset' }

/** True when `text` is a command rather than a message (`//…` escapes a leading slash). */
export function isSlashCommand(text: string): boolean {
  return text.startsWith('/') && !text.startsWith('//')
}

/** Runs the command in `text`. Errors are printed, never thrown. */
export async function runSlashCommand(state: ReplState, text: string): Promise<CommandOutcome> {
  const [head = '', ...args] = text.slice(1).trim().split(/\s+/)
  const name = ALIASES[head] ?? head
  const command = COMMANDS.find((c) => c.name === name)
  if (!command) {
    state.print(`unknown command /${head} (try /help)`)
    return 'continue'
  }
  try {
    return (await command.run(state, args)) ?? 'continue'
  } catch (error) {
    state.print(`error: ${describeError(error).split('\n')[0]}`)
    return 'continue'
  }
}

/** Why a file could not be written, in words (the first cause with a system error code decides). */
function fileProblem(error: unknown, file: string): string {
  for (let cause: unknown = error; typeof cause === 'object' && cause !== null; cause = (cause as { cause?: unknown }).cause) {
    switch ((cause as { code?: unknown }).code) {
      case 'ENOENT':
        return `the folder ${dirname(file)} does not exist`
      case 'EACCES':
      case 'EPERM':
      case 'EROFS':
        return `no permission to write in ${dirname(file)}`
      case 'ENOSPC':
        return 'the disk is full'
      case 'EISDIR':
        return 'that is a folder'
    }
  }
  return messageWithCauses(error)
}
