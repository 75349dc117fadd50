/**
 * The `openai` image backend against OpenAI's documented images API for the GPT image models and against an
 * OpenAI-compatible server (LocalAI, stable-diffusion.cpp style) that answers base64 or a URL (issue 20).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { textToImage } from '../../../../plugins/text-to-image/index.js'
import { startFakeCompatibleImages, startFakeOpenAiImages } from '../../../fakes/image/openai-images.js'
import { FAKE_PNG } from '../../../fakes/image/servers.js'
import { TINY_JPEG } from '../../../fakes/image/tiny-images.js'
import type { FakeServer } from '../../../fakes/search/fake-server.js'

let openai: FakeServer
let outputDir: string
const extra: FakeServer[] = []

beforeAll(async () => {
  openai = await startFakeOpenAiImages('sk-test')
})
afterAll(async () => {
  await Promise.all([openai, ...extra].map((server) => server.close()))
})
beforeEach(async () => {
  outputDir = await mkdtemp(join(tmpdir(), 'moss-images-'))
  openai.reset()
})
afterEach(async () => {
  await rm(outputDir, { recursive: true, force: true })
})

async function compatible(options: Parameters<typeof startFakeCompatibleImages>[0] = {}): Promise<FakeServer> {
  const server = await startFakeCompatibleImages(options)
  extra.push(server)
  return server
}

describe('OpenAI images API, GPT image models', () => {
  it('sends model, prompt, n and a valid default size, never response_format, and decodes b64_json', async () => {
    const plugin = textToImage({ openai: { baseUrl: openai.url, apiKey: 'sk-test', model: 'gpt-image-1' }, outputDir })
    const output = await plugin.run('a red bicycle')
    expect(output.images?.[0]?.mimeType).toBe('image/png')
    expect(await readFile(output.images?.[0]?.path ?? '')).toEqual(FAKE_PNG)
    const request = openai.requests[0]
    expect(request?.path).toBe('/v1/images/generations')
    expect(request?.headers.authorization).toBe('Bearer sk-test')
    expect(request?.json).toEqual({ model: 'gpt-image-1', prompt: 'a red bicycle', n: 1, size: '1024x1024' })
  })

  it('passes quality, output_format, background and size, and saves the JPEG it asked for', async () => {
    const plugin = textToImage({
      openai: {
        baseUrl: `${openai.url}/v1`,
        apiKey: 'sk-test',
        model: 'gpt-image-1-mini',
        size: '1536x1024',
        quality: 'low',
        outputFormat: 'jpeg',
        background: 'opaque',
      },
      outputDir,
    })
    const output = await plugin.run('山水画')
    expect(output.images?.[0]?.path).toMatch(/\.jpg$/)
    expect(await readFile(output.images?.[0]?.path ?? '')).toEqual(TINY_JPEG)
    expect(openai.requests[0]?.json).toEqual({
      model: 'gpt-image-1-mini',
      prompt: '山水画',
      n: 1,
      size: '1536x1024',
      quality: 'low',
      output_format: 'jpeg',
      background: 'opaque',
    })
  })

  it('names gpt-image-1 when api is gpt-image and no model is set (OpenAI wants a model named)', async () => {
    const plugin = textToImage({ openai: { baseUrl: openai.url, apiKey: 'sk-test', api: 'gpt-image' }, outputDir })
    await plugin.run('a cat')
    expect(openai.requests[0]?.json).toMatchObject({ model: 'gpt-image-1', size: '1024x1024' })
  })

  it('surfaces an authentication failure without retrying', async () => {
    const plugin = textToImage({ openai: { baseUrl: openai.url, apiKey: 'wrong', model: 'gpt-image-1' }, outputDir })
    await expect(plugin.run('x')).rejects.toThrow(/Images API answered HTTP 401: .*Incorrect API key/)
    expect(openai.requests).toHaveLength(1)
  })
})

describe('OpenAI-compatible servers', () => {
  it('asks for b64_json at the server default model and size and decodes it', async () => {
    const server = await compatible()
    const output = await textToImage({ openai: { baseUrl: server.url, model: 'sd-turbo' }, outputDir }).run('a red bicycle')
    expect(await readFile(output.images?.[0]?.path ?? '')).toEqual(FAKE_PNG)
    expect(server.requests[0]?.json).toEqual({
      prompt: 'a red bicycle',
      n: 1,
      size: '512x512',
      response_format: 'b64_json',
      model: 'sd-turbo',
    })
  })

  it('downloads the image when the server answers with a url', async () => {
    const server = await compatible({ alwaysUrl: true })
    const output = await textToImage({ openai: { baseUrl: server.url }, outputDir }).run('a red bicycle')
    expect(output.images?.[0]?.mimeType).toBe('image/png')
    expect(await readFile(output.images?.[0]?.path ?? '')).toEqual(FAKE_PNG)
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /v1/images/generations',
      'GET /generated/image-1.png',
    ])
  })

  it('refuses an image url that is not http(s) without fetching anything', async () => {
    const server = await compatible({ alwaysUrl: true, url: 'file:///etc/passwd' })
    await expect(textToImage({ openai: { baseUrl: server.url }, outputDir }).run('x')).rejects.toThrow(
      'Images API returned an image URL with the scheme file: (only http and https are fetched)',
    )
    expect(server.requests).toHaveLength(1)
  })

  it('applies the size cap and the image type check to a downloaded image', async () => {
    // Both ways a download can be too big: streamed past the cap, or declared too big up front (which must not leave
    // an unheard error behind on the dropped body).
    for (const declareLength of [false, true]) {
      const server = await compatible({ alwaysUrl: true, declareLength })
      await expect(textToImage({ openai: { baseUrl: server.url }, outputDir, maxBytes: 40 }).run('x')).rejects.toThrow(
        'Images API (image download) sent a response larger than 40 bytes',
      )
    }
    const html = await compatible({ alwaysUrl: true, download: 'html' })
    await expect(textToImage({ openai: { baseUrl: html.url }, outputDir }).run('x')).rejects.toThrow(
      'not a PNG, JPEG, WebP or GIF image',
    )
  })
})
