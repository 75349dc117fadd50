/**
 * The built-in `Text2Image` plugin: generates an image with Hugging Face Inference, an AUTOMATIC1111-style server,
 * OpenAI's GPT image models or an OpenAI-compatible images server, writes it under a safe unique name and returns its
 * path. Unconfigured, it is disabled rather than faked.
 */
import { AbortedError, MossError, PluginError, definePlugin, describeError } from '../../src/plugin-kit.js'
import type { Plugin } from '../../src/plugin-kit.js'
import { createImageBackend } from './config.js'
import type { TextToImageConfig } from './config.js'
import { writeImage } from './write-image.js'

/** The result text MOSS was trained on (`<|Results|>: Image generated successfully.<eor>`). */
export const IMAGE_SUCCESS_TEXT = 'Image generated successfully.'

/** Longest description passed to the image service. */
const MAX_PROMPT_CHARS = 2000

/** Creates the Text2Image plugin (command `Text2Image`, argument `description`). */
export function textToImage(config: TextToImageConfig = {}): Plugin {
  const backend = createImageBackend(config)
  const outputDir = config.outputDir ?? './moss-images'
  const maxBytes = config.maxBytes ?? 20 * 1024 * 1024
  const timeoutMs = config.timeoutMs ?? 120_000
  return definePlugin({
    name: 'text-to-image',
    command: 'Text2Image',
    label: 'Text-to-image',
    description: 'Generates an image from a description and saves it to a file.',
    parameters: {
      type: 'object',
      properties: { description: { type: 'string', description: 'What the image should show' } },
      required: ['description'],
    },
    enabled: backend !== undefined && (config.enabled ?? true),
    ...(backend === undefined ? { unavailable: 'no image backend is configured (MOSS_IMAGE_BACKEND, MOSS_SDAPI_URL, …)' } : {}),
    // Image generation is slow: the agent's default 30 s plugin timeout would cut most real runs short.
    timeoutMs: timeoutMs + 5_000,
    config: { backend: backend?.name ?? 'none', outputDir, maxBytes },
    async run(input, ctx) {
      if (!backend) throw new PluginError('text-to-image', 'Text-to-image is not configured.')
      const prompt = input.trim().slice(0, MAX_PROMPT_CHARS)
      if (!prompt) throw new PluginError('text-to-image', 'Text2Image needs a description.')
      try {
        const bytes = await backend.generate(prompt, { signal: ctx.signal, maxBytes })
        const image = await writeImage(outputDir, bytes, backend.name)
        ctx.log.info('image written', { path: image.path, mimeType: image.mimeType, bytes: bytes.byteLength })
        return { text: IMAGE_SUCCESS_TEXT, images: [image] }
      } catch (error) {
        if (MossError.isInstance(error) && error.code === 'MOSS_ERR_ABORTED') throw error
        if (ctx.signal.aborted) throw new AbortedError('Text2Image aborted', { cause: error })
        throw new PluginError('text-to-image', `Image generation failed: ${describeError(error)}`, { cause: error })
      }
    },
  })
}

export { huggingFaceImageBackend, DEFAULT_HF_IMAGE_MODEL } from './backends/huggingface.js'
export type { HuggingFaceImageOptions } from './backends/huggingface.js'
export { sdapiBackend } from './backends/sdapi.js'
export type { SdapiOptions } from './backends/sdapi.js'
export { openAiImagesApi, openAiImagesBackend } from './backends/openai-images.js'
export type { OpenAiImagesApi, OpenAiImagesOptions } from './backends/openai-images.js'
export { detectImageFormat } from './image-format.js'
export type { ImageFormat } from './image-format.js'
export { createImageBackend, textToImageConfigFromEnv, IMAGE_BACKEND_NAMES } from './config.js'
export type { ImageBackendName, TextToImageConfig } from './config.js'
export type { ImageBackend, ImageCallOptions, ImageHttpOptions } from './types.js'
