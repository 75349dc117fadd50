/**
 * OpenAI-style image stand-ins: `POST /v1/images/generations`.
 *
 * - `startFakeOpenAiImages` speaks OpenAI's own API as documented for the GPT image models: `model` names a GPT image
 *   model (DALL·E 2 and 3 are shut down: `model_not_found`); `response_format` is an unknown parameter for them
 *   (400 `unknown_parameter`); `size` is 1024x1024, 1536x1024, 1024x1536 or auto; `quality` low/medium/high/auto;
 *   `output_format` png/jpeg/webp; `background` transparent/opaque/auto (transparent needs png or webp). The reply is
 *   `{created, data: [{b64_json}], background, output_format, quality, size, usage}`.
 * - `startFakeCompatibleImages` is an OpenAI-compatible server (LocalAI, stable-diffusion.cpp style): any model and
 *   `WIDTHxHEIGHT`, `response_format` `b64_json` or `url` (url by default, or always with `alwaysUrl`), the image
 *   then served from `GET /generated/…` on the same server.
 */
import type { ServerResponse } from 'node:http'
import { sendJson, startFakeServer } from '../search/fake-server.js'
import type { FakeServer } from '../search/fake-server.js'
import { FAKE_PNG } from './servers.js'
import { TINY_JPEG } from './tiny-images.js'

const GPT_IMAGE_SIZES = ['1024x1024', '1536x1024', '1024x1536', 'auto']
const QUALITIES = ['low', 'medium', 'high', 'auto']
const OUTPUT_FORMATS = ['png', 'jpeg', 'webp']
const BACKGROUNDS = ['transparent', 'opaque', 'auto']

function openAiError(response: ServerResponse, status: number, code: string, param: string | null, message: string): void {
  sendJson(response, status, { error: { message, type: 'invalid_request_error', param, code } })
}

/** The first documented rule a GPT image request breaks, as OpenAI's error, or `undefined`. */
function checkGptImageRequest(body: Record<string, unknown>): [number, string, string | null, string] | undefined {
  const model = body.model
  if (typeof model !== 'string' || model === '') return [400, 'missing_required_parameter', 'model', 'Name a GPT image model.']
  if (/^dall-e-[23]$/.test(model)) return [404, 'model_not_found', 'model', `The model ${model} was shut down.`]
  if (!/^(gpt-image-|chatgpt-image-)/.test(model)) return [404, 'model_not_found', 'model', `No image model named ${model}.`]
  if ('response_format' in body) return [400, 'unknown_parameter', 'response_format', "Unknown parameter: 'response_format'."]
  if (typeof body.prompt !== 'string' || body.prompt === '') return [400, 'missing_required_parameter', 'prompt', 'prompt is required.']
  const enums: Array<[string, string[]]> = [
    ['size', GPT_IMAGE_SIZES],
    ['quality', QUALITIES],
    ['output_format', OUTPUT_FORMATS],
    ['background', BACKGROUNDS],
  ]
  for (const [param, allowed] of enums) {
    if (param in body && !allowed.includes(String(body[param]))) {
      return [400, 'invalid_value', param, `Invalid value for ${param}: expected one of ${allowed.join(', ')}.`]
    }
  }
  if (body.background === 'transparent' && body.output_format === 'jpeg') {
    return [400, 'invalid_value', 'background', 'A transparent background needs png or webp output.']
  }
  if (body.n !== undefined && (typeof body.n !== 'number' || body.n < 1 || body.n > 10)) {
    return [400, 'invalid_value', 'n', 'n must be from 1 to 10.']
  }
  return undefined
}

/** OpenAI's hosted images API (GPT image models); requires the Bearer key when one is given. */
export async function startFakeOpenAiImages(apiKey?: string): Promise<FakeServer> {
  return startFakeServer((request, response) => {
    if (request.method !== 'POST' || request.path !== '/v1/images/generations') return sendJson(response, 404, {})
    if (apiKey && request.headers.authorization !== `Bearer ${apiKey}`) {
      return openAiError(response, 401, 'invalid_api_key', null, 'Incorrect API key provided')
    }
    const body = (request.json ?? {}) as Record<string, unknown>
    const problem = checkGptImageRequest(body)
    if (problem) return openAiError(response, ...problem)
    const format = typeof body.output_format === 'string' ? body.output_format : 'png'
    const image = format === 'jpeg' ? TINY_JPEG : FAKE_PNG
    sendJson(response, 200, {
      created: 1_760_000_000,
      background: body.background ?? 'opaque',
      data: [{ b64_json: image.toString('base64') }],
      output_format: format,
      quality: body.quality ?? 'medium',
      size: body.size ?? '1024x1024',
      usage: { input_tokens: 12, input_tokens_details: { image_tokens: 0, text_tokens: 12 }, output_tokens: 272, total_tokens: 284 },
    })
  })
}

export interface FakeCompatibleImagesOptions {
  /** Answer `{url}` whatever `response_format` asks (servers that ignore it). Defaults to `false`. */
  readonly alwaysUrl?: boolean
  /** Put this into `data[0].url` instead of the server's own download URL. */
  readonly url?: string
  /** What `GET /generated/…` serves. Defaults to the PNG. */
  readonly download?: 'png' | 'html'
  /** Whether the download declares its `content-length` (else it is streamed chunked). Defaults to `true`. */
  readonly declareLength?: boolean
}

/** An OpenAI-compatible image server (LocalAI, stable-diffusion.cpp server). */
export async function startFakeCompatibleImages(options: FakeCompatibleImagesOptions = {}): Promise<FakeServer> {
  let baseUrl = ''
  let generated = 0
  const server = await startFakeServer((request, response) => {
    if (request.method === 'GET' && request.path.startsWith('/generated/')) {
      if (options.download === 'html') {
        response.writeHead(200, { 'content-type': 'image/png' })
        return response.end('<html>not an image</html>')
      }
      const length = options.declareLength === false ? {} : { 'content-length': FAKE_PNG.length }
      response.writeHead(200, { 'content-type': 'image/png', ...length })
      return response.end(FAKE_PNG)
    }
    if (request.method !== 'POST' || request.path !== '/v1/images/generations') return sendJson(response, 404, { error: 'not found' })
    const body = (request.json ?? {}) as Record<string, unknown>
    if (typeof body.prompt !== 'string' || body.prompt === '') return sendJson(response, 400, { error: { message: 'prompt is required' } })
    if (body.size !== undefined && !/^\d+x\d+$/.test(String(body.size))) {
      return sendJson(response, 400, { error: { message: 'size must be WIDTHxHEIGHT' } })
    }
    const format = body.response_format ?? 'url'
    if (format !== 'url' && format !== 'b64_json') return sendJson(response, 400, { error: { message: 'bad response_format' } })
    const entry =
      format === 'url' || options.alwaysUrl
        ? { url: options.url ?? `${baseUrl}/generated/image-${++generated}.png` }
        : { b64_json: FAKE_PNG.toString('base64') }
    sendJson(response, 200, { created: 1_760_000_000, data: [entry] })
  })
  baseUrl = server.url
  return server
}
