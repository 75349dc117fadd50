/**
 * Every refusal of `moss serve` is JSON `{ "error": { "code", "message" } }` with the stable code of the
 * {@link MossError} behind it (the same codes the SDK throws), and an HTTP status that says whose fault it is.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { MossError, RequestError, describeError } from '../errors.js'

/** The JSON body of an error response. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string }
}

/** The HTTP status for an error. */
export function statusOf(error: unknown): ContentfulStatusCode {
  if (error instanceof RequestError) return error.status
  if (!MossError.isInstance(error)) return 500
  switch (error.code) {
    case 'MOSS_ERR_SESSION_NOT_FOUND':
      return 404
    case 'MOSS_ERR_INVALID_INPUT':
    case 'MOSS_ERR_CONTEXT_OVERFLOW':
    case 'MOSS_ERR_CONFIG':
    case 'MOSS_ERR_PLUGIN_NOT_FOUND':
      return 400
    case 'MOSS_ERR_HOST_CLOSED':
      return 503
    default:
      return 500
  }
}

/** The error body for anything thrown (an unknown error keeps its message but gets the backend's generic code). */
export function errorBody(error: unknown): ErrorBody {
  if (MossError.isInstance(error)) return { error: { code: error.code, message: error.message } }
  return { error: { code: 'MOSS_ERR_INTERNAL', message: describeError(error) } }
}

/** Answers `c` with the error. */
export function errorResponse(c: Context, error: unknown): Response {
  return c.json(errorBody(error), statusOf(error))
}

/** Shorthands for the refusals the server makes itself. */
export const badRequest = (message: string): RequestError => new RequestError(400, 'MOSS_ERR_BAD_REQUEST', message)
export const notFound = (message: string): RequestError => new RequestError(404, 'MOSS_ERR_NOT_FOUND', message)
