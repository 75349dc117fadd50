export { TOOL_NAME, definePlugin, silentLogger } from './define-plugin.js'
export { compileParameters } from './arguments.js'
export type { CompiledParameters } from './arguments.js'
export type {
  GeneratedImage,
  JsonSchema,
  Plugin,
  PluginContext,
  PluginDefinition,
  PluginInput,
  PluginLogger,
  PluginOutput,
  PluginProgress,
  PreparedInput,
} from './types.js'
export { requestService, requestServiceJson } from '../util/service-request.js'
export type { ServiceFailureResponse, ServiceRequest, ServiceResponse } from '../util/service-request.js'
export { retryDelayMs } from '../util/http-retry.js'
export type { RetryPolicy } from '../util/http-retry.js'
export { createIsolationPool, resolveWorkerModule } from './isolation/index.js'
export type { IsolationPool, IsolationPoolOptions, IsolationRunOptions } from './isolation/index.js'
export { isPluginSource } from './source.js'
export type { PluginSource, PluginSourceContext, PluginSourceState, PluginSourceStatus } from './source.js'
export { createPluginRegistry } from './registry.js'
export type { PluginRegistry } from './registry.js'
export { runPluginCall, runPluginCalls } from './runner.js'
export type { PluginCall, PluginCallOutcome, PluginRunOptions } from './runner.js'
export { validatePluginOutput } from './plugin-output.js'
export { detectImageFileFormat } from './image-files.js'
export type { ImageFileFormat } from './image-files.js'
