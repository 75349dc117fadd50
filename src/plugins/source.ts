/**
 * Plugin sources: providers of plugins whose list is only known at run time and may change (an MCP server, a
 * plugin folder). `createAgent({ plugins: [calculator(), mcpServer(…)] })` takes them beside plain plugins: the agent
 * sets each source up, asks it for its tools, listens for changes and disposes it with itself.
 */
import type { Plugin, PluginLogger } from './types.js'

/** Where a source stands, for listings (`/plugins`) and diagnostics. */
export type PluginSourceState =
  /** Setting up (starting a server, connecting). */
  | 'starting'
  /** Working: its tools are listed. */
  | 'ready'
  /** Not working; it may be retrying on its own. `detail` says why. */
  | 'failed'
  /** Disposed. */
  | 'closed'

/** The state of a source and what explains it. */
export interface PluginSourceStatus {
  readonly state: PluginSourceState
  /** One line: why it failed, when it retries. Absent when there is nothing to say. */
  readonly detail?: string
}

/** What the agent hands a source at setup. */
export interface PluginSourceContext {
  /** The agent's logger, scoped to the source. */
  readonly log: PluginLogger
  /**
   * Call when the list of tools (or their descriptions, schemas, or the source's status) changed. The agent then
   * re-reads `tools()`; each session re-renders its system block at the start of its next turn.
   */
  changed(): void
}

/** A provider of plugins known only at run time. */
export interface PluginSource {
  /** Brand that tells a source from a plugin in `AgentOptions.plugins`. */
  readonly kind: 'plugin-source'
  /** Unique, short name, e.g. the MCP server's name (`everything`). */
  readonly name: string
  /** One line describing it (`stdio: node server.js`), shown by the CLI. */
  readonly description: string
  /**
   * Starts the source (spawn, connect, list). The agent calls it once and awaits it before the first session opens.
   * A rejection is logged and leaves the source without tools; a source that can recover retries on its own and
   * calls `ctx.changed()` when it has tools again.
   */
  setup(ctx: PluginSourceContext): Promise<void>
  /** The source's current tools. Names must not clash with other plugins (a clash is logged and the later one left out). */
  tools(): readonly Plugin[]
  /** Where the source stands. */
  status(): PluginSourceStatus
  /** Stops the source (kills its server, closes connections). Called by `agent.dispose()`. */
  dispose(): Promise<void>
}

/** True when `value` is a {@link PluginSource} (rather than a plugin). */
export function isPluginSource(value: unknown): value is PluginSource {
  const candidate = value as Partial<PluginSource> | null
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.kind === 'plugin-source' &&
    typeof candidate.setup === 'function' &&
    typeof candidate.tools === 'function'
  )
}
