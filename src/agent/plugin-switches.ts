/**
 * Which plugins a session may have on: a plugin that is `unavailable` here (its service is not configured) is never
 * switched on, whether a caller asks (`setPluginEnabled`) or a saved session file says it was on. Both give the same
 * sentence, so a person meets one wording for one situation.
 */
import type { PluginRegistry } from '../plugins/registry.js'
import type { Plugin } from '../plugins/types.js'

/** The refusal for switching on a plugin that cannot run here. */
export function unavailableMessage(plugin: Pick<Plugin, 'name' | 'unavailable'>): string {
  return `Plugin "${plugin.name}" cannot be enabled: ${plugin.unavailable ?? 'it is unavailable'}`
}

/** The switches a saved session gets in this agent, and a notice for each one the file had on that stays off. */
export function savedSwitches(registry: PluginRegistry, savedOn: readonly string[]): { enabled: Set<string>; notices: string[] } {
  const enabled = new Set<string>()
  const notices: string[] = []
  for (const name of savedOn) {
    const plugin = registry.byName(name)
    if (plugin === undefined) notices.push(`The saved session has plugin "${name}" on; this agent has no such plugin`)
    else if (plugin.unavailable !== undefined) notices.push(unavailableMessage(plugin))
    else enabled.add(name)
  }
  return { enabled, notices }
}
