/**
 * Normalises one streamed completion event. Accepts the OpenAI completions shape (`choices[0].text`, used by vLLM,
 * llama.cpp server, Ollama and TGI's `/v1/completions`) and TGI's native `generate_stream` shape (`token.text`).
 */
import { RemoteHttpError } from './remote-errors.js'

/** One piece of a streamed completion. */
export interface CompletionChunk {
  /** Generated text in this event (may be empty). */
  readonly text: string
  /** Server's finish reason (`stop`, `length`, `eos_token`, `stop_sequence`, …) on the last event. */
  readonly finishReason?: string
  /** The stop string the server matched, when it says (vLLM `stop_reason`). */
  readonly stopReason?: string
  /** Tokens generated so far, when the server reports usage. */
  readonly completionTokens?: number
}

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null

function streamError(server: string, message: string, data: unknown): RemoteHttpError {
  return new RemoteHttpError('server', 0, `${server} reported an error in the stream: ${message}`, {
    body: JSON.stringify(data).slice(0, 500),
  })
}

/** Parses an event's JSON text. Throws an `invalid-json` error when it is not JSON. */
export function parseEventJson(data: string, server: string): unknown {
  try {
    return JSON.parse(data)
  } catch (cause) {
    throw new RemoteHttpError('invalid-json', 0, `${server} sent an event that is not JSON: ${data.slice(0, 80)}`, {
      body: data.slice(0, 500),
      cause,
    })
  }
}

/** Turns a parsed event into a chunk; throws typed errors for `{error}` events and unknown shapes. */
export function decodeCompletionEvent(data: unknown, server: string): CompletionChunk {
  if (!isObject(data)) throw new RemoteHttpError('malformed-stream', 0, `${server} sent an event that is not an object`)
  const error = data['error']
  if (typeof error === 'string') throw streamError(server, error, data)
  if (isObject(error)) throw streamError(server, typeof error['message'] === 'string' ? error['message'] : 'unknown', data)

  const usage = isObject(data['usage']) && typeof data['usage']['completion_tokens'] === 'number'
    ? { completionTokens: data['usage']['completion_tokens'] }
    : {}
  const choices = data['choices']
  if (Array.isArray(choices)) {
    const choice: unknown = choices[0]
    // A usage-only event (OpenAI `stream_options.include_usage`) has no choices.
    if (choice === undefined) return { text: '', ...usage }
    if (!isObject(choice)) throw new RemoteHttpError('malformed-stream', 0, `${server} sent a choice that is not an object`)
    const text = typeof choice['text'] === 'string' ? choice['text'] : ''
    return {
      text,
      ...(typeof choice['finish_reason'] === 'string' ? { finishReason: choice['finish_reason'] } : {}),
      ...(typeof choice['stop_reason'] === 'string' ? { stopReason: choice['stop_reason'] } : {}),
      ...usage,
    }
  }
  const token = data['token']
  if (isObject(token)) {
    // TGI marks special tokens; their text (e.g. `</s>`) is not part of the answer.
    const text = token['special'] === true || typeof token['text'] !== 'string' ? '' : token['text']
    const details = data['details']
    return {
      text,
      ...(isObject(details) && typeof details['finish_reason'] === 'string' ? { finishReason: details['finish_reason'] } : {}),
      ...(isObject(details) && typeof details['generated_tokens'] === 'number'
        ? { completionTokens: details['generated_tokens'] }
        : {}),
    }
  }
  throw new RemoteHttpError('malformed-stream', 0, `${server} sent an event without choices or token`, {
    body: JSON.stringify(data).slice(0, 500),
  })
}
