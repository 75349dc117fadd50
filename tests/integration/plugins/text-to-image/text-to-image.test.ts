import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { PluginError } from '../../../../src/index.js'
import { textToImage } from '../../../../plugins/text-to-image/index.js'
import type { TextToImageConfig } from '../../../../plugins/text-to-image/index.js'
import { FAKE_PNG, localOnlyFetch, startFakeHfEndpoint, startFakeOpenAiImages, startFakeSdapi } from '../../../fakes/image/servers.js'
import { TINY_JPEG } from '../../../fakes/image/tiny-images.js'
import type { FakeServer } from '../../../fakes/search/fake-server.js'

const FAST_RETRY = { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 }

let sdapi: FakeServer
let openai: FakeServer
let hf: FakeServer
let outputDir: string

beforeAll(async () => {
  ;[sdapi, openai, hf] = await Promise.all([startFakeSdapi(), startFakeOpenAiImages('sk-test'), startFakeHfEndpoint()])
})
afterAll(async () => {
  await Promise.all([sdapi, openai, hf].map((server) => server.close()))
})
beforeEach(async () => {
  outputDir = await mkdtemp(join(tmpdir(), 'moss-images-'))
  for (const server of [sdapi, openai, hf]) server.reset()
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

  it('rejects an oversized response while it streams', async () => {
    sdapi.fail({ kind: 'oversized', bytes: 4 * 1024 * 1024 })
    const plugin = textToImage({ sdapi: { baseUrl: sdapi.url, retry: FAST_RETRY }, outputDir, maxBytes: 100_000 })
    const error = await plugin.run('a cat').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PluginError)
    expect((error as Error).message).toMatch(/sent a response larger than \d+ bytes/)
  })
})

describe('OpenAI-style images backend', () => {
  it('posts prompt/n/size/response_format with the Bearer key and decodes b64_json', async () => {
    const plugin = textToImage({ openai: { baseUrl: `${openai.url}/v1`, apiKey: 'sk-test', model: 'sd-turbo' }, outputDir })
    const output = await plugin.run('a red bicycle')
    expect(output.images?.[0]?.mimeType).toBe('image/png')
    const request = openai.requests[0]
    expect(request?.path).toBe('/v1/images/generations')
    expect(request?.headers.authorization).toBe('Bearer sk-test')
    expect(request?.json).toEqual({ prompt: 'a red bicycle', n: 1, size: '512x512', response_format: 'b64_json', model: 'sd-turbo' })
  })

  it('surfaces an authentication failure without retrying', async () => {
    const plugin = textToImage({ openai: { baseUrl: openai.url, apiKey: 'wrong' }, outputDir })
    await expect(plugin.run('x')).rejects.toThrow(/Images API answered HTTP 401: .*Incorrect API key/)
    expect(openai.requests).toHaveLength(1)
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
