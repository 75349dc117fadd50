import { ConfigError } from '../errors.js'
import type { TurnBudgets } from './types.js'

/** Budgets with every default filled in. */
export type ResolvedBudgets = Required<TurnBudgets>

/** The documented defaults of {@link TurnBudgets}. */
export const defaultBudgets: Readonly<ResolvedBudgets> = Object.freeze({
  maxCommands: 8,
  maxSteps: 6,
  maxTokensPerGeneration: 512,
  maxTurnMs: 120_000,
  pluginTimeoutMs: 30_000,
  maxResultChars: 20_000,
  maxInputChars: 100_000,
})

/** Fills in defaults and rejects values that are not positive numbers (a {@link ConfigError}, at construction). */
export function resolveBudgets(budgets: TurnBudgets = {}): ResolvedBudgets {
  const resolved: ResolvedBudgets = { ...defaultBudgets }
  for (const key of Object.keys(defaultBudgets) as (keyof ResolvedBudgets)[]) {
    const value = budgets[key]
    if (value === undefined) continue
    if (typeof value !== 'number' || !(value > 0)) {
      throw new ConfigError(`Budget ${key} must be a positive number, got ${String(value)}`)
    }
    resolved[key] = value
  }
  return resolved
}
