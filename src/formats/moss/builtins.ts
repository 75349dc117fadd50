/**
 * MOSS's own plugin switch lines: the fixed order, labels and argument names of the SFT data. A plugin whose command
 * is one of these fills that slot; any other command is a custom plugin listed after the seven lines.
 */

/** One of MOSS's seven switch lines. */
export interface MossSwitch {
  /** Label as written in the meta instruction. */
  readonly label: string
  /** Command, when the capability is a callable plugin (`undefined` for inner thoughts and the unreleased ones). */
  readonly command?: string
  /** Argument name shown in `API: Command(argument)`. */
  readonly argument?: string
}

/** The seven switch lines, in MOSS's order. */
export const MOSS_SWITCHES: readonly MossSwitch[] = [
  { label: 'Inner thoughts' },
  { label: 'Web search', command: 'Search', argument: 'query' },
  { label: 'Calculator', command: 'Calculate', argument: 'expression' },
  { label: 'Equation solver', command: 'Solve', argument: 'equation' },
  { label: 'Text-to-image', command: 'Text2Image', argument: 'description' },
  { label: 'Image edition' },
  { label: 'Text-to-speech' },
]

/** Result order of MOSS's built-in commands; custom commands follow, in the order the model wrote them. */
export const MOSS_COMMAND_ORDER: readonly string[] = ['Search', 'Calculate', 'Solve', 'Text2Image']

/** Rank of a command in the result order. */
export function commandRank(command: string): number {
  const index = MOSS_COMMAND_ORDER.indexOf(command)
  return index === -1 ? MOSS_COMMAND_ORDER.length : index
}
