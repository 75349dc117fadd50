/**
 * Image-service stand-ins on 127.0.0.1: AUTOMATIC1111 (`/sdapi/v1/txt2img`), OpenAI-style
 * (`/v1/images/generations`) and a Hugging Face inference endpoint (POST → raw image bytes, JSON `{error}` on failure).
 * Faults come from the shared fake server (`fail(…)`).
 */
import { sendJson, startFakeServer } from '../search/fake-server.js'
import type { FakeServer } from '../search/fake-server.js'
import { TINY_JPEG, makePng } from './tiny-images.js'

export const FAKE_PNG = makePng()

/** AUTOMATIC1111 / Forge / sd.cpp server: `{images: [base64 PNG], parameters, info}`. */
export async function startFakeSdapi(): Promise<FakeServer> {
  return startFakeServer((request, response) => {
    if (request.method !== 'POST' || request.path !== '/sdapi/v1/txt2img') return sendJson(response, 404, { detail: 'Not Found' })
    const body = request.json as Record<string, unknown> | undefined
    if (!body || typeof body.prompt !== 'string') return sendJson(response, 422, { detail: 'prompt required' })
    sendJson(response, 200, { images: [FAKE_PNG.toString('base64')], parameters: body, info: '{"seed": 42}' })
  })
}

/** OpenAI-style images API: `{created, data: [{b64_json}]}`; requires the Bearer key when one is given. */
export async function startFakeOpenAiImages(apiKey?: string): Promise<FakeServer> {
  return startFakeServer((request, response) => {
    if (request.method !== 'POST' || request.path !== '/v1/images/generations') return sendJson(response, 404, {})
    if (apiKey && request.headers.authorization !== `Bearer ${apiKey}`) {
      return sendJson(response, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } })
    }
    sendJson(response, 200, { created: 1700000000, data: [{ b64_json: FAKE_PNG.toString('base64') }] })
  })
}

/** Hugging Face inference endpoint: POST `{inputs, parameters}` → JPEG bytes. */
export async function startFakeHfEndpoint(): Promise<FakeServer> {
  return startFakeServer((request, response) => {
    if (request.method !== 'POST') return sendJson(response, 405, { error: 'Method not allowed' })
    const body = request.json as { inputs?: unknown } | undefined
    if (!body || typeof body.inputs !== 'string') return sendJson(response, 400, { error: 'inputs must be a string' })
    response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': TINY_JPEG.length })
    response.end(TINY_JPEG)
  })
}

/** A fetch that refuses every host but 127.0.0.1: inject it into `@huggingface/inference` in tests. */
export const localOnlyFetch: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input))
  if (url.hostname !== '127.0.0.1') throw new Error(`test fetch refused a non-local host: ${url.hostname}`)
  return fetch(input, init)
}
