export type {
  BackendStats,
  ConstrainedSpan,
  GenerateOutcome,
  GenerateRequest,
  ModelBackend,
  ModelSession,
  OpenSessionOptions,
  PromptPart,
  SamplingOptions,
} from './types.js'
