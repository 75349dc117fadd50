/**
 * Which model a `moss eval` run measures: the backend opened for one `--model` (a local GGUF, the bundled model, or
 * a model on a remote server), the name its runs are labelled with, and its per-generation token budget. The label
 * is what a reader of the report trusts, so it names what was really asked: for a server, the model name sent and
 * the server's address, never a local file or the bundled model.
 */
import { basename } from 'node:path'
import type { TurnBudgets } from '../agent/types.js'
import { createLlamaCppBackend, createOpenAICompatibleBackend } from '../index.js'
import type { ModelBackend } from '../index.js'
import { BUNDLED_CONTEXT_SIZE, BUNDLED_MAX_TOKENS_PER_GENERATION } from './bundled-model.js'
import type { EvalCliOptions } from './eval-args.js'
import { createScriptedBackendFromFile } from './scripted-hook.js'
import type { CliStreams } from './streams.js'

/** Whether a run uses the bundled tiny model (trained on 512-token windows: the CLI's bundled settings apply). */
function isBundled(options: Pick<EvalCliOptions, 'backend'>, model: string | undefined): boolean {
  return options.backend === 'llama-cpp' && (model === undefined || basename(model) === 'tiny-moss.gguf')
}

/** Opens the backend of one `--model` (`undefined`: the bundled model, or the server's default model). */
export async function openEvalBackend(options: EvalCliOptions, model: string | undefined, env: CliStreams['env']): Promise<ModelBackend> {
  if (env.MOSS_SCRIPTED_OUTPUTS) return createScriptedBackendFromFile(env.MOSS_SCRIPTED_OUTPUTS)
  if (options.backend === 'openai') {
    return createOpenAICompatibleBackend({
      baseUrl: options.baseUrl ?? '',
      ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
      ...(model !== undefined ? { model } : {}),
      ...(options.ctx !== undefined ? { contextSize: options.ctx } : {}),
    })
  }
  const contextSize = options.ctx ?? (isBundled(options, model) ? BUNDLED_CONTEXT_SIZE : undefined)
  return createLlamaCppBackend({
    ...(model !== undefined ? { model } : {}),
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.gpu !== undefined ? { gpu: options.gpu } : {}),
    ...(contextSize !== undefined ? { contextSize } : {}),
    maxSessions: options.concurrency,
  })
}

/**
 * The model part of a run's label: `bundled tiny-moss`, a GGUF's file name, or for a server the model name sent
 * (`default model` when none is) and the backend's own description, which names the endpoint the requests went to.
 */
export function evalModelLabel(options: Pick<EvalCliOptions, 'backend'>, model: string | undefined, backend: Pick<ModelBackend, 'description'>): string {
  if (options.backend === 'openai') return `${model ?? 'default model'} @ ${backend.description}`
  return model === undefined ? 'bundled tiny-moss' : basename(model)
}

/**
 * The turn budgets of a run: `--max-tokens` when given; the bundled model's trained window for it; otherwise the
 * agent's default, the same for a local GGUF and a remote server (with `--ctx`, prompts are fitted to the server's
 * context minus this reserve).
 */
export function evalBudgets(options: Pick<EvalCliOptions, 'backend' | 'maxTokens'>, model: string | undefined): TurnBudgets {
  if (options.maxTokens !== undefined) return { maxTokensPerGeneration: options.maxTokens }
  return isBundled(options, model) ? { maxTokensPerGeneration: BUNDLED_MAX_TOKENS_PER_GENERATION } : {}
}
