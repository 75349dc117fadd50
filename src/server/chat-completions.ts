/**
 * `POST /v1/chat/completions`, OpenAI-compatible: the server runs the plugins itself and the client receives the
 * final answer. Tool activity rides along as an extra `moss` field (in the chunks when streaming, as a list in the
 * reply otherwise) and thoughts as `reasoning_content`, both of which standard clients ignore.
 *
 * The conversation lives on the server: the last `user` message is the input; a client continues a conversation
 * by sending its id in the `X-Moss-Session` header (created when unknown; then earlier messages of a request are
 * not replayed, the server has them). Without the header every request is a new conversation, started from the
 * request's earlier user/assistant messages and forgotten after the reply, as stateless OpenAI clients expect.
 */
import { randomUUID } from 'node:crypto'
import type { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { AgentEvent } from '../agent/types.js'
import type { TurnRecord } from '../formats/types.js'
import { BackendError } from '../errors.js'
import type { SessionHost } from '../host/session-host.js'
import { eventToPlain } from '../host/event-json.js'
import type { ClientLimiter } from './client-limit.js'
import { badRequest, errorBody } from './http-errors.js'
import { bodyReader } from './read-body.js'
import { imageRefFor } from './session-routes.js'

/** The header that names the conversation. */
export const SESSION_HEADER = 'X-Moss-Session'

type ContentPart = { type: string; text?: string }
interface ChatMessage {
  role: string
  content?: string | ContentPart[] | null
}
interface ChatRequest {
  model?: string
  messages: ChatMessage[]
  stream?: boolean
}

// A plain schema: Ajv's JSONSchemaType cannot express the string-or-parts union of `content`.
const readRequest = bodyReader<ChatRequest>({
  type: 'object',
  properties: {
    model: { type: 'string' },
    stream: { type: 'boolean' },
    messages: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          role: { type: 'string' },
          content: {
            anyOf: [
              { type: 'string' },
              { type: 'null' },
              { type: 'array', items: { type: 'object', properties: { type: { type: 'string' }, text: { type: 'string' } }, required: ['type'] } },
            ],
          },
        },
        required: ['role'],
      },
    },
  },
  required: ['messages'],
} as never)

const textOf = (message: ChatMessage): string =>
  typeof message.content === 'string' ? message.content : (message.content ?? []).map((part) => (part.type === 'text' ? (part.text ?? '') : '')).join('')

/** The text of the last user message (the input) and the user/assistant turns before it. */
function conversationOf(request: ChatRequest): { input: string; history: TurnRecord[] } {
  const lastIndex = request.messages.findLastIndex((message) => message.role === 'user')
  const last = request.messages[lastIndex]
  if (!last) throw badRequest('Invalid request: messages has no "user" message')
  const input = textOf(last)
  if (input.trim() === '') throw badRequest('Invalid request: the last user message is empty')
  const history: TurnRecord[] = []
  let human: string | undefined
  for (const message of request.messages.slice(0, lastIndex)) {
    if (message.role === 'user') human = textOf(message)
    else if (message.role === 'assistant' && human !== undefined) {
      history.push({ human, answer: textOf(message), results: [] })
      human = undefined
    }
  }
  return { input, history }
}

const TOOL_EVENTS = new Set(['tool-call', 'tool-result', 'tool-error', 'image', 'history-compressed'])

/** Adds the endpoint (and `GET /v1/models`) to `app`. */
export function addChatCompletions(app: Hono, host: SessionHost, limiter: ClientLimiter, modelName: string): void {
  const imageRef = imageRefFor(host)

  app.get('/v1/models', (c) => c.json({ object: 'list', data: [{ id: modelName, object: 'model', created: 0, owned_by: 'moss-agent' }] }))

  app.post('/v1/chat/completions', async (c) => {
    const request = await readRequest(c)
    const { input, history } = conversationOf(request)
    const named = c.req.header(SESSION_HEADER)
    const sessionId = named !== undefined && named !== '' ? named : `chat-${randomUUID()}`
    const ephemeral = named === undefined || named === ''
    const release = limiter.take(c)
    if (ephemeral && history.length > 0) {
      try {
        await host.create({ id: sessionId, history })
      } catch (error) {
        release()
        await host.delete(sessionId).catch(() => undefined)
        throw error
      }
    }
    const controller = new AbortController()
    const onDisconnect = (): void => controller.abort()
    c.req.raw.signal.addEventListener('abort', onDisconnect, { once: true })
    const completionId = `chatcmpl-${randomUUID()}`
    const created = Math.floor(Date.now() / 1000)
    const model = request.model ?? modelName
    const events = host.send(sessionId, input, { signal: controller.signal, create: true })
    const done = async (): Promise<void> => {
      c.req.raw.signal.removeEventListener('abort', onDisconnect)
      release()
      if (ephemeral) await host.delete(sessionId).catch(() => undefined)
    }
    if (!ephemeral) c.header(SESSION_HEADER, sessionId)

    if (request.stream !== true) {
      try {
        return c.json(await collectCompletion(events, { completionId, created, model, sessionId, ephemeral, imageRef }))
      } finally {
        await done()
      }
    }

    return streamSSE(c, async (stream) => {
      stream.onAbort(onDisconnect)
      const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}, finish: string | null = null): string =>
        JSON.stringify({
          id: completionId,
          object: 'chat.completion.chunk',
          created,
          model,
          choices: [{ index: 0, delta, finish_reason: finish }],
          ...extra,
        })
      try {
        await stream.writeSSE({ data: chunk({ role: 'assistant', content: '' }, ephemeral ? {} : { moss: { session_id: sessionId } }) })
        for await (const event of events) {
          if (event.type === 'text-delta') await stream.writeSSE({ data: chunk({ content: event.text }) })
          else if (event.type === 'thought-delta') await stream.writeSSE({ data: chunk({ reasoning_content: event.text }) })
          else if (TOOL_EVENTS.has(event.type)) await stream.writeSSE({ data: chunk({}, { moss: { event: eventToPlain(event, { imageRef }) } }) })
          else if (event.type === 'error') await stream.writeSSE({ data: JSON.stringify(errorBody(event.error)) })
          else if (event.type === 'turn-finish') {
            const usage = { prompt_tokens: event.usage.evaluated, completion_tokens: event.usage.generated, total_tokens: event.usage.evaluated + event.usage.generated }
            await stream.writeSSE({ data: chunk({}, { usage }, 'stop') })
          }
        }
      } catch (error) {
        await stream.writeSSE({ data: JSON.stringify(errorBody(error)) })
      } finally {
        await stream.writeSSE({ data: '[DONE]' })
        await done()
      }
    })
  })
}

interface CompletionContext {
  readonly completionId: string
  readonly created: number
  readonly model: string
  readonly sessionId: string
  readonly ephemeral: boolean
  readonly imageRef: ReturnType<typeof imageRefFor>
}

/** Runs the turn to its end and builds the `chat.completion` object; a turn error is thrown (an error response). */
async function collectCompletion(events: AsyncIterable<AgentEvent>, ctx: CompletionContext): Promise<Record<string, unknown>> {
  const tools: Record<string, unknown>[] = []
  let thought = ''
  let finish: Extract<AgentEvent, { type: 'turn-finish' }> | undefined
  for await (const event of events) {
    if (TOOL_EVENTS.has(event.type)) tools.push(eventToPlain(event, { imageRef: ctx.imageRef }))
    else if (event.type === 'thought-delta') thought += event.text
    else if (event.type === 'error') throw event.error
    else if (event.type === 'turn-finish') finish = event
  }
  if (!finish) throw new BackendError('The turn ended without an answer')
  return {
    id: ctx.completionId,
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: finish.text, ...(thought !== '' ? { reasoning_content: thought } : {}) },
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: finish.usage.evaluated, completion_tokens: finish.usage.generated, total_tokens: finish.usage.evaluated + finish.usage.generated },
    moss: { ...(ctx.ephemeral ? {} : { session_id: ctx.sessionId }), events: tools },
  }
}
