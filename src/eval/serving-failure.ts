/**
 * Which turn errors are the model server's failure rather than the model's answer. Scoring such a case would count
 * a dead or refusing server as a model that "made no call" (right on every case that wants none), so these stop the
 * run instead of becoming a case's outcome; budget, context and timeout errors stay outcomes.
 */
import type { MossError, MossErrorCode } from '../errors.js'

/** Codes of failures no case can be scored on: the server refused or broke (HTTP, stream), timed out, or no model loaded. */
const SERVING_FAILURES: ReadonlySet<MossErrorCode> = new Set(['MOSS_ERR_BACKEND_HTTP', 'MOSS_ERR_BACKEND_TIMEOUT', 'MOSS_ERR_MODEL_LOAD'])

/** Whether `error` (a turn's `error` event) means the model could not answer at all. */
export function isServingFailure(error: MossError): boolean {
  return SERVING_FAILURES.has(error.code)
}
