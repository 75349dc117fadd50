export { definePlugin, silentLogger } from './define-plugin.js'
export type {
  GeneratedImage,
  JsonSchema,
  Plugin,
  PluginContext,
  PluginDefinition,
  PluginLogger,
  PluginOutput,
} from './types.js'
