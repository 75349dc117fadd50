import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../../../src/index.js'
import {
  detectImageFormat,
  openAiImagesApi,
  openAiImagesBackend,
  textToImage,
  textToImageConfigFromEnv,
} from '../../../../plugins/text-to-image/index.js'
import { TINY_JPEG, makePng } from '../../../fakes/image/tiny-images.js'

describe('detectImageFormat', () => {
  it('recognises PNG, JPEG, WebP and GIF by their magic bytes', () => {
    expect(detectImageFormat(makePng())).toEqual({ mimeType: 'image/png', extension: '.png' })
    expect(detectImageFormat(TINY_JPEG)).toEqual({ mimeType: 'image/jpeg', extension: '.jpg' })
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x1a, 0, 0, 0]), Buffer.from('WEBPVP8 ')])
    expect(detectImageFormat(webp)?.mimeType).toBe('image/webp')
    expect(detectImageFormat(Buffer.from('GIF89a\x01\x00'))?.mimeType).toBe('image/gif')
    expect(detectImageFormat(Buffer.from('GIF87a'))?.mimeType).toBe('image/gif')
  })

  it('rejects anything else, including truncated signatures and RIFF files that are not WebP', () => {
    expect(detectImageFormat(Buffer.from('<html>not an image</html>'))).toBeUndefined()
    expect(detectImageFormat(Buffer.from([0x89, 0x50, 0x4e]))).toBeUndefined()
    expect(detectImageFormat(Buffer.from('RIFF\x00\x00\x00\x00WAVEfmt '))).toBeUndefined()
    expect(detectImageFormat(new Uint8Array(0))).toBeUndefined()
  })
})

describe('textToImage configuration', () => {
  it('is disabled, never faked, when no backend is configured', async () => {
    const plugin = textToImage()
    expect(plugin.enabled).toBe(false)
    expect(plugin.command).toBe('Text2Image')
    expect(plugin.name).toBe('text-to-image')
    expect(plugin.argument).toBe('description')
    await expect(plugin.run('a cat')).rejects.toThrow('Text-to-image is not configured.')
  })

  it('is enabled with a backend and gives itself a long timeout', () => {
    const plugin = textToImage({ sdapi: { baseUrl: 'http://127.0.0.1:1' } })
    expect(plugin.enabled).toBe(true)
    expect(plugin.timeoutMs).toBe(125_000)
    expect(plugin.config).toMatchObject({ backend: 'sdapi', outputDir: './moss-images' })
  })

  it('maps environment variables', () => {
    expect(
      textToImageConfigFromEnv({
        MOSS_HF_IMAGE_URL: 'http://127.0.0.1:5000',
        HF_TOKEN: 'hf_x',
        MOSS_OPENAI_IMAGES_URL: 'http://127.0.0.1:8080/v1',
        MOSS_OPENAI_IMAGES_SIZE: '256x256',
        MOSS_IMAGE_DIR: '/tmp/images',
        MOSS_IMAGE_BACKEND: 'openai',
      }),
    ).toEqual({
      huggingface: { token: 'hf_x', endpointUrl: 'http://127.0.0.1:5000' },
      openai: { baseUrl: 'http://127.0.0.1:8080/v1', size: '256x256' },
      outputDir: '/tmp/images',
      backend: 'openai',
    })
  })

  it('does not enable Hugging Face images from a token alone', () => {
    const config = textToImageConfigFromEnv({ MOSS_HF_TOKEN: 'hf_x' })
    expect(config).toEqual({})
    expect(textToImage(config).enabled).toBe(false)
  })

  it('disables with MOSS_IMAGE_BACKEND=none and rejects unknown names', () => {
    expect(textToImage(textToImageConfigFromEnv({ MOSS_IMAGE_BACKEND: 'none', MOSS_SDAPI_URL: 'http://127.0.0.1:1' })).enabled).toBe(
      false,
    )
    expect(() => textToImageConfigFromEnv({ MOSS_IMAGE_BACKEND: 'dalle' })).toThrow(ConfigError)
    expect(() => textToImage({ backend: 'sdapi' })).toThrow(ConfigError)
  })
})

describe('openai image backend configuration', () => {
  it('infers the API family from the model name, or from OpenAI\'s URL when no model is set, with an explicit override', () => {
    expect(openAiImagesApi({ baseUrl: 'http://127.0.0.1:8080', model: 'gpt-image-1' })).toBe('gpt-image')
    expect(openAiImagesApi({ baseUrl: 'http://127.0.0.1:8080', model: 'chatgpt-image-latest' })).toBe('gpt-image')
    expect(openAiImagesApi({ baseUrl: 'http://127.0.0.1:8080', model: 'sd-turbo' })).toBe('compatible')
    expect(openAiImagesApi({ baseUrl: 'http://127.0.0.1:8080' })).toBe('compatible')
    expect(openAiImagesApi({ baseUrl: 'https://api.openai.com/v1' })).toBe('gpt-image')
    expect(openAiImagesApi({ baseUrl: 'http://127.0.0.1:8080', model: 'my-gpt-image-proxy', api: 'gpt-image' })).toBe('gpt-image')
    expect(openAiImagesApi({ baseUrl: 'https://api.openai.com', model: 'gpt-image-1', api: 'compatible' })).toBe('compatible')
  })

  it('refuses what OpenAI documents as invalid before any request', () => {
    const base = { baseUrl: 'https://api.openai.com', apiKey: 'sk-x' }
    expect(() => openAiImagesBackend({ ...base, model: 'dall-e-3' })).toThrow(/shut down dall-e-3 on 2026-05-12/)
    expect(() => openAiImagesBackend({ ...base, model: 'gpt-image-1', size: '512x512' })).toThrow(
      'size "512x512" is not one of 1024x1024, 1536x1024, 1024x1536, auto',
    )
    expect(() => openAiImagesBackend({ ...base, model: 'gpt-image-1', background: 'transparent', outputFormat: 'jpeg' })).toThrow(
      /transparent background needs outputFormat png or webp/,
    )
    expect(() => openAiImagesBackend({ ...base, model: 'gpt-image-1', quality: 'hd' as 'high' })).toThrow(ConfigError)
    expect(() => openAiImagesBackend({ baseUrl: 'http://127.0.0.1:8080', model: 'sd-turbo', quality: 'high' })).toThrow(
      'quality is only for GPT image models',
    )
    expect(() => openAiImagesBackend({ baseUrl: 'http://127.0.0.1:8080', size: 'large' })).toThrow(ConfigError)
  })

  it('maps the GPT image options from the environment and rejects an unknown API family', () => {
    expect(
      textToImageConfigFromEnv({
        MOSS_OPENAI_IMAGES_URL: 'https://api.openai.com',
        MOSS_OPENAI_IMAGES_KEY: 'sk-x',
        MOSS_OPENAI_IMAGES_MODEL: 'gpt-image-1-mini',
        MOSS_OPENAI_IMAGES_API: 'gpt-image',
        MOSS_OPENAI_IMAGES_QUALITY: 'low',
        MOSS_OPENAI_IMAGES_FORMAT: 'webp',
        MOSS_OPENAI_IMAGES_BACKGROUND: 'transparent',
      }).openai,
    ).toEqual({
      baseUrl: 'https://api.openai.com',
      apiKey: 'sk-x',
      model: 'gpt-image-1-mini',
      api: 'gpt-image',
      quality: 'low',
      outputFormat: 'webp',
      background: 'transparent',
    })
    expect(() => textToImageConfigFromEnv({ MOSS_OPENAI_IMAGES_URL: 'http://127.0.0.1:1', MOSS_OPENAI_IMAGES_API: 'dalle' })).toThrow(
      ConfigError,
    )
  })
})
