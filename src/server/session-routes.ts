/**
 * The session API: create, read (history), delete, abort, and send a message with the turn's events streamed as
 * server-sent events, one JSON event per message in the shapes of `moss run --json` (images by id, never by path).
 * A client that disconnects aborts its turn; the session stays usable.
 */
import { readFile } from 'node:fs/promises'
import type { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { TurnRecord } from '../formats/types.js'
import type { SessionHost } from '../host/session-host.js'
import { errorToPlain, eventToJson } from '../host/event-json.js'
import type { ImageRef } from '../host/event-json.js'
import type { GeneratedImage } from '../plugins/types.js'
import { SessionNotFoundError, MossError } from '../errors.js'
import type { ClientLimiter } from './client-limit.js'
import { errorBody, notFound } from './http-errors.js'
import { bodyReader } from './read-body.js'

/** Images as the API shows them: an id and the URL that serves it. */
export function imageRefFor(host: SessionHost): ImageRef {
  return (image) => {
    const id = host.imageId(image)
    return { id, url: `/v1/images/${id}`, mimeType: image.mimeType }
  }
}

interface MessageBody {
  text: string
}

const readMessage = bodyReader<MessageBody>({
  type: 'object',
  properties: { text: { type: 'string', minLength: 1 } },
  required: ['text'],
  additionalProperties: false,
})

/** A finished turn as the API returns it. */
function turnToPlain(turn: TurnRecord, imageRef: ImageRef): Record<string, unknown> {
  return {
    human: turn.human,
    ...(turn.thought !== undefined ? { thought: turn.thought } : {}),
    results: turn.results.map((result) => ({
      id: result.call.id,
      command: result.call.command,
      input: result.call.input,
      ok: result.ok,
      output: result.text,
      ...(result.images ? { images: result.images.map((image: GeneratedImage) => imageRef(image)) } : {}),
    })),
    answer: turn.answer,
  }
}

/** Adds the session routes to `app`. */
export function addSessionRoutes(app: Hono, host: SessionHost, limiter: ClientLimiter): void {
  const imageRef = imageRefFor(host)

  app.post('/v1/sessions', async (c) => c.json({ id: await host.create() }, 201))

  app.get('/v1/sessions/:id', async (c) => {
    const id = c.req.param('id')
    const turns = await host.history(id)
    return c.json({ id, turns: turns.map((turn) => turnToPlain(turn, imageRef)) })
  })

  app.delete('/v1/sessions/:id', async (c) => {
    const id = c.req.param('id')
    if (!(await host.delete(id))) throw new SessionNotFoundError(id)
    return c.body(null, 204)
  })

  app.post('/v1/sessions/:id/abort', async (c) => {
    const id = c.req.param('id')
    if (!(await host.has(id))) throw new SessionNotFoundError(id)
    return c.json({ aborted: host.abort(id) })
  })

  app.post('/v1/sessions/:id/messages', async (c) => {
    const id = c.req.param('id')
    const { text } = await readMessage(c)
    if (!(await host.has(id))) throw new SessionNotFoundError(id)
    const release = limiter.take(c)
    const controller = new AbortController()
    const onDisconnect = (): void => controller.abort()
    c.req.raw.signal.addEventListener('abort', onDisconnect, { once: true })
    return streamSSE(c, async (stream) => {
      stream.onAbort(onDisconnect)
      let seq = 0
      try {
        for await (const event of host.send(id, text, { signal: controller.signal })) {
          await stream.writeSSE({ data: eventToJson(event, { imageRef }), id: String(seq++) })
        }
      } catch (error) {
        const plain = MossError.isInstance(error) ? errorToPlain(error) : { name: 'Error', ...errorBody(error).error }
        await stream.writeSSE({ data: JSON.stringify({ type: 'error', error: plain }), id: String(seq++) })
      } finally {
        c.req.raw.signal.removeEventListener('abort', onDisconnect)
        release()
      }
    })
  })

  app.get('/v1/images/:id', async (c) => {
    const image = host.image(c.req.param('id'))
    if (!image) throw notFound('No image with this id')
    const bytes = await readFile(image.path).catch(() => undefined)
    if (!bytes) throw notFound('The image file is gone')
    return c.body(bytes, 200, { 'Content-Type': image.mimeType, 'Cache-Control': 'private, max-age=86400' })
  })
}
