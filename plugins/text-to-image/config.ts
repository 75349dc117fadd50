/** Text-to-image configuration, backend selection and the environment-variable mapping used by the CLI. */
import { ConfigError } from '../../src/plugin-kit.js'
import { huggingFaceImageBackend } from './backends/huggingface.js'
import type { HuggingFaceImageOptions } from './backends/huggingface.js'
import { openAiImagesBackend } from './backends/openai-images.js'
import type { OpenAiImagesApi, OpenAiImagesOptions } from './backends/openai-images.js'
import { sdapiBackend } from './backends/sdapi.js'
import type { SdapiOptions } from './backends/sdapi.js'
import type { ImageBackend } from './types.js'
import { readEnvPositiveInteger, readEnvString } from '../shared/env.js'
import type { Env } from '../shared/env.js'

/** Names of the built-in image backends. */
export type ImageBackendName = 'huggingface' | 'sdapi' | 'openai'

/** Built-in backend names, in the order the default selection tries them. */
export const IMAGE_BACKEND_NAMES: readonly ImageBackendName[] = ['huggingface', 'sdapi', 'openai']

/**
 * Configuration of the `text-to-image` plugin. With no backend configured the plugin exists but is disabled (MOSS
 * lists `- Text-to-image: disabled.`); it never makes placeholder images.
 */
export interface TextToImageConfig {
  /** Backend to use: a name (its options block below) or a custom backend. Defaults to the first configured of `huggingface`, `sdapi`, `openai`. */
  readonly backend?: ImageBackendName | ImageBackend
  /** Hugging Face Inference. */
  readonly huggingface?: HuggingFaceImageOptions
  /** AUTOMATIC1111 / Forge / stable-diffusion.cpp server. */
  readonly sdapi?: SdapiOptions
  /** OpenAI images API (GPT image models) or an OpenAI-compatible server (LocalAI, stable-diffusion.cpp). */
  readonly openai?: OpenAiImagesOptions
  /** Folder the images are written to (created when missing). Defaults to `./moss-images` (relative to the working directory). */
  readonly outputDir?: string
  /** Largest accepted image. Defaults to 20 MiB. */
  readonly maxBytes?: number
  /** Deadline per image for backends that do not set their own. Defaults to `120000` ms. */
  readonly timeoutMs?: number
  /** Set `false` to disable even when a backend is configured. Defaults to `true` when a backend is configured. */
  readonly enabled?: boolean
}

/** The backend a config selects, or `undefined` when none is configured. Throws {@link ConfigError} on a bad name. */
export function createImageBackend(config: TextToImageConfig): ImageBackend | undefined {
  const choice = config.backend ?? IMAGE_BACKEND_NAMES.find((name) => config[name] !== undefined)
  if (choice === undefined) return undefined
  if (typeof choice !== 'string') return choice
  const timeout = (options: { timeoutMs?: number }) =>
    options.timeoutMs === undefined && config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}
  switch (choice) {
    case 'huggingface':
      return huggingFaceImageBackend({ ...config.huggingface, ...timeout(config.huggingface ?? {}) })
    case 'sdapi':
      if (!config.sdapi) throw new ConfigError('Image backend "sdapi" is selected but has no sdapi options')
      return sdapiBackend({ ...config.sdapi, ...timeout(config.sdapi) })
    case 'openai':
      if (!config.openai) throw new ConfigError('Image backend "openai" is selected but has no openai options')
      return openAiImagesBackend({ ...config.openai, ...timeout(config.openai) })
    default:
      throw new ConfigError(`Unknown image backend "${String(choice)}" (known: ${IMAGE_BACKEND_NAMES.join(', ')})`)
  }
}

/**
 * Reads the text-to-image configuration from environment variables (see the README table): `MOSS_IMAGE_BACKEND`
 * (`huggingface`, `sdapi`, `openai` or `none`), `MOSS_HF_IMAGE_MODEL`, `MOSS_HF_IMAGE_URL`, `MOSS_HF_TOKEN`
 * (falls back to `HF_TOKEN`), `MOSS_SDAPI_URL`, `MOSS_OPENAI_IMAGES_URL`, `MOSS_OPENAI_IMAGES_KEY`,
 * `MOSS_OPENAI_IMAGES_MODEL`, `MOSS_OPENAI_IMAGES_SIZE`, `MOSS_OPENAI_IMAGES_API` (`gpt-image` or `compatible`),
 * `MOSS_OPENAI_IMAGES_QUALITY`, `MOSS_OPENAI_IMAGES_FORMAT`, `MOSS_OPENAI_IMAGES_BACKGROUND`, `MOSS_IMAGE_DIR`,
 * `MOSS_IMAGE_TIMEOUT_MS`,
 * `MOSS_IMAGE_MAX_BYTES`. A token alone does not enable Hugging Face images (it may be there for the chat model).
 */
export function textToImageConfigFromEnv(env: Env = process.env): TextToImageConfig {
  const get = (name: string): string | undefined => readEnvString(env, name)
  const config: { -readonly [K in keyof TextToImageConfig]: TextToImageConfig[K] } = {}
  const selection = get('MOSS_IMAGE_BACKEND')?.toLowerCase()
  const hfModel = get('MOSS_HF_IMAGE_MODEL')
  const hfUrl = get('MOSS_HF_IMAGE_URL')
  const token = get('MOSS_HF_TOKEN') ?? get('HF_TOKEN')
  if (hfModel || hfUrl || selection === 'huggingface') {
    config.huggingface = {
      ...(token ? { token } : {}),
      ...(hfModel ? { model: hfModel } : {}),
      ...(hfUrl ? { endpointUrl: hfUrl } : {}),
    }
  }
  const sdapi = get('MOSS_SDAPI_URL')
  if (sdapi) config.sdapi = { baseUrl: sdapi }
  const openaiUrl = get('MOSS_OPENAI_IMAGES_URL')
  if (openaiUrl) {
    const apiKey = get('MOSS_OPENAI_IMAGES_KEY')
    const model = get('MOSS_OPENAI_IMAGES_MODEL')
    const size = get('MOSS_OPENAI_IMAGES_SIZE')
    const api = get('MOSS_OPENAI_IMAGES_API')?.toLowerCase()
    if (api !== undefined && api !== 'gpt-image' && api !== 'compatible') {
      throw new ConfigError(`MOSS_OPENAI_IMAGES_API: "${api}" is neither gpt-image nor compatible`)
    }
    // Values are checked against OpenAI's documented choices when the backend is built.
    const quality = get('MOSS_OPENAI_IMAGES_QUALITY') as OpenAiImagesOptions['quality']
    const outputFormat = get('MOSS_OPENAI_IMAGES_FORMAT') as OpenAiImagesOptions['outputFormat']
    const background = get('MOSS_OPENAI_IMAGES_BACKGROUND') as OpenAiImagesOptions['background']
    config.openai = {
      baseUrl: openaiUrl,
      ...(apiKey ? { apiKey } : {}),
      ...(model ? { model } : {}),
      ...(size ? { size } : {}),
      ...(api ? { api: api as OpenAiImagesApi } : {}),
      ...(quality ? { quality } : {}),
      ...(outputFormat ? { outputFormat } : {}),
      ...(background ? { background } : {}),
    }
  }
  const outputDir = get('MOSS_IMAGE_DIR')
  if (outputDir) config.outputDir = outputDir
  const timeoutMs = readEnvPositiveInteger(env, 'MOSS_IMAGE_TIMEOUT_MS')
  if (timeoutMs !== undefined) config.timeoutMs = timeoutMs
  const maxBytes = readEnvPositiveInteger(env, 'MOSS_IMAGE_MAX_BYTES')
  if (maxBytes !== undefined) config.maxBytes = maxBytes
  if (selection === 'none' || selection === 'off') {
    config.enabled = false
  } else if (selection) {
    if (!(IMAGE_BACKEND_NAMES as readonly string[]).includes(selection)) {
      throw new ConfigError(`MOSS_IMAGE_BACKEND: unknown backend "${selection}" (known: ${IMAGE_BACKEND_NAMES.join(', ')}, none)`)
    }
    config.backend = selection as ImageBackendName
  }
  return config
}
