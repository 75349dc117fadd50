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
} from './types.js'
