import { randomUUID } from 'node:crypto'
import { access } from 'node:fs/promises'
import type { ModelSession, PromptPart } from '../backends/types.js'
import { ConfigError, SessionFileError } from '../errors.js'
import { neutraliseMarkers, USER_TEXT_NEUTRALISE_RULES } from '../formats/neutralise.js'
import { silentLogger } from '../plugins/define-plugin.js'
import { resolveBudgets } from './budgets.js'
import { PluginCatalog } from './plugin-catalog.js'
import { resolveFormat } from './resolve-format.js'
import { AgentSession, STATE_FILE_SUFFIX } from './session.js'
import type { SessionSettings } from './session.js'
import { SessionCore, pluginsWithSwitches, renderRecordedHistory } from './session-core.js'
import { readSessionFile } from './session-file.js'
import { savedSwitches } from './plugin-switches.js'
import { removeStaleTemps } from './temp-files.js'
import type { Agent, AgentOptions, LoadSessionOptions, Session } from './types.js'
import { FORMAT_FACTORIES, detectFormat } from '../formats/index.js'

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}

/**
 * Creates an agent: validates everything eagerly (unknown format, bad budgets, duplicate plugin names or commands
 * throw at once) and opens sessions on the backend. Plugin sources (`mcpServer(…)`) start at once; the first
 * session waits for them. The backend stays the caller's: `agent.dispose()` disposes plugins and sources only.
 */
export function createAgent(options: AgentOptions): Agent {
  if (typeof options?.backend?.open !== 'function') throw new ConfigError('AgentOptions.backend must be a ModelBackend')
  const formatChoice = options.format === 'auto' ? detectFormat(options.backend.modelInfo, Object.keys(FORMAT_FACTORIES)) : undefined
  const format = formatChoice
    ? resolveFormat(formatChoice.format, { ...formatChoice.options, ...options.formatOptions })
    : resolveFormat(options.format ?? 'moss', options.formatOptions)
  // A template without tool support chats with every plugin off (the user can still switch one on).
  const toolsOff = formatChoice?.tools === false
  const budgets = resolveBudgets(options.budgets)
  const logger = options.logger ?? silentLogger
  const catalog = new PluginCatalog(options.plugins ?? [], logger)
  const settings: SessionSettings = { budgets, sampling: options.sampling, logger, catalog }

  async function openAt(parts: readonly PromptPart[], statePath: string | undefined): Promise<ModelSession> {
    if (statePath) return options.backend.open({ restore: { statePath, parts } })
    const model = await options.backend.open()
    try {
      await model.reset(parts)
    } catch (error) {
      await model.dispose()
      throw error
    }
    return model
  }

  return {
    get plugins() {
      return catalog.registry.plugins
    },
    get sources() {
      return catalog.listSources()
    },
    format,
    ...(formatChoice ? { formatChoice } : {}),
    ready: () => catalog.ready,
    onPluginsChanged: (listener) => catalog.onChange(listener),

    async createSession(sessionOptions = {}): Promise<Session> {
      await catalog.ready
      const history = sessionOptions.history ?? []
      const registry = catalog.registry
      const enabled = new Set(toolsOff ? [] : registry.plugins.filter((plugin) => plugin.enabled).map((plugin) => plugin.name))
      if (history.length > 0) {
        // A conversation held elsewhere (an OpenAI-style client resending it): rendered from its records, evaluated once.
        const parts = renderRecordedHistory(format, pluginsWithSwitches(registry, enabled), history, 0, new Set())
        const model = await openAt(parts, undefined)
        const core = new SessionCore(model, format, registry, { turns: history, enabled })
        core.mirror = parts
        return new AgentSession(sessionOptions.id ?? randomUUID(), core, settings)
      }
      const model = await options.backend.open()
      const core = new SessionCore(model, format, registry, { enabled })
      try {
        await core.append(format.renderSystem(core.plugins()))
      } catch (error) {
        await model.dispose()
        throw error
      }
      return new AgentSession(sessionOptions.id ?? randomUUID(), core, settings)
    },

    async loadSession(path: string, loadOptions: LoadSessionOptions = {}): Promise<Session> {
      const data = await readSessionFile(path)
      await catalog.ready
      const registry = catalog.registry
      if (data.format !== format.name) {
        throw new SessionFileError(path, `The session was written in format "${data.format}", this agent speaks "${format.name}"`)
      }
      // A plugin the file had on stays off when this agent lacks it or cannot run it (no service configured here).
      const { enabled, notices } = savedSwitches(registry, data.enabledPlugins)
      // The stored transcript is exact only while it starts with the system prefix this agent renders (same
      // plugins, same switches, same format options); otherwise it is rebuilt from the records.
      const system = format.renderSystem(pluginsWithSwitches(registry, enabled))
      const exact = system.every((part, i) => part.text === data.transcript[i]?.text && part.trusted === data.transcript[i]?.trusted)
      // Untrusted text is neutralised again: a file is input too, and a raw `<eom>` in a user part must not reach the
      // model as structure. Every format neutralises untrusted text at least this far, so for a file it wrote this
      // changes nothing; a part that does change no longer matches the saved backend state, which is then not used.
      const parts: PromptPart[] = exact
        ? data.transcript.map((part) => ({ text: part.trusted ? part.text : neutraliseMarkers(part.text, USER_TEXT_NEUTRALISE_RULES), trusted: part.trusted }))
        : renderRecordedHistory(format, pluginsWithSwitches(registry, enabled), data.turns, data.droppedTurns, new Set(data.compressedResults))
      const unchanged = exact && parts.every((part, i) => part.text === data.transcript[i]?.text)
      const statePath = path + STATE_FILE_SUFFIX
      await removeStaleTemps([path, statePath])
      const model = await openAt(parts, unchanged && (await exists(statePath)) ? statePath : undefined)
      const core = new SessionCore(model, format, registry, {
        turns: data.turns,
        droppedTurns: data.droppedTurns,
        compressedResults: data.compressedResults,
        enabled,
      })
      core.mirror = parts
      const notify = loadOptions.onNotice ?? ((message: string) => settings.logger.warn(message))
      for (const notice of notices) notify(notice)
      return new AgentSession(data.id, core, settings)
    },

    dispose: () => catalog.dispose(),
  }
}
