/** The structure a phrasing generator returns for one turn, before plugins run and the format renders it. */
import type { Lang } from './rng.js'

/** The MOSS commands the tiny model learns. */
export type MossCommand = 'Search' | 'Calculate' | 'Solve' | 'Text2Image'

/** A plugin the user registered (named in the meta instruction as `- {label}: enabled. API: {command}({argument})`). */
export interface CustomPlugin {
  readonly command: string
  readonly label: string
  readonly argument: string
}

/** One command the turn should call. */
export interface CallSpec {
  /** A MOSS command, or a custom plugin's. */
  readonly command: MossCommand | (string & {})
  readonly input: string
  /**
   * Result text for plugins that are synthesised rather than run (Search: JSON array of snippets; Text2Image: the
   * fixed success text). Calculate and Solve are run through the project's own plugins.
   */
  readonly synthetic?: string
  /** Text the answer must contain for Search (the fact in the snippet); Calculate/Solve use the real result. */
  readonly fact?: string
  /** The call fails with this error (tool-error dialogues). */
  readonly error?: string
}

/** One turn before rendering. */
export interface TurnSpec {
  /** `calculate`, `solve`, `search`, `image`, `chat`, `disabled`. */
  readonly kind: string
  readonly lang: Lang
  readonly human: string
  readonly thought: string
  readonly calls: readonly CallSpec[]
  /** Writes the answer from the results of `calls`, in order. */
  readonly answer: (results: readonly string[]) => string
  /** Commands that must be enabled for this turn (a `disabled` turn names the one that must be off). */
  readonly requires: readonly MossCommand[]
  /** For `disabled` turns: the command that must be disabled. */
  readonly disabledCommand?: MossCommand
  /** The answer when a call failed; defaults to a generic apology. */
  readonly onFailure?: () => string
  /** The custom plugin this turn calls. */
  readonly custom?: CustomPlugin
}
