/**
 * The session file: JSON with the records, the exact transcript and a SHA-256 checksum over everything else, so that a
 * damaged file (a flipped bit inside the conversation's words) is refused instead of loaded with changed content.
 */
import { createHash } from 'node:crypto'
import { readFile, rename, unlink, writeFile } from 'node:fs/promises'
import type { PromptPart } from '../backends/types.js'
import { SessionFileError, describeError } from '../errors.js'
import type { TurnRecord } from '../formats/types.js'
import { tempPathFor } from './temp-files.js'

/** The `kind` field that marks a moss-agent session file. */
export const SESSION_FILE_KIND = 'moss-agent-session'
/** The session file version this code writes. Version 1 (no checksum) is still read. */
export const SESSION_FILE_VERSION = 2

/** The JSON of a saved session. */
export interface SessionFileData {
  /** Tells a session file from any other JSON. */
  readonly kind: typeof SESSION_FILE_KIND
  /** A file of another version is refused, not guessed at. */
  readonly version: typeof SESSION_FILE_VERSION | 1
  /** The session's id. */
  readonly id: string
  /** Name of the dialogue format the transcript was written in. */
  readonly format: string
  /** Names of the plugins switched on when it was saved. */
  readonly enabledPlugins: readonly string[]
  /** Every finished turn, oldest first (trimmed ones included). */
  readonly turns: readonly TurnRecord[]
  /** Turn indexes whose results were compressed. */
  readonly compressedResults: readonly number[]
  /** How many oldest turns were trimmed from the context. */
  readonly droppedTurns: number
  /** The exact transcript the model held (matches the backend state file, when there is one). */
  readonly transcript: readonly PromptPart[]
  /** ISO time of the save. */
  readonly savedAt: string
}

/** `sha256:` and the hex digest of the file's JSON without its `checksum` field, keys in the written order. */
function checksumOf(content: object): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(content)).digest('hex')}`
}

/** Writes a session file atomically: a temporary file next to it, then a rename (a crash never leaves half a file). */
export async function writeSessionFile(path: string, data: SessionFileData): Promise<void> {
  const temp = tempPathFor(path)
  try {
    const content = { ...data, version: SESSION_FILE_VERSION }
    await writeFile(temp, JSON.stringify({ ...content, checksum: checksumOf(content) }, null, 2) + '\n', 'utf8')
    await rename(temp, path)
  } catch (error) {
    await unlink(temp).catch(() => undefined)
    throw new SessionFileError(path, `Could not write the session file: ${describeError(error)}`, { cause: error })
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string')
const isPart = (value: unknown): value is PromptPart => isObject(value) && typeof value.text === 'string' && typeof value.trusted === 'boolean'

function isResult(value: unknown): boolean {
  if (!isObject(value) || typeof value.ok !== 'boolean' || typeof value.text !== 'string' || !isObject(value.call)) return false
  const call = value.call
  return typeof call.id === 'string' && typeof call.command === 'string' && typeof call.input === 'string'
}

function isTurn(value: unknown): value is TurnRecord {
  return (
    isObject(value) &&
    typeof value.human === 'string' &&
    typeof value.answer === 'string' &&
    Array.isArray(value.results) &&
    value.results.every(isResult) &&
    ['thought', 'commands', 'resultsText'].every((key) => value[key] === undefined || typeof value[key] === 'string')
  )
}

/** Why `data` is not a valid session, or `undefined` when it is. */
function problem(data: unknown): string | undefined {
  if (!isObject(data)) return 'not a JSON object'
  if (data.kind !== SESSION_FILE_KIND) return 'not a moss-agent session file'
  if (data.version !== SESSION_FILE_VERSION && data.version !== 1) return `unsupported version ${String(data.version)}`
  if (typeof data.id !== 'string' || !data.id) return 'missing id'
  if (typeof data.format !== 'string') return 'missing format'
  if (!isStringArray(data.enabledPlugins)) return 'enabledPlugins is not a list of names'
  if (!Array.isArray(data.turns) || !data.turns.every(isTurn)) return 'malformed turns'
  const turns = data.turns.length
  const indexes = data.compressedResults
  if (!Array.isArray(indexes) || !indexes.every((i) => Number.isInteger(i) && i >= 0 && i < turns)) return 'malformed compressedResults'
  const dropped = data.droppedTurns
  if (typeof dropped !== 'number' || !Number.isInteger(dropped) || dropped < 0 || dropped > turns) return 'malformed droppedTurns'
  if (!Array.isArray(data.transcript) || !data.transcript.every(isPart)) return 'malformed transcript'
  return undefined
}

/** Reads and validates a session file; anything wrong throws {@link SessionFileError} and leaves the file alone. */
export async function readSessionFile(path: string): Promise<SessionFileData> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new SessionFileError(path, `Cannot read the session file: ${describeError(error)}`, { cause: error })
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new SessionFileError(path, `The session file is not valid JSON: ${describeError(error)}`, { cause: error })
  }
  const why = problem(data)
  if (why) throw new SessionFileError(path, `Not a usable session file: ${why}`)
  const { checksum, ...content } = data as SessionFileData & { checksum?: unknown }
  if (content.version !== 1 && checksum !== checksumOf(content)) {
    throw new SessionFileError(path, 'The session file is damaged: its content does not match its checksum')
  }
  return content
}
