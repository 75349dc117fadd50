/**
 * MOSS's markers, as data. `<eoh>` … `<eom>` are special tokens in MOSS's own tokenizer; the role markers and
 * citations are plain text. moss-agent detects all of them by text, never by token id.
 */

/** End-of-segment markers. */
export const MOSS_END = {
  human: '<eoh>',
  thought: '<eot>',
  commands: '<eoc>',
  results: '<eor>',
  answer: '<eom>',
} as const

/** Role markers that open each segment (the colon is part of the marker). */
export const MOSS_ROLE = {
  human: '<|Human|>:',
  thought: '<|Inner Thoughts|>:',
  commands: '<|Commands|>:',
  results: '<|Results|>:',
  answer: '<|MOSS|>:',
} as const

/** MOSS's bos/unk text token; never legitimate inside a turn. */
export const MOSS_ENDOFTEXT = '<|endoftext|>'

/** Every structural marker the stream scanner recognises (citations such as `<|1|>` are answer text). */
export const MOSS_STRUCTURAL_MARKERS: readonly string[] = [
  ...Object.values(MOSS_END),
  ...Object.values(MOSS_ROLE),
  MOSS_ENDOFTEXT,
]

/** What a plugin-enabled turn writes when nothing is called (SFT data). */
export const MOSS_NONE = 'None'

/** The whole results block of a plugin-enabled turn that called nothing. */
export const MOSS_EMPTY_RESULTS = `${MOSS_ROLE.results}\n${MOSS_NONE}\n${MOSS_END.results}\n`

/** The results block of a turn in history whose results were dropped (and of every turn without plugins). */
export const MOSS_DROPPED_RESULTS = `${MOSS_ROLE.results} ${MOSS_NONE}${MOSS_END.results}\n`

/** Thought, commands and results of a turn when no plugin is enabled (SFT data without plugins). */
export const MOSS_NO_PLUGIN_BLOCK =
  `${MOSS_ROLE.thought} ${MOSS_NONE}${MOSS_END.thought}\n` +
  `${MOSS_ROLE.commands} ${MOSS_NONE}${MOSS_END.commands}\n` +
  MOSS_DROPPED_RESULTS

/** The whole results block after a successful Text2Image call. */
export const MOSS_IMAGE_RESULTS = `${MOSS_ROLE.results} Image generated successfully.${MOSS_END.results}\n`

/** Most commands MOSS runs per turn (production limit). */
export const MOSS_MAX_COMMANDS = 4

/**
 * Longest argument the commands grammar lets a model write, in characters: a runaway argument is closed there
 * instead of running the generation out of tokens (no real command comes near it; the calculator takes 1,000 at most,
 * far more than any question needs).
 */
export const MOSS_MAX_ARGUMENT_CHARS = 300

/**
 * Token budget of a commands span the format forces after a thought that ran out of tokens. The forced span's grammar
 * is bounded to what this budget holds in the worst case (one call, an argument of up to 43 characters for
 * `Calculate`), so a grammar-constrained model always closes it with `<eoc>`; a span cut anyway (a smaller
 * per-generation budget, a backend without grammars) is closed as `None`.
 */
export const MOSS_FORCED_COMMANDS_TOKENS = 192

/** Most search hits per query (production limit). */
export const MOSS_MAX_SEARCH_HITS = 3

/** Longest rendered snippet (after quoting), in characters. */
export const MOSS_SNIPPET_LIMIT = 400
