import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { PluginError } from '../../../../src/index.js'
import { textToImage } from '../../../../plugins/text-to-image/index.js'
import type { TextToImageConfig } from '../../../../plugins/text-to-image/index.js'
import { FAKE_PNG, localOnlyFetch, startFakeHfEndpoint, startFakeSdapi } from '../../../fakes/image/servers.js'
import { TINY_JPEG } from '../../../fakes/image/tiny-images.js'
import type { FakeServer } from '../../../fakes/search/fake-server.js'

const FAST_RETRY = { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 }

let sdapi: FakeServer
let hf: FakeServer
let outputDir: string

beforeAll(async () => {
  ;[sdapi, hf] = await Promise.all([startFakeSdapi(), startFakeHfEndpoint()])
})
afterAll(async () => {
  await Promise.all([sdapi, hf].map((server) => server.close()))
})
beforeEach(async () => {
  outputDir = await mkdtemp(join(tmpdir(), 'moss-images-'))
  for (const server of [sdapi, hf]) server.reset()
})
afterEach(async () => {
  await rm(outputDir, { recursive: true, force: true })
})

function hfConfig(extra: Partial<TextToImageConfig> = {}): TextToImageConfig {
  return {
    huggingface: { endpointUrl: hf.url, token: 'hf_test', fetch: localOnlyFetch, parameters: { width: 64, height: 64 }, retry: FAST_RETRY },
    outputDir,
    ...extra,
  }
}

describe('AUTOMATIC1111 (sdapi) backend', () => {
  it('posts the txt2img body and writes the PNG under a safe unique name', async () => {
    const plugin = textToImage({ sdapi: { baseUrl: sdapi.url, steps: 4, width: 64, height: 64 }, outputDir })
    const prompt = '一只猫 ../../etc/passwd'
    const output = await plugin.run(prompt)
    expect(output.text).toBe('Image generated successfully.')
    const image = output.images?.[0]
    expect(image?.mimeType).toBe('image/png')
    expect(image?.path.startsWith(outputDir)).toBe(true)
    expect(image?.path).toMatch(/moss-\d{8}-\d{6}-[0-9a-f]{12}\.png$/)
    expect(await readFile(image?.path ?? '')).toEqual(FAKE_PNG)
    const request = sdapi.requests[0]
    expect(request?.path).toBe('/sdapi/v1/txt2img')
    expect(request?.json).toEqual({ prompt, negative_prompt: '', steps: 4, cfg_scale: 7, width: 64, height: 64, seed: -1 })

    const second = await plugin.run(prompt)
    expect(second.images?.[0]?.path).not.toBe(image?.path)
    expect(await readdir(outputDir)).toHaveLength(2)
  })

  it('retries a 503 and reports invalid JSON and non-image data', async () => {
    const plugin = textToImage({ sdapi: { baseUrl: sdapi.url, retry: FAST_RETRY }, outputDir })
    sdapi.fail({ kind: 'status', status: 503, body: '{"error":"busy"}' })
    expect((await plugin.run('a cat')).images).toHaveLength(1)
    expect(sdapi.requests).toHaveLength(2)

    sdapi.fail({ kind: 'invalid-json' })
    await expect(plugin.run('a cat')).rejects.toThrow(/^Image generation failed: Stable Diffusion \(sdapi\) sent a response that is not valid JSON/)

    sdapi.fail({ kind: 'raw', status: 200, contentType: 'application/json', body: JSON.stringify({ images: [Buffer.from('<html>').toString('base64')] }) })
    await expect(plugin.run('a cat')).rejects.toThrow('not a PNG, JPEG, WebP or GIF image')
    expect(await readdir(outputDir)).toHaveLength(1)
  })

  it('says "start it with --api" when AUTOMATIC1111 answers 404 {"detail":"Not Found"}', async () => {
    const webUiOnly = await startFakeSdapi({ apiEnabled: false })
    try {
      const plugin = textToImage({ sdapi: { baseUrl: webUiOnly.url, retry: FAST_RETRY }, outputDir })
      await expect(plugin.run('a cat')).rejects.toThrow(/HTTP 404\): start AUTOMATIC1111 or Forge with --api/)
      expect(webUiOnly.requests).toHaveLength(1)
    } finally {
      await webUiOnly.close()
    }
  })

  it('rejects an oversized response while it streams', async () => {
    sdapi.fail({ kind: 'oversized', bytes: 4 * 1024 * 1024 })
    const plugin = textToImage({ sdapi: { baseUrl: sdapi.url, retry: FAST_RETRY }, outputDir, maxBytes: 100_000 })
    const error = await plugin.run('a cat').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PluginError)
    expect((error as Error).message).toMatch(/sent a response larger than \d+ bytes/)
  })
})

describe('Hugging Face backend (@huggingface/inference)', () => {
  it('posts {inputs, parameters} with the token to the endpoint and saves the JPEG', async () => {
    const output = await textToImage(hfConfig()).run('水墨画风格的山')
    expect(output.images?.[0]?.mimeType).toBe('image/jpeg')
    expect(output.images?.[0]?.path).toMatch(/\.jpg$/)
    expect(await readFile(output.images?.[0]?.path ?? '')).toEqual(TINY_JPEG)
    const request = hf.requests[0]
    expect(request?.method).toBe('POST')
    expect(request?.headers.authorization).toBe('Bearer hf_test')
    expect(request?.json).toEqual({ inputs: '水墨画风格的山', parameters: { width: 64, height: 64 } })
  })

  it('retries a 503 a bounded number of times, then reports it', async () => {
    hf.fail(...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 503, body: '{"error":"Model is loading"}' })))
    await expect(textToImage(hfConfig()).run('x')).rejects.toThrow(/Hugging Face answered HTTP 503: .*Model is loading/)
    expect(hf.requests).toHaveLength(2)
  })

  it('waits out a cold model for its estimated_time, then gets the image', async () => {
    const cold = await startFakeHfEndpoint({ loadingForMs: 1200 })
    try {
      const config = hfConfig()
      const plugin = textToImage({ ...config, huggingface: { ...config.huggingface, endpointUrl: cold.url } })
      expect((await plugin.run('a cat')).images?.[0]?.mimeType).toBe('image/jpeg')
      // One 503 with the estimate, one request once it has passed (a 5 ms backoff retry would still find it loading).
      expect(cold.requests).toHaveLength(2)
    } finally {
      await cold.close()
    }
  })

  it('gives up at once when the model would load after the timeout, and says so', async () => {
    const cold = await startFakeHfEndpoint({ loadingForMs: 60_000 })
    try {
      const config = hfConfig()
      const plugin = textToImage({ ...config, huggingface: { ...config.huggingface, endpointUrl: cold.url, timeoutMs: 3000 } })
      await expect(plugin.run('a cat')).rejects.toThrow(/still loading the model \(ready in about 60 s, more than the \d s left/)
      expect(cold.requests).toHaveLength(1)
    } finally {
      await cold.close()
    }
  })

  it('refuses a body that is not an image whatever the content type says', async () => {
    hf.fail({ kind: 'raw', status: 200, contentType: 'image/png', body: '<html>oops</html>' })
    await expect(textToImage(hfConfig()).run('x')).rejects.toThrow('not a PNG, JPEG, WebP or GIF image')
  })

  it('caps the image size while streaming', async () => {
    hf.fail({ kind: 'oversized', bytes: 2 * 1024 * 1024, contentType: 'image/png' })
    await expect(textToImage(hfConfig({ maxBytes: 50_000 })).run('x')).rejects.toThrow('Hugging Face returned more than 50000 bytes')
  })

  it('times out a hanging endpoint', async () => {
    hf.fail({ kind: 'hang' })
    const config = hfConfig()
    const plugin = textToImage({ ...config, huggingface: { ...config.huggingface, timeoutMs: 300 } })
    await expect(plugin.run('x')).rejects.toThrow('Hugging Face did not answer within 300 ms')
  })
})
