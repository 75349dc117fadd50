/**
 * The agent's plugins: the fixed ones it was created with plus the current tools of its plugin sources. Every change
 * of a source produces a new registry snapshot and a new `version`; sessions compare versions at the start of a turn
 * and adopt the new snapshot then (never in the middle of a turn).
 */
import { ConfigError, PluginRegistrationError, describeError } from '../errors.js'
import { definePlugin } from '../plugins/define-plugin.js'
import { createPluginRegistry } from '../plugins/registry.js'
import type { PluginRegistry } from '../plugins/registry.js'
import { createScopedLogger } from '../plugins/scoped-logger.js'
import { isPluginSource } from '../plugins/source.js'
import type { PluginSource, PluginSourceStatus } from '../plugins/source.js'
import type { Plugin, PluginDefinition, PluginLogger } from '../plugins/types.js'

/** A plugin source as listed by `agent.sources`. */
export interface PluginSourceInfo {
  /** The source's name. */
  readonly name: string
  /** One line describing it. */
  readonly description: string
  /** Where it stands. */
  readonly status: PluginSourceStatus
  /** Its tools that the agent offers (tools whose names clash with another plugin are left out). */
  readonly tools: readonly Plugin[]
}

/** What `AgentOptions.plugins` holds: plugins, plain definitions, and plugin sources. */
export type PluginEntry = Plugin | PluginDefinition | PluginSource

/** Fixed plugins plus live sources, as one registry snapshot that is replaced on every change. */
export class PluginCatalog {
  /** Resolves once every source finished its setup (a failed setup is logged, never rejected). */
  readonly ready: Promise<void>
  private readonly fixed: PluginRegistry
  private readonly sources: readonly PluginSource[]
  private snapshot: PluginRegistry
  private offered = new Map<string, readonly Plugin[]>()
  private changes = 0
  private readonly listeners = new Set<() => void>()
  private disposed = false

  constructor(
    entries: readonly PluginEntry[],
    private readonly log: PluginLogger,
  ) {
    const plugins: (Plugin | PluginDefinition)[] = []
    const sources: PluginSource[] = []
    for (const entry of entries) {
      if (isPluginSource(entry)) sources.push(entry)
      else plugins.push(entry)
    }
    const names = new Set<string>()
    for (const source of sources) {
      if (names.has(source.name)) throw new ConfigError(`Two plugin sources are named "${source.name}"`)
      names.add(source.name)
    }
    // Fixed plugins are validated eagerly: a clash among them is the caller's mistake and throws at once.
    this.fixed = createPluginRegistry(plugins)
    this.sources = sources
    this.snapshot = this.fixed
    this.ready = Promise.all(sources.map((source) => this.setUp(source))).then(() => undefined)
  }

  /** Increases with every change of the plugin list. */
  get version(): number {
    return this.changes
  }

  /** The current plugins, fixed ones first, then each source's tools in source order. */
  get registry(): PluginRegistry {
    return this.snapshot
  }

  /** The sources with their status and offered tools. */
  listSources(): PluginSourceInfo[] {
    return this.sources.map((source) => ({
      name: source.name,
      description: source.description,
      status: source.status(),
      tools: this.offered.get(source.name) ?? [],
    }))
  }

  /** Subscribes to changes of the plugin list. Returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Disposes the sources and the fixed plugins; failures are logged. */
  async dispose(): Promise<void> {
    this.disposed = true
    const work = [
      ...this.sources.map((source) => ({ name: source.name, run: () => source.dispose() })),
      ...this.fixed.plugins.map((plugin) => ({ name: plugin.name, run: () => plugin.dispose?.() })),
    ]
    await Promise.all(
      work.map(async ({ name, run }) => {
        try {
          await run()
        } catch (error) {
          this.log.warn('A plugin or plugin source failed to dispose', { plugin: name, error: describeError(error) })
        }
      }),
    )
  }

  private async setUp(source: PluginSource): Promise<void> {
    const log = createScopedLogger(this.log, source.name)
    try {
      await source.setup({ log, changed: () => this.rebuild() })
    } catch (error) {
      log.error('The plugin source failed to start', { error: describeError(error) })
    }
    this.rebuild()
  }

  /** Re-reads every source's tools into a new snapshot; a tool whose name or command is taken is left out. */
  private rebuild(): void {
    if (this.disposed) return
    const plugins: Plugin[] = [...this.fixed.plugins]
    const names = new Set(plugins.map((p) => p.name))
    const commands = new Set(plugins.map((p) => p.command))
    const offered = new Map<string, readonly Plugin[]>()
    for (const source of this.sources) {
      const kept: Plugin[] = []
      for (const tool of readTools(source, this.log)) {
        if (names.has(tool.name) || commands.has(tool.command)) {
          this.log.warn('A plugin source offers a tool whose name is taken; it is left out', { source: source.name, tool: tool.name })
          continue
        }
        names.add(tool.name)
        commands.add(tool.command)
        kept.push(tool)
      }
      offered.set(source.name, kept)
      plugins.push(...kept)
    }
    const before = this.snapshot.plugins
    const same = before.length === plugins.length && before.every((p, i) => p === plugins[i])
    this.offered = offered
    if (same) return
    this.snapshot = createPluginRegistry(plugins)
    this.changes++
    for (const listener of this.listeners) {
      try {
        listener()
      } catch (error) {
        this.log.warn('A plugin-list listener threw', { error: describeError(error) })
      }
    }
  }
}

function readTools(source: PluginSource, log: PluginLogger): Plugin[] {
  try {
    return source.tools().map((tool) => (typeof (tool as Partial<Plugin>).argument === 'string' ? tool : definePlugin(tool)))
  } catch (error) {
    const reason = error instanceof PluginRegistrationError ? error.message : describeError(error)
    log.warn('A plugin source could not list its tools', { source: source.name, error: reason })
    return []
  }
}
