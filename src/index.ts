/**
 * moss-agent: plugin-augmented dialogue agents in the style of MOSS.
 *
 * The public API: agents and sessions, the dialogue formats, plugins, model backends and the typed errors. Every
 * public name is listed here explicitly. Other entries: `moss-agent/plugin-kit` (plugin authors, no model backend),
 * `moss-agent/testing` (ScriptedBackend, RecordingBackend), `moss-agent/plugins` (the built-ins) and
 * `moss-agent/internals` (the building blocks behind this API — scanners, parsers, grammars, markers, conformance —
 * with no stability promise).
 */
export {
  AbortedError,
  BackendError,
  BackendHttpError,
  BudgetExceededError,
  ConfigError,
  FormatError,
  HostClosedError,
  InvalidInputError,
  IsolationError,
  ModelLoadError,
  MossError,
  PluginError,
  PluginNotFoundError,
  PluginRegistrationError,
  RequestError,
  ServiceError,
  SessionFileError,
  SessionNotFoundError,
  describeError,
} from './errors.js'
export type {
  MossErrorCode,
} from './errors.js'
export {
  createAgent,
  defaultBudgets,
} from './agent/index.js'
export type {
  Agent,
  PluginEntry,
  PluginSourceInfo,
  AgentEvent,
  AgentOptions,
  AgentReply,
  LoadSessionOptions,
  SendOptions,
  Session,
  TurnBudgets,
  TurnTimings,
  TurnUsage,
} from './agent/index.js'
export {
  createFileSessionStore,
  createSessionHost,
  errorToPlain,
  eventToJson,
  eventToPlain,
} from './host/index.js'
export type {
  EventJsonOptions,
  HostSendOptions,
  ImageRef,
  SessionHost,
  SessionHostOptions,
  SessionHostStats,
  SessionStore,
} from './host/index.js'
export { SESSION_HEADER, createServerApp, startServer } from './server/index.js'
export type { RunningServer, ServerAppOptions, StartServerOptions } from './server/index.js'
export {
  USER_TEXT_NEUTRALISE_RULES,
  containsMarker,
  createChatGlm3Format,
  createChatMlFormat,
  createHermesFormat,
  createLlama3Format,
  createMossFormat,
  createQwenFormat,
  detectFormat,
  formatSearchHits,
  getFormat,
  neutraliseMarkers,
  parseMossTranscript,
} from './formats/index.js'
export type {
  CompressionRequest,
  DetectedFormat,
  DialogueFormat,
  FormatOptions,
  FormatPlugins,
  GenerationStep,
  MarkerFamily,
  MossFormatOptions,
  NeutraliseRules,
  ParsedMossTranscript,
  ParsedMossTurn,
  ScanEvent,
  SearchHit,
  StepDecision,
  StreamScanner,
  ToolCall,
  ToolResult,
  TurnDriver,
  TurnRecord,
} from './formats/index.js'
export {
  createIsolationPool,
  definePlugin,
  isPluginSource,
  requestService,
  requestServiceJson,
  resolveWorkerModule,
  retryDelayMs,
  silentLogger,
} from './plugins/index.js'
export type {
  GeneratedImage,
  IsolationPool,
  IsolationPoolOptions,
  IsolationRunOptions,
  JsonSchema,
  Plugin,
  PluginContext,
  PluginDefinition,
  PluginInput,
  PluginLogger,
  PluginOutput,
  PluginProgress,
  PluginSource,
  PluginSourceContext,
  PluginSourceState,
  PluginSourceStatus,
  RetryPolicy,
  ServiceFailureResponse,
  ServiceRequest,
  ServiceResponse,
} from './plugins/index.js'
export { mcpServer } from './mcp/index.js'
export type { McpHttpServerOptions, McpRestartPolicy, McpServerOptions, McpStdioServerOptions } from './mcp/index.js'
export type {
  BackendStats,
  ConstrainedSpan,
  GenerateOutcome,
  GenerateRequest,
  ModelBackend,
  ModelInfo,
  ModelSession,
  OpenSessionOptions,
  PromptPart,
  SamplingOptions,
} from './backends/index.js'
export {
  MOSS_SAMPLING,
  createLlamaCppBackend,
  defaultThreads,
} from './backends/llama-cpp/index.js'
export type {
  GpuChoice,
  LlamaCppBackend,
  LlamaCppBackendOptions,
  LlamaCppLogger,
  LlamaCppSession,
  ModelDownloadProgress,
  RestoreFallbackReason,
} from './backends/llama-cpp/index.js'
export {
  RemoteHttpError,
  createHfInferenceBackend,
  createOpenAICompatibleBackend,
  estimateTokens,
} from './backends/remote/index.js'
export type {
  HfInferenceBackendOptions,
  OpenAICompatibleBackendOptions,
  RemoteBackendOptions,
  RemoteFailure,
  RetryOptions,
  SamplingDialect,
} from './backends/remote/index.js'
