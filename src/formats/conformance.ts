/**
 * Conformance of the MOSS format against MOSS SFT samples: each sample's exact training text is parsed back into
 * structure (meta instruction → plugins, turns → records) and rendered again; the result must be byte-identical.
 *
 * Sample file format (MOSS SFT data): JSON with `meta_instruction`, `num_turns` and
 * `chat.turn_N.{Human, Inner Thoughts, Commands, Tool Responses, MOSS}`, each field already holding its markers, so
 * the training text is the meta instruction followed by every field of every turn, in that order.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describeError } from '../errors.js'
import { definePlugin } from '../plugins/define-plugin.js'
import type { Plugin } from '../plugins/types.js'
import { MOSS_SWITCHES } from './moss/builtins.js'
import { createMossFormat } from './moss/format.js'
import { parseMossMeta } from './moss/meta.js'
import { parseMossTranscript } from './moss/parse-transcript.js'
import { renderMossResults } from './moss/results.js'

/** The fields of a sample turn, in training order. */
export const MOSS_SAMPLE_FIELDS = ['Human', 'Inner Thoughts', 'Commands', 'Tool Responses', 'MOSS'] as const

/** The exact training text of a sample (parsed JSON). Throws a `TypeError` on a malformed sample. */
export function mossSampleText(sample: unknown): string {
  const s = sample as { meta_instruction?: unknown; chat?: Record<string, Record<string, unknown>> }
  if (typeof s?.meta_instruction !== 'string' || typeof s.chat !== 'object' || s.chat === null) {
    throw new TypeError('not a MOSS SFT sample (needs meta_instruction and chat)')
  }
  const turns = Object.keys(s.chat)
    .filter((k) => /^turn_\d+$/.test(k))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)))
  let text = s.meta_instruction
  for (const key of turns) {
    const turn = s.chat[key] ?? {}
    for (const field of MOSS_SAMPLE_FIELDS) {
      const value = turn[field]
      if (typeof value !== 'string') throw new TypeError(`${key} has no string field "${field}"`)
      text += value
    }
  }
  return text
}

/** Stub plugins matching a meta instruction's switch lines (enabled built-ins and custom lines). */
export function pluginsFromMossMeta(meta: string): Plugin[] | undefined {
  const parsed = parseMossMeta(meta)
  if (!parsed) return undefined
  const builtinLabels = new Set(MOSS_SWITCHES.map((s) => s.label))
  const plugins: Plugin[] = []
  for (const line of parsed.lines) {
    const custom = !builtinLabels.has(line.label)
    // Built-in lines only need a plugin when they are callable and on (the others are fixed text).
    if (!custom && (!line.enabled || line.command === undefined)) continue
    const command = line.command ?? line.label.replace(/\W/g, '_')
    const argument = line.argument || 'input'
    plugins.push(
      definePlugin({
        name: custom ? line.label.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64) : command.toLowerCase(),
        command,
        label: line.label,
        description: line.label,
        enabled: line.enabled,
        parameters: { type: 'object', properties: { [argument]: { type: 'string' } }, required: [argument] },
        run: () => '',
      }),
    )
  }
  return plugins
}

/** Outcome of one sample. */
export interface ConformanceResult {
  readonly ok: boolean
  /** First differing offset (UTF-16 units) when not byte-exact. */
  readonly offset?: number
  /** Why the sample could not be checked at all. */
  readonly error?: string
  /** Results blocks that re-render exactly from the parsed tool results alone (without the stored block text). */
  readonly resultsExact: number
  /** Results blocks checked that way. */
  readonly resultsTotal: number
}

function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return i
  return n
}

/** Parses a training text and renders it again from structure; compares byte for byte. */
export function checkMossText(text: string): ConformanceResult {
  try {
    const transcript = parseMossTranscript(text)
    const meta = parseMossMeta(transcript.meta)
    const plugins = pluginsFromMossMeta(transcript.meta)
    if (!meta || !plugins) return { ok: false, offset: 0, error: 'meta instruction has no switch lines', resultsExact: 0, resultsTotal: 0 }
    const format = createMossFormat({ metaBase: meta.base, ...(meta.date !== undefined ? { date: meta.date } : {}) })
    const packaged = createMossFormat(meta.date !== undefined ? { date: meta.date } : {})
    const records = transcript.turns.map((t) => t.record)
    const rendered = format.renderHistory(plugins, records).map((p) => p.text).join('')
    // The base text must also be the packaged prompt: render the meta with it and compare.
    const packagedMeta = packaged.renderSystem(plugins).map((p) => p.text).join('')
    let resultsExact = 0
    let resultsTotal = 0
    for (const turn of transcript.turns) {
      if (turn.record.results.length === 0) continue
      resultsTotal++
      if (renderMossResults(turn.record.results).text === turn.resultsBlock) resultsExact++
    }
    const exact = rendered === text && packagedMeta === transcript.meta
    const offset = rendered !== text ? firstDifference(rendered, text) : firstDifference(packagedMeta, transcript.meta)
    return { ok: exact, ...(exact ? {} : { offset }), resultsExact, resultsTotal }
  } catch (error) {
    return { ok: false, offset: 0, error: describeError(error), resultsExact: 0, resultsTotal: 0 }
  }
}

/** Checks one parsed sample. */
export function checkMossSample(sample: unknown): ConformanceResult {
  let text: string
  try {
    text = mossSampleText(sample)
  } catch (error) {
    return { ok: false, offset: 0, error: describeError(error), resultsExact: 0, resultsTotal: 0 }
  }
  return checkMossText(text)
}

/** Every `.json` file under `dir`, recursively, sorted. */
export async function findSampleFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  const entries = await readdir(dir, { withFileTypes: true })
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await findSampleFiles(path)))
    else if (entry.isFile() && entry.name.endsWith('.json')) out.push(path)
  }
  return out
}

/** Totals of a conformance run. */
export interface ConformanceReport {
  readonly passed: number
  readonly total: number
  readonly failures: readonly { readonly file: string; readonly offset?: number; readonly error?: string }[]
  readonly resultsExact: number
  readonly resultsTotal: number
}

/** Checks every sample under `dir`. */
export async function runMossConformance(dir: string): Promise<ConformanceReport> {
  const files = await findSampleFiles(dir)
  let passed = 0
  let resultsExact = 0
  let resultsTotal = 0
  const failures: { file: string; offset?: number; error?: string }[] = []
  for (const file of files) {
    let result: ConformanceResult
    try {
      result = checkMossSample(JSON.parse(await readFile(file, 'utf8')))
    } catch (error) {
      result = { ok: false, error: describeError(error), resultsExact: 0, resultsTotal: 0 }
    }
    resultsExact += result.resultsExact
    resultsTotal += result.resultsTotal
    if (result.ok) passed++
    else failures.push({ file, ...(result.offset !== undefined ? { offset: result.offset } : {}), ...(result.error !== undefined ? { error: result.error } : {}) })
  }
  return { passed, total: files.length, failures, resultsExact, resultsTotal }
}
