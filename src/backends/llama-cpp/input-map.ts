/**
 * A model's input map: characters its vocabulary lacks, read as the plain text it was trained on, before tokenizing.
 *
 * Why: a small vocabulary learned on its own data (the bundled tiny model's 4,096 pieces) has no token for `３`, `＋`,
 * `×` or `²`; they reach the model as two or three byte tokens each, and a 3 M-parameter model does not learn to read
 * those as the digits and operators it knows (`３×４÷２ 等于多少？` became `Calculate("716/84")`). SentencePiece
 * models usually normalise such text themselves (its default rule is NFKC); llama.cpp's tokenizer does not, so the
 * model file carries the map and the backend applies it to every part it tokenizes. Only a model that declares one
 * (the GGUF key {@link INPUT_MAP_KEY}) is affected: the native formats of other models stay byte-exact.
 *
 * A map is data from a model file, so it is checked: each key is one character and each value a few characters of
 * plain ASCII with no `<`, `>`, `|`, brackets or backslash, so that no mapped text can spell a role marker or a
 * special token that untrusted text was not allowed to contain.
 */
import { ModelLoadError } from '../../errors.js'

/** The GGUF metadata key holding the map, a JSON object of one-character keys to replacement strings. */
export const INPUT_MAP_KEY = 'moss.tokenizer.input_map'

/** A character's replacement: at most 4 characters of ASCII letters, digits, spaces and arithmetic signs. */
const SAFE_VALUE = /^[0-9A-Za-z +\-*/^=().,%!?:;'"#$&@_~]{1,4}$/

/** A character → replacement map. */
export type InputMap = ReadonlyMap<string, string>

/**
 * The map a model's metadata declares (node-llama-cpp's nested `fileInfo.metadata`), `undefined` when it declares
 * none. Throws ModelLoadError for a map that is not valid JSON or holds an entry outside the rules above.
 */
export function readInputMap(metadata: unknown, modelPath: string): InputMap | undefined {
  const raw = (metadata as { moss?: { tokenizer?: { input_map?: unknown } } } | undefined)?.moss?.tokenizer?.input_map
  if (raw === undefined) return undefined
  const fail = (why: string): never => {
    throw new ModelLoadError('other', `${modelPath}: the metadata key ${INPUT_MAP_KEY} ${why}`)
  }
  if (typeof raw !== 'string') return fail('is not a string')
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    return fail('is not valid JSON')
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return fail('is not a JSON object')
  const map = new Map<string, string>()
  for (const [from, to] of Object.entries(parsed as Record<string, unknown>)) {
    if ([...from].length !== 1) fail(`has a key that is not one character: ${JSON.stringify(from)}`)
    if (typeof to !== 'string' || !SAFE_VALUE.test(to)) fail(`maps ${JSON.stringify(from)} to ${JSON.stringify(to)}, which is not plain ASCII text`)
    map.set(from, to as string)
  }
  return map
}

/** `text` with every character of the map replaced. */
export function applyInputMap(text: string, map: InputMap): string {
  let out = ''
  let changed = false
  for (const ch of text) {
    const to = map.get(ch)
    if (to === undefined) out += ch
    else {
      out += to
      changed = true
    }
  }
  return changed ? out : text
}
