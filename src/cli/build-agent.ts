/**
 * Turns CLI options into a running agent: the backend (scripted test hook, local llama.cpp, or a remote server),
 * the built-in plugins that are configured, and `createAgent`.
 */
import {
  calculator,
  equationSolver,
  search,
  searchConfigFromEnv,
  textToImage,
  textToImageConfigFromEnv,
} from '../../plugins/index.js'
import { createAgent, createHfInferenceBackend, createLlamaCppBackend, createOpenAICompatibleBackend } from '../index.js'
import type { Agent, ModelBackend, Plugin, PluginEntry } from '../index.js'
import type { CliOptions } from './cli-options.js'
import { collectPluginEntries } from './plugin-sources.js'
import { createProgressBar } from './progress-bar.js'
import type { ProgressTarget } from './progress-bar.js'
import { createScriptedBackendFromFile } from './scripted-hook.js'

/** A backend and the agent built on it; `dispose` frees both. */
export interface CliAgent {
  readonly agent: Agent
  readonly backend: ModelBackend
  dispose(): Promise<void>
}

/** Creates the backend the options ask for. Model download and load draw a progress bar on `progressOut`. */
export async function createCliBackend(options: CliOptions, progressOut: ProgressTarget): Promise<ModelBackend> {
  if (options.scriptedOutputs !== undefined) return createScriptedBackendFromFile(options.scriptedOutputs)
  switch (options.backend) {
    case 'openai':
      return createOpenAICompatibleBackend({
        baseUrl: options.baseUrl ?? '',
        ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
        ...(options.model !== undefined ? { model: options.model } : {}),
        ...(options.ctx !== undefined ? { contextSize: options.ctx } : {}),
      })
    case 'hf':
      return createHfInferenceBackend({
        endpointUrl: options.endpoint ?? '',
        ...(options.hfToken !== undefined ? { token: options.hfToken } : {}),
        ...(options.ctx !== undefined ? { contextSize: options.ctx } : {}),
      })
    case 'llama-cpp': {
      const download = createProgressBar(progressOut, 'downloading model')
      if (progressOut.isTTY) progressOut.write('loading model…\r')
      try {
        return await createLlamaCppBackend({
          ...(options.model !== undefined ? { model: options.model } : {}),
          ...(options.gpu !== undefined ? { gpu: options.gpu } : {}),
          ...(options.threads !== undefined ? { threads: options.threads } : {}),
          ...(options.ctx !== undefined ? { contextSize: options.ctx } : {}),
          onProgress: ({ downloadedBytes, totalBytes }) => download.update(totalBytes > 0 ? downloadedBytes / totalBytes : 0),
          // llama.cpp's own lines only when debugging: a failed call already ends in one clear error line.
          ...(options.debug ? { logger: { warn: (message: string) => void progressOut.write(`moss: ${message}\n`) } } : {}),
        })
      } finally {
        download.done()
        if (progressOut.isTTY) progressOut.write('\x1b[2K')
      }
    }
  }
}

/**
 * Warnings for options the bundled model was not trained for: it knows only the MOSS format with the English meta
 * instruction (models/README.md), so another format or the Chinese meta instruction makes its answers unreliable.
 * Empty for any other model (a remote server, `--model`, or the testing hook).
 */
export function bundledModelWarnings(options: CliOptions): string[] {
  if (options.backend !== 'llama-cpp' || options.model !== undefined || options.scriptedOutputs !== undefined) return []
  const warnings: string[] = []
  if (options.format !== 'moss') {
    warnings.push(
      `warning: the bundled model was trained only on the moss format; with --format ${options.format} expect broken answers (pass --model with a ${options.format} model)`,
    )
  }
  if (options.lang === 'zh') {
    warnings.push(
      'warning: the bundled model was trained only on the English meta instruction; --lang zh may make it ignore its plugins (Chinese questions work without it)',
    )
  }
  return warnings
}

/** The built-in plugins; search and text-to-image are listed as disabled until a service is configured. */
export function createCliPlugins(options: CliOptions): Plugin[] {
  const env = { ...options.pluginEnv, ...(options.docs !== undefined ? { MOSS_SEARCH_DOCS: options.docs } : {}) }
  return [search(searchConfigFromEnv(env)), calculator(), equationSolver(), textToImage(textToImageConfigFromEnv(env))]
}

/**
 * Builds backend, plugins and agent: the built-ins, then `--plugin` modules and MCP servers (`--mcp`, `--mcp-url`,
 * the config file), which are started before this resolves. On failure everything already created is disposed.
 */
export async function createCliAgent(options: CliOptions, progressOut: ProgressTarget): Promise<CliAgent> {
  const plugins: PluginEntry[] = createCliPlugins(options)
  for (const warning of bundledModelWarnings(options)) progressOut.write(`moss: ${warning}\n`)
  let backend: ModelBackend | undefined
  let agent: Agent | undefined
  try {
    plugins.push(...(await collectPluginEntries(options, options.config, options.cwd)))
    backend = await createCliBackend(options, progressOut)
    agent = createAgent({
      backend,
      plugins,
      format: options.format,
      ...(options.lang !== undefined ? { formatOptions: { language: options.lang } } : {}),
      sampling: {
        ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
      },
    })
    await agent.ready()
    const [owned, built] = [backend, agent]
    return {
      agent: built,
      backend: owned,
      async dispose() {
        await built.dispose()
        await owned.dispose()
      },
    }
  } catch (error) {
    await backend?.dispose()
    if (agent) await agent.dispose()
    else await Promise.all(plugins.map((plugin) => plugin.dispose?.()))
    throw error
  }
}
