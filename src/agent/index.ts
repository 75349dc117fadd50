export { createAgent } from './create-agent.js'
export { defaultBudgets } from './budgets.js'
export { SESSION_FILE_KIND, SESSION_FILE_VERSION } from './session-file.js'
export type { SessionFileData } from './session-file.js'
export type { PluginEntry, PluginSourceInfo } from './plugin-catalog.js'
export type {
  Agent,
  AgentEvent,
  AgentOptions,
  AgentReply,
  LoadSessionOptions,
  SendOptions,
  Session,
  TurnBudgets,
  TurnTimings,
  TurnUsage,
} from './types.js'
