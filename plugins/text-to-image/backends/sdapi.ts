import { ConfigError, MossError, ServiceError, requestServiceJson } from '../../../src/plugin-kit.js'
import type { ImageBackend, ImageHttpOptions } from '../types.js'
import { base64ResponseLimit, decodeBase64Image } from './base64-image.js'

/** A server speaking the AUTOMATIC1111 API (`/sdapi/v1/txt2img`): AUTOMATIC1111, Forge, stable-diffusion.cpp. */
export interface SdapiOptions extends ImageHttpOptions {
  /** Server base URL, e.g. `http://127.0.0.1:7860`. Required. */
  readonly baseUrl: string
  /** Defaults to `512`. */
  readonly width?: number
  /** Defaults to `512`. */
  readonly height?: number
  /** Sampling steps. Defaults to `20`. */
  readonly steps?: number
  /** Classifier-free guidance scale. Defaults to `7`. */
  readonly cfgScale?: number
  /** Defaults to the server's default sampler. */
  readonly samplerName?: string
  /** Defaults to none. */
  readonly negativePrompt?: string
  /** Fixed seed; `-1` for random. Defaults to `-1`. */
  readonly seed?: number
}

const SERVICE = 'Stable Diffusion (sdapi)'

/**
 * AUTOMATIC1111 and Forge serve `/sdapi/v1/*` only when started with `--api`; without it the web UI answers FastAPI's
 * 404 `{"detail":"Not Found"}`, which on its own tells a user nothing.
 */
function explainMissingApi(error: unknown): unknown {
  if (!MossError.isInstance(error) || error.code !== 'MOSS_ERR_SERVICE' || (error as ServiceError).status !== 404) return error
  return new ServiceError(
    `${SERVICE} has no /sdapi/v1/txt2img (HTTP 404): start AUTOMATIC1111 or Forge with --api (or check the base URL)`,
    404,
    { cause: error },
  )
}

/** AUTOMATIC1111-style backend: `POST /sdapi/v1/txt2img` → `{images: [base64 PNG]}`. */
export function sdapiBackend(options: SdapiOptions): ImageBackend {
  if (!options.baseUrl) throw new ConfigError('The sdapi image backend needs a baseUrl')
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`
  return {
    name: 'sdapi',
    async generate(prompt, { signal, maxBytes }) {
      const data = await requestServiceJson({
        service: SERVICE,
        url: new URL('sdapi/v1/txt2img', base),
        method: 'POST',
        body: {
          prompt,
          negative_prompt: options.negativePrompt ?? '',
          steps: options.steps ?? 20,
          cfg_scale: options.cfgScale ?? 7,
          width: options.width ?? 512,
          height: options.height ?? 512,
          seed: options.seed ?? -1,
          ...(options.samplerName ? { sampler_name: options.samplerName } : {}),
        },
        signal,
        timeoutMs: options.timeoutMs ?? 120_000,
        retry: { attempts: 2, maxRetryAfterMs: 10_000, ...options.retry },
        maxBytes: base64ResponseLimit(maxBytes),
      }).catch((error: unknown) => {
        throw explainMissingApi(error)
      })
      const images = (data as { images?: unknown }).images
      return decodeBase64Image(Array.isArray(images) ? images[0] : undefined, SERVICE, maxBytes)
    },
  }
}
