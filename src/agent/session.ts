import { unlink } from 'node:fs/promises'
import type { SamplingOptions } from '../backends/types.js'
import { ConfigError, PluginNotFoundError, describeError } from '../errors.js'
import type { TurnRecord } from '../formats/types.js'
import type { PluginLogger } from '../plugins/types.js'
import type { ResolvedBudgets } from './budgets.js'
import { EventHub } from './event-hub.js'
import type { PluginCatalog } from './plugin-catalog.js'
import { unavailableMessage } from './plugin-switches.js'
import { runTurn } from './run-turn.js'
import type { SessionCore } from './session-core.js'
import { SESSION_FILE_KIND, SESSION_FILE_VERSION, writeSessionFile } from './session-file.js'
import { moveStateFiles, removeStateFiles } from './state-files.js'
import { removeStaleTemps, tempPathFor } from './temp-files.js'
import { TurnLock } from './turn-lock.js'
import type { AgentEvent, AgentReply, SendOptions, Session } from './types.js'

/** Settings a session shares with its agent. */
export interface SessionSettings {
  readonly budgets: ResolvedBudgets
  readonly sampling: SamplingOptions | undefined
  readonly logger: PluginLogger
  /** The agent's plugins; a session adopts a changed list at the start of its next turn. */
  readonly catalog: PluginCatalog
}

/** Suffix of the backend state file written next to a session file. */
export const STATE_FILE_SUFFIX = '.state'

/**
 * One conversation. Turns, saves, resets and plugin switches are serialised by one lock, so none of them ever sees
 * half a turn. A turn that does not complete (abort, budget, error, a consumer that stops iterating) is rolled back:
 * the transcript returns to where the turn began and no record is kept; `turn-finish` then has `aborted: true`.
 */
export class AgentSession implements Session {
  private readonly lock = new TurnLock()
  private readonly hub: EventHub
  private disposed = false
  /** The catalog version this session's plugin list and system prefix reflect. */
  private pluginsVersion: number

  constructor(
    readonly id: string,
    private readonly core: SessionCore,
    private readonly settings: SessionSettings,
  ) {
    this.hub = new EventHub(settings.logger)
    this.pluginsVersion = settings.catalog.version
  }

  get turns(): readonly TurnRecord[] {
    return [...this.core.turns]
  }

  get enabledPlugins(): readonly string[] {
    return this.core.registry.plugins.filter((plugin) => this.core.enabled.has(plugin.name)).map((plugin) => plugin.name)
  }

  /** The transcript exactly as the model session holds it (a copy). */
  get transcript(): readonly { readonly text: string; readonly trusted: boolean }[] {
    return this.core.mirror.map((part) => ({ ...part }))
  }

  send(text: string, options: SendOptions = {}): AsyncIterable<AgentEvent> {
    return this.stream(text, options.signal)
  }

  async ask(text: string, options: SendOptions = {}): Promise<AgentReply> {
    const events: AgentEvent[] = []
    for await (const event of this.send(text, options)) events.push(event)
    const finish = events.findLast((event) => event.type === 'turn-finish')
    return { text: finish?.type === 'turn-finish' ? finish.text : '', events }
  }

  on(listener: (event: AgentEvent) => void): () => void {
    return this.hub.on(listener)
  }

  async setPluginEnabled(name: string, enabled: boolean): Promise<void> {
    await this.exclusive(async () => {
      await this.adoptPlugins()
      const plugin = this.core.registry.byName(name)
      if (!plugin) throw new PluginNotFoundError(name, this.core.registry.plugins.map((p) => p.name))
      if (enabled && plugin.unavailable !== undefined) {
        throw new ConfigError(unavailableMessage(plugin))
      }
      if (this.core.enabled.has(name) === enabled) return
      const previous = this.core.format.renderSystem(this.core.plugins())
      if (enabled) this.core.enabled.add(name)
      else this.core.enabled.delete(name)
      await this.core.rerenderSystem(previous)
    })
  }

  async reset(): Promise<void> {
    await this.exclusive(async () => {
      this.core.turns.length = 0
      this.core.droppedTurns = 0
      this.core.compressedResults.clear()
      await this.core.replace(this.core.format.renderSystem(this.core.plugins()))
    })
  }

  /**
   * Writes the session JSON (temp file, then rename) and, when the backend supports it, its state next to it as
   * `<path>.state` (also via a temporary file). A stale state file from an earlier save is removed when no new one
   * is written, so a later load never pairs a transcript with the wrong state. Waits for a running turn.
   */
  async save(path: string): Promise<void> {
    await this.exclusive(async () => {
      const core = this.core
      const statePath = path + STATE_FILE_SUFFIX
      // Leftovers of saves to this path that were killed half-way.
      await removeStaleTemps([path, statePath])
      let stateWritten = false
      if (core.model.saveState) {
        const temp = tempPathFor(statePath)
        try {
          await core.model.saveState(temp)
          // Companion files the backend wrote next to the state (its restore sidecar) move with it.
          await moveStateFiles(temp, statePath)
          stateWritten = true
        } catch (error) {
          await removeStateFiles(temp)
          this.settings.logger.warn('Could not save the backend state; the session will be re-evaluated on load', {
            error: describeError(error),
          })
        }
      }
      if (!stateWritten) await unlink(statePath).catch(() => undefined)
      await writeSessionFile(path, {
        kind: SESSION_FILE_KIND,
        version: SESSION_FILE_VERSION,
        id: this.id,
        format: core.format.name,
        enabledPlugins: this.enabledPlugins,
        turns: core.turns,
        compressedResults: [...core.compressedResults].sort((a, b) => a - b),
        droppedTurns: core.droppedTurns,
        transcript: core.mirror,
        savedAt: new Date().toISOString(),
      })
    })
  }

  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    await this.core.model.dispose()
  }

  private async *stream(text: string, signal: AbortSignal | undefined): AsyncGenerator<AgentEvent, void, void> {
    const release = await this.lock.acquire()
    try {
      this.assertOpen()
      await this.adoptPlugins()
      const ctx = { core: this.core, ...this.settings, notify: (event: AgentEvent) => this.hub.emit(event) }
      for await (const event of runTurn(ctx, text, signal)) {
        this.hub.emit(event)
        yield event
      }
    } finally {
      release()
    }
  }

  /**
   * Takes the agent's current plugin list when it changed since this session last looked (a plugin source added,
   * removed or changed tools): the system prefix is re-rendered, reusing the cache up to the first changed token.
   * Runs under the lock, before a turn, so a turn always sees one list. A failed re-render is logged and retried
   * before the next turn.
   */
  private async adoptPlugins(): Promise<void> {
    const version = this.settings.catalog.version
    if (version === this.pluginsVersion) return
    try {
      await this.core.adoptRegistry(this.settings.catalog.registry)
      this.pluginsVersion = version
    } catch (error) {
      this.settings.logger.error('Could not adopt the changed plugin list', { error: describeError(error) })
    }
  }

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.lock.acquire()
    try {
      this.assertOpen()
      return await work()
    } finally {
      release()
    }
  }

  private assertOpen(): void {
    if (this.disposed) throw new ConfigError(`Session ${this.id} is disposed`)
  }
}
