import { basename } from 'node:path'
import type { LlamaContext, LlamaGrammar, LlamaModel } from 'node-llama-cpp'
import { BackendError, ConfigError, MossError, describeError } from '../../errors.js'
import type { ModelSession, OpenSessionOptions } from '../types.js'
import { DecodeRounds } from './decode-rounds.js'
import { defaultThreads, deviceName } from './device.js'
import { addLlamaLogListener, getSharedLlama } from './llama-instance.js'
import { checkModelFile, mapLoadError } from './load-errors.js'
import { modelFingerprint } from './model-fingerprint.js'
import { resolveModelSource } from './model-source.js'
import { DEFAULT_PROMPT_CHUNK_TOKENS } from './options.js'
import type { LlamaCppBackendOptions } from './options.js'
import { registerLlamaCppHandles } from './handles.js'
import type { LlamaCppBackend, LlamaCppSession } from './public-types.js'
import { LlamaCppModelSession } from './session.js'
import type { SessionEnvironment } from './session.js'
import { SlotQueue } from './slot-queue.js'
import { PartTokenizerCache } from './tokenize-parts.js'
import { readInputMap } from './input-map.js'

const MAX_DEFAULT_CONTEXT = 4096

function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${name} must be a positive integer (got ${String(value)})`)
}

/**
 * Loads a GGUF model with node-llama-cpp and returns a backend whose sessions share one context (one sequence each).
 * Throws ModelLoadError for a missing file, a non-GGUF file, an unsupported architecture or too little memory.
 */
export async function createLlamaCppBackend(options: LlamaCppBackendOptions = {}): Promise<LlamaCppBackend> {
  // Options first: a typo must not wait for (or start) a model download.
  const threads = options.threads ?? defaultThreads()
  const maxSessions = options.maxSessions ?? 4
  positiveInteger('threads', threads)
  positiveInteger('maxSessions', maxSessions)
  if (options.contextSize !== undefined) positiveInteger('contextSize', options.contextSize)
  const promptChunkTokens = options.promptChunkTokens ?? DEFAULT_PROMPT_CHUNK_TOKENS
  positiveInteger('promptChunkTokens', promptChunkTokens)
  const layers = options.gpuLayers
  if (layers !== undefined && layers !== 'auto' && layers !== 'max' && !(Number.isInteger(layers) && layers >= 0)) {
    throw new ConfigError(`gpuLayers must be 'auto', 'max' or a non-negative integer (got ${String(layers)})`)
  }
  const modelPath = await resolveModelSource(options.model, { onProgress: options.onProgress, directory: options.modelsDirectory })
  const facts = await checkModelFile(modelPath)

  const llama = await getSharedLlama(options.gpu ?? 'auto')
  let model: LlamaModel
  try {
    model = await llama.loadModel({ modelPath, gpuLayers: options.gpuLayers ?? 'auto' })
  } catch (error) {
    throw mapLoadError(error, modelPath, 'the model', facts.architecture)
  }
  let inputMap
  try {
    inputMap = readInputMap(model.fileInfo.metadata, modelPath)
  } catch (error) {
    await model.dispose()
    throw error
  }
  const contextSize = options.contextSize ?? Math.min(model.trainContextSize, MAX_DEFAULT_CONTEXT)
  let context: LlamaContext
  try {
    context = await model.createContext({ contextSize, sequences: maxSessions, threads, flashAttention: false })
  } catch (error) {
    await model.dispose()
    throw mapLoadError(error, modelPath, `a ${contextSize}-token context with ${maxSessions} sequence(s)`)
  }

  const env: SessionEnvironment = {
    llama,
    model,
    tokenizer: new PartTokenizerCache(model, inputMap),
    modelFingerprint: await modelFingerprint(modelPath, facts.sizeBytes),
    sampling: options.sampling ?? {},
    grammarEnabled: options.grammar ?? true,
    grammars: new Map<string, Promise<LlamaGrammar>>(),
    logger: options.logger,
    pacing: { rounds: new DecodeRounds(), promptChunkTokens },
  }
  const removeLogListener = options.logger ? addLlamaLogListener(options.logger) : () => undefined
  const queue = new SlotQueue(maxSessions)
  const sessions = new Set<LlamaCppModelSession>()
  const device = deviceName(llama.gpu)
  let disposed = false

  const metadata = model.fileInfo.metadata
  const chatTemplate = metadata.tokenizer?.chat_template
  const name = metadata.general?.name
  const backend: LlamaCppBackend = {
    description: `${basename(modelPath)} (${facts.architecture}, ${device}, ${threads} thread(s), context ${context.contextSize} × ${maxSessions})`,
    modelInfo: {
      architecture: facts.architecture,
      ...(typeof chatTemplate === 'string' ? { chatTemplate } : {}),
      ...(typeof name === 'string' ? { name } : {}),
    },
    modelPath,
    device,
    threads,
    contextSize: context.contextSize,
    maxSessions,
    get openSessions() {
      return sessions.size
    },
    async open(openOptions: OpenSessionOptions = {}): Promise<LlamaCppSession> {
      if (disposed) throw new BackendError('The model backend is disposed')
      const release = await queue.acquire({ signal: openOptions.signal, timeoutMs: openOptions.timeoutMs })
      let session: LlamaCppModelSession | undefined
      try {
        const sequence = context.getSequence()
        session = new LlamaCppModelSession(env, sequence, () => {
          sessions.delete(session as LlamaCppModelSession)
          release()
        })
        sessions.add(session)
        if (openOptions.restore) await session.restore(openOptions.restore.statePath, openOptions.restore.parts)
        return session
      } catch (error) {
        if (session) await session.dispose()
        else release()
        // Typed errors (a restore that does not fit, a full queue) pass through; anything else (a node-llama-cpp or
        // system error, which may carry its own `code`) is wrapped so callers only ever see MossErrors.
        throw MossError.isInstance(error) ? error : new BackendError(`Could not open a session: ${describeError(error)}`, { cause: error })
      }
    },
    async dispose(): Promise<void> {
      if (disposed) return
      disposed = true
      queue.close()
      await Promise.all([...sessions].map((s) => s.dispose()))
      await context.dispose()
      await model.dispose()
      removeLogListener()
    },
  }
  registerLlamaCppHandles(backend, { llama, model, context })
  return backend
}

export type { LlamaCppBackend, LlamaCppSession, ModelSession }
