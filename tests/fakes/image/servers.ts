/**
 * Image-service stand-ins on 127.0.0.1: AUTOMATIC1111 (`/sdapi/v1/txt2img`) and a Hugging Face inference endpoint
 * (POST → raw image bytes, JSON `{error}` on failure); the OpenAI-style ones are in ./openai-images.ts. Faults come
 * from the shared fake server (`fail(…)`).
 */
import { sendJson, startFakeServer } from '../search/fake-server.js'
import type { FakeServer } from '../search/fake-server.js'
import { TINY_JPEG, makePng } from './tiny-images.js'

export const FAKE_PNG = makePng()

/**
 * AUTOMATIC1111 / Forge / sd.cpp server: `{images: [base64 PNG], parameters, info}`. AUTOMATIC1111 serves its API
 * only when started with `--api`; without it (`apiEnabled: false`) every API path gets FastAPI's
 * 404 `{"detail":"Not Found"}`.
 */
export async function startFakeSdapi(options: { apiEnabled?: boolean } = {}): Promise<FakeServer> {
  return startFakeServer((request, response) => {
    if (options.apiEnabled === false || request.method !== 'POST' || request.path !== '/sdapi/v1/txt2img') {
      return sendJson(response, 404, { detail: 'Not Found' })
    }
    const body = request.json as Record<string, unknown> | undefined
    if (!body || typeof body.prompt !== 'string') return sendJson(response, 422, { detail: 'prompt required' })
    sendJson(response, 200, { images: [FAKE_PNG.toString('base64')], parameters: body, info: '{"seed": 42}' })
  })
}

/**
 * Hugging Face inference endpoint: POST `{inputs, parameters}` → JPEG bytes. With `loadingForMs`, the model is cold:
 * for that long after the first request every request gets 503 `{error: "Model … is currently loading",
 * estimated_time: <seconds left>}`, as the serverless API answers while it loads a model.
 */
export async function startFakeHfEndpoint(options: { loadingForMs?: number } = {}): Promise<FakeServer> {
  let readyAt: number | undefined
  return startFakeServer((request, response) => {
    if (request.method !== 'POST') return sendJson(response, 405, { error: 'Method not allowed' })
    const body = request.json as { inputs?: unknown } | undefined
    if (!body || typeof body.inputs !== 'string') return sendJson(response, 400, { error: 'inputs must be a string' })
    if (options.loadingForMs !== undefined) {
      readyAt ??= Date.now() + options.loadingForMs
      const left = readyAt - Date.now()
      if (left > 0) {
        return sendJson(response, 503, { error: 'Model fake/flux-tiny is currently loading', estimated_time: left / 1000 })
      }
    }
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
