/**
 * Settings the CLI uses with the bundled tiny model (no `--model`): its context and per-generation budget.
 *
 * The tiny model was trained on 512-token windows; every position and every distance it has seen is below 512. With
 * the backend's defaults (the GGUF declares 1024, the agent reserves 512 tokens per generation) a long chat is
 * compressed down to a 512-token prompt and then generates at positions 512–700, where the switch lines of the meta
 * instruction lie farther back than any distance it was trained on. A 512-token context with a 160-token reserve
 * keeps prompt plus generation inside the trained window; its turns (thought and commands, or an answer) stay well
 * under 160 tokens, and the training data's long dialogues are compressed for exactly these two numbers
 * (tools/tiny-moss/build-data.ts `--context 512 --reserve 160`).
 */
import type { CliOptions } from './cli-options.js'

/** Context size, in tokens, for the bundled model. */
export const BUNDLED_CONTEXT_SIZE = 512
/** The agent's `maxTokensPerGeneration` for the bundled model. */
export const BUNDLED_MAX_TOKENS_PER_GENERATION = 160

/** Whether these options run the bundled model (local llama.cpp, no model given, no scripted test hook). */
export function usesBundledModel(options: Pick<CliOptions, 'backend' | 'model' | 'scriptedOutputs'>): boolean {
  return options.backend === 'llama-cpp' && options.model === undefined && options.scriptedOutputs === undefined
}
