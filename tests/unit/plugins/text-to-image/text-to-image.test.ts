import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../../../src/index.js'
import { detectImageFormat, textToImage, textToImageConfigFromEnv } from '../../../../plugins/text-to-image/index.js'
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
