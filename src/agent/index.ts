export type {
  Agent,
  AgentEvent,
  AgentOptions,
  AgentReply,
  SendOptions,
  Session,
  TurnBudgets,
  TurnTimings,
  TurnUsage,
} from './types.js'
