import type { PluginLogger } from './types.js'

/** A logger that tags every entry with the plugin's name, so interleaved concurrent calls stay readable. */
export function createScopedLogger(base: PluginLogger, plugin: string): PluginLogger {
  const tag = (data?: Record<string, unknown>): Record<string, unknown> => ({ plugin, ...data })
  return {
    debug: (message, data) => base.debug(message, tag(data)),
    info: (message, data) => base.info(message, tag(data)),
    warn: (message, data) => base.warn(message, tag(data)),
    error: (message, data) => base.error(message, tag(data)),
  }
}
