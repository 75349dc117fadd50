/**
 * An MCP `CallToolResult` as a plugin result: text content joined, images written to the image folder (typed by
 * their bytes), embedded resources and links summarised, `structuredContent` carried as data, and `isError` results
 * turned into an error the model sees. Everything a server returns is untrusted: control characters are removed here
 * (they could drive a terminal), and the formats neutralise protocol markers when they render the result.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { PluginError } from '../errors.js'
import { writeImageFile } from '../plugins/image-files.js'
import type { GeneratedImage, PluginOutput } from '../plugins/types.js'

/** C0 and C1 control characters other than tab and line feed (ANSI escapes start with ESC). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g

/** Removes control characters (a CR LF line end becomes LF). */
export function stripControl(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, '')
}

type Content = CallToolResult['content'][number]

async function renderContent(item: Content, imageDir: string, images: GeneratedImage[]): Promise<string | undefined> {
  switch (item.type) {
    case 'text':
      return item.text
    case 'image': {
      const image = await writeImageFile(imageDir, Buffer.from(item.data, 'base64'))
      if (!image) return `[an image that is not PNG, JPEG, WebP or GIF was left out]`
      images.push(image)
      return undefined
    }
    case 'audio':
      return `[audio (${item.mimeType}) not shown]`
    case 'resource': {
      const resource = item.resource
      if ('text' in resource && typeof resource.text === 'string') return resource.text
      return `[resource ${resource.uri}${resource.mimeType ? ` (${resource.mimeType})` : ''} not shown]`
    }
    case 'resource_link':
      return `[resource link: ${item.name} ${item.uri}${item.description ? ` — ${item.description}` : ''}]`
    default:
      return undefined
  }
}

/**
 * Converts a tool's result. `isError` results throw a {@link PluginError} carrying the server's text, so the agent
 * shows the model an error result (and the user a `tool-error`).
 */
export async function toPluginOutput(tool: string, result: CallToolResult, imageDir: string): Promise<PluginOutput> {
  const images: GeneratedImage[] = []
  const texts: string[] = []
  for (const item of result.content ?? []) {
    const text = await renderContent(item, imageDir, images)
    if (text !== undefined) texts.push(stripControl(text))
  }
  const structured = result.structuredContent
  let text = texts.join('\n')
  // A server should repeat structured content as text; when it does not, the model still needs to read it.
  if (text.trim() === '' && structured !== undefined) text = stripControl(JSON.stringify(structured))
  if (result.isError === true) throw new PluginError(tool, `Tool "${tool}" reported an error: ${text || '(no message)'}`)
  return {
    text,
    ...(images.length ? { images } : {}),
    ...(structured !== undefined ? { data: structured } : {}),
  }
}
