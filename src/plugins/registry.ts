import { PluginRegistrationError } from '../errors.js'
import { definePlugin } from './define-plugin.js'
import type { Plugin, PluginDefinition, PluginInput } from './types.js'

/** The plugins of an agent, validated once and indexed by name and command. */
export interface PluginRegistry {
  /** Plugins in registration order. */
  readonly plugins: readonly Plugin[]
  /** The plugin a command calls, or `undefined`. */
  byCommand(command: string): Plugin | undefined
  /** The plugin with this name, or `undefined`. */
  byName(name: string): Plugin | undefined
}

function isDefined(value: Plugin | PluginDefinition<never>): value is Plugin {
  const candidate = value as Partial<Plugin>
  return (
    typeof candidate.label === 'string' &&
    typeof candidate.argument === 'string' &&
    typeof candidate.takesString === 'boolean' &&
    typeof candidate.prepare === 'function' &&
    typeof candidate.enabled === 'boolean' &&
    typeof candidate.parameters === 'object' &&
    typeof candidate.config === 'object'
  )
}

/**
 * Validates plugins and indexes them. Two plugins with the same name or the same command throw
 * {@link PluginRegistrationError}: the built-ins are ordinary plugins the caller passes, so there is nothing to
 * override implicitly; to replace a built-in, pass your plugin instead of it. Plain definitions (not made with
 * `definePlugin`) are accepted and defined here, so JavaScript callers get the same validation.
 */
export function createPluginRegistry(plugins: readonly (Plugin | PluginDefinition<never>)[] = []): PluginRegistry {
  const byName = new Map<string, Plugin>()
  const byCommand = new Map<string, Plugin>()
  const list: Plugin[] = []
  for (const entry of plugins) {
    if (typeof entry !== 'object' || entry === null) {
      throw new PluginRegistrationError(`Not a plugin: ${String(entry)}`)
    }
    const plugin = isDefined(entry) ? entry : definePlugin(entry as PluginDefinition<PluginInput>)
    const sameName = byName.get(plugin.name)
    if (sameName) throw new PluginRegistrationError(`Two plugins are named "${plugin.name}"`)
    const sameCommand = byCommand.get(plugin.command)
    if (sameCommand) {
      throw new PluginRegistrationError(
        `Plugins "${sameCommand.name}" and "${plugin.name}" both use the command "${plugin.command}"`,
      )
    }
    byName.set(plugin.name, plugin)
    byCommand.set(plugin.command, plugin)
    list.push(plugin)
  }
  return {
    plugins: list,
    byCommand: (command) => byCommand.get(command),
    byName: (name) => byName.get(name),
  }
}
