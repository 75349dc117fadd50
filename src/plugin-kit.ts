/**
 * `moss-agent/plugin-kit`: what a plugin author needs and nothing else — `definePlugin`, the typed errors, HTTP
 * helpers for services, the isolation pool and the search-hit renderer. Importing it never loads a model backend
 * (node-llama-cpp), so a plugin can be used and tested without one. The built-in plugins import only this entry.
 */
export {
  AbortedError,
  ConfigError,
  IsolationError,
  MossError,
  PluginError,
  ServiceError,
  describeError,
} from './errors.js'
export type { MossErrorCode } from './errors.js'
export {
  createIsolationPool,
  detectImageFileFormat,
  definePlugin,
  requestService,
  requestServiceJson,
  resolveWorkerModule,
  retryDelayMs,
} from './plugins/index.js'
export type {
  GeneratedImage,
  ImageFileFormat,
  IsolationPool,
  JsonSchema,
  Plugin,
  PluginContext,
  PluginDefinition,
  PluginInput,
  PluginLogger,
  PluginOutput,
  PluginProgress,
  RetryPolicy,
  ServiceFailureResponse,
  ServiceRequest,
  ServiceResponse,
} from './plugins/index.js'
export { formatSearchHits, searchHitsOutput } from './formats/search-hits.js'
export type { SearchHit } from './formats/search-hits.js'
