/**
 * The SDK surface: agent options, sessions and the events a turn streams.
 */
import type { ModelBackend, SamplingOptions } from '../backends/types.js'
import type { MossError } from '../errors.js'
import type { DetectedFormat } from '../formats/detect.js'
import type { DialogueFormat, FormatOptions, TurnRecord } from '../formats/types.js'
import type { PluginSource } from '../plugins/source.js'
import type { Plugin, PluginDefinition, PluginLogger } from '../plugins/types.js'
import type { PluginSourceInfo } from './plugin-catalog.js'

/** Per-turn limits. Exceeding one ends the turn with a {@link BudgetExceededError} in an `error` event. */
export interface TurnBudgets {
  /** Maximum tool calls in one turn (MOSS allows 4 per command span). Defaults to `8`. */
  maxCommands?: number
  /** Maximum generations (model calls) in one turn. Defaults to `6`. */
  maxSteps?: number
  /** Maximum tokens per generation. Defaults to `512` (MOSS production). */
  maxTokensPerGeneration?: number
  /** Wall-clock limit of a turn in milliseconds. Defaults to `120000`. */
  maxTurnMs?: number
  /** Default per-plugin call timeout in milliseconds. Defaults to `30000`. */
  pluginTimeoutMs?: number
  /** Maximum characters of one plugin result; longer results become an error result. Defaults to `20000`. */
  maxResultChars?: number
  /** Maximum characters of user input in one turn. Defaults to `100000`. */
  maxInputChars?: number
}

/** Options of {@link createAgent}. */
export interface AgentOptions {
  /** The model. */
  backend: ModelBackend
  /**
   * Plugins available to sessions, and plugin sources whose tools join them at run time (`mcpServer(…)`). Defaults
   * to none.
   */
  plugins?: readonly (Plugin | PluginDefinition | PluginSource)[]
  /**
   * Dialogue format: a name (`moss`, `qwen`, `hermes`, `llama3`, `mistral`, `chatml`, `glm4`, `chatglm3`), `'auto'` (chosen from the
   * backend's `modelInfo`: the GGUF's chat template and architecture, MOSS when nothing points elsewhere; a template
   * without tool support turns plugins off) or an instance. Defaults to `'moss'`.
   */
  format?: string | DialogueFormat
  /** Options of the built-in formats. */
  formatOptions?: FormatOptions
  /** Per-turn budgets. */
  budgets?: TurnBudgets
  /** Sampling defaults for every generation. */
  sampling?: SamplingOptions
  /** Logger for diagnostics (listener failures, plugin logs). Defaults to silent. */
  logger?: PluginLogger
}

/** Token usage of one turn. */
export interface TurnUsage {
  /** Tokens evaluated (prompt processing) during the turn. */
  evaluated: number
  /** Tokens generated during the turn. */
  generated: number
  /** Tokens reused from the cache instead of being evaluated. */
  reused: number
}

/** Timings of one turn, in milliseconds. */
export interface TurnTimings {
  /** From `send` to the first text or thought delta. */
  firstTokenMs: number | undefined
  /** Whole turn. */
  totalMs: number
  /** Time spent in plugins. */
  pluginMs: number
}

/** Events streamed by `Session.send`. */
export type AgentEvent =
  | { readonly type: 'turn-start'; readonly turn: number; readonly input: string }
  | { readonly type: 'thought-delta'; readonly text: string }
  | {
      readonly type: 'tool-call'
      readonly id: string
      readonly name: string
      readonly input: string
      /** The parsed arguments (absent when `input` is the whole argument). */
      readonly arguments?: Readonly<Record<string, unknown>>
    }
  | {
      readonly type: 'tool-result'
      readonly id: string
      readonly name: string
      readonly input: string
      readonly output: string
      readonly images?: readonly { readonly path: string; readonly mimeType: string }[]
      /** The plugin's structured result, when it gave one. */
      readonly data?: unknown
    }
  /** A running call reported progress (an MCP tool's `notifications/progress`). */
  | {
      readonly type: 'tool-progress'
      readonly id: string
      readonly name: string
      readonly progress: number
      readonly total?: number
      readonly message?: string
    }
  | { readonly type: 'tool-error'; readonly id: string; readonly name: string; readonly input: string; readonly error: MossError }
  | { readonly type: 'text-delta'; readonly text: string }
  | { readonly type: 'image'; readonly path: string; readonly mimeType: string }
  /** History was compressed or trimmed to fit the context window. */
  | {
      readonly type: 'history-compressed'
      /** Turns whose results were replaced by the empty form. */
      readonly resultsDropped: number
      /** Whole oldest turns removed. */
      readonly turnsDropped: number
    }
  | { readonly type: 'turn-finish'; readonly text: string; readonly usage: TurnUsage; readonly timings: TurnTimings; readonly aborted: boolean }
  | { readonly type: 'error'; readonly error: MossError }

/** The reply of `Session.ask`. */
export interface AgentReply {
  /** The final answer. */
  readonly text: string
  /** Every event of the turn. */
  readonly events: readonly AgentEvent[]
}

/** Options of one turn. */
export interface SendOptions {
  /** Aborts the turn: generation stops, plugins are signalled, the turn ends with `turn-finish` (`aborted: true`). */
  signal?: AbortSignal
}

/** One conversation. */
export interface Session {
  /** Stable id (used in file names and by adapters). */
  readonly id: string
  /** Finished turns. */
  readonly turns: readonly TurnRecord[]
  /** Streams one turn. Turns of one session run one at a time; a second `send` waits for the first. */
  send(text: string, options?: SendOptions): AsyncIterable<AgentEvent>
  /** Runs one turn and collects it. */
  ask(text: string, options?: SendOptions): Promise<AgentReply>
  /** Subscribes to every event of every turn; a throwing listener is logged and ignored. Returns an unsubscribe function. */
  on(listener: (event: AgentEvent) => void): () => void
  /**
   * Enables or disables a plugin for this session (re-renders the system prefix). Throws PluginNotFoundError for an
   * unknown name and ConfigError when enabling a plugin that is `unavailable` (e.g. no service configured).
   */
  setPluginEnabled(name: string, enabled: boolean): Promise<void>
  /** Names of plugins enabled in this session. */
  readonly enabledPlugins: readonly string[]
  /** Forgets the conversation (keeps plugin switches). */
  reset(): Promise<void>
  /** Saves the session as JSON (write to temp, then rename); backend state is saved next to it when supported. */
  save(path: string): Promise<void>
  /** Frees the model session. */
  dispose(): Promise<void>
}

/** Options of {@link Agent.loadSession}. */
export interface LoadSessionOptions {
  /**
   * Receives each notice of the load (a plugin the file has on that stays off), for a caller that shows them
   * itself. Defaults to the agent's logger (`warn`).
   */
  onNotice?: (message: string) => void
}

/** The object returned by {@link createAgent}. */
export interface Agent {
  /**
   * Opens a new session. `history` starts it with earlier turns (at least `human` and `answer` each), rendered in
   * the agent's format and evaluated once; defaults to none.
   */
  createSession(options?: { id?: string; history?: readonly TurnRecord[] }): Promise<Session>
  /**
   * Opens a saved session; a corrupt or foreign file throws {@link SessionFileError} and changes nothing. A plugin
   * the file has on stays off when this agent lacks it or it is `unavailable` here (no service configured); each
   * such plugin gives one notice (for an unavailable one, the message `setPluginEnabled` refuses with).
   */
  loadSession(path: string, options?: LoadSessionOptions): Promise<Session>
  /** The current plugins: the fixed ones, then the tools of each plugin source (changes when a source does). */
  readonly plugins: readonly Plugin[]
  /** The plugin sources, their status and tools. */
  readonly sources: readonly PluginSourceInfo[]
  /** The dialogue format. */
  readonly format: DialogueFormat
  /** With `format: 'auto'`: the format chosen, why, and whether the model's template supports tools. */
  readonly formatChoice?: DetectedFormat
  /** Resolves once every plugin source finished starting (a source that failed is listed with its status). */
  ready(): Promise<void>
  /** Subscribes to changes of the plugin list (a source's tools changed). Returns an unsubscribe function. */
  onPluginsChanged(listener: () => void): () => void
  /** Disposes plugins and plugin sources (not the backend, which the caller owns). */
  dispose(): Promise<void>
}
