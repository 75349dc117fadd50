/**
 * MCP tool results as plugin results: text joined, control characters removed, images written and typed by their
 * bytes (a declared MIME type is not trusted), resources and links summarised, structured content as data, and
 * `isError` as an error carrying the server's text.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stripControl, toPluginOutput } from '../../../src/mcp/tool-result.js'

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moss-mcp-result-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('MCP tool results', () => {
  it('joins text, strips control characters and keeps Chinese', async () => {
    const output = await toPluginOutput('t', { content: [{ type: 'text', text: '第一\u001b[31m行\r\n' }, { type: 'text', text: 'two\u0007' }] }, dir)
    expect(output).toEqual({ text: '第一[31m行\n\ntwo' })
    expect(stripControl('a\tb\u0000c\u009bd')).toBe('a\tbcd')
  })

  it('writes images typed by their bytes, whatever the declared type; leaves out what is no image', async () => {
    const output = await toPluginOutput(
      't',
      {
        content: [
          { type: 'image', data: PNG_1x1, mimeType: 'image/jpeg' },
          { type: 'image', data: Buffer.from('<svg onload=alert(1)>').toString('base64'), mimeType: 'image/png' },
        ],
      },
      dir,
    )
    expect(output.images).toHaveLength(1)
    expect(output.images?.[0]?.mimeType).toBe('image/png')
    expect(output.images?.[0]?.path.endsWith('.png')).toBe(true)
    expect((await readFile(output.images?.[0]?.path ?? '')).subarray(1, 4).toString()).toBe('PNG')
    expect(output.text).toBe('[an image that is not PNG, JPEG, WebP or GIF was left out]')
    expect(await readdir(dir)).toHaveLength(1)
  })

  it('summarises resources, links and audio; keeps a text resource', async () => {
    const output = await toPluginOutput(
      't',
      {
        content: [
          { type: 'resource', resource: { uri: 'file:///a.txt', text: 'inside a' } },
          { type: 'resource', resource: { uri: 'file:///b.bin', blob: 'AAAA', mimeType: 'application/octet-stream' } },
          { type: 'resource_link', uri: 'file:///c', name: 'c', description: 'the c file' },
          { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
        ],
      },
      dir,
    )
    expect(output.text.split('\n')).toEqual([
      'inside a',
      '[resource file:///b.bin (application/octet-stream) not shown]',
      '[resource link: c file:///c — the c file]',
      '[audio (audio/wav) not shown]',
    ])
  })

  it('carries structured content as data, and as text when the server sent no text', async () => {
    const withText = await toPluginOutput('t', { content: [{ type: 'text', text: 'warm' }], structuredContent: { c: 30 } }, dir)
    expect(withText).toEqual({ text: 'warm', data: { c: 30 } })
    const bare = await toPluginOutput('t', { content: [], structuredContent: { c: 30 } }, dir)
    expect(bare).toEqual({ text: '{"c":30}', data: { c: 30 } })
  })

  it('an isError result is an error with the server text', async () => {
    await expect(toPluginOutput('fs.read', { content: [{ type: 'text', text: 'Access denied' }], isError: true }, dir)).rejects.toMatchObject({
      code: 'MOSS_ERR_PLUGIN_FAILED',
      message: 'Tool "fs.read" reported an error: Access denied',
    })
    await expect(toPluginOutput('x', { content: [], isError: true }, dir)).rejects.toThrow('Tool "x" reported an error: (no message)')
  })
})
