/**
 * The texts the model reads when a call is refused before it runs. Shared by every format, so that a model sees the
 * same wording whichever format it speaks.
 */
export const COMMAND_ERRORS = {
  unknown: (command: string, available: readonly string[]) =>
    `Unknown command "${command}". ${available.length ? `Available commands: ${available.join(', ')}.` : 'No commands are available.'}`,
  disabled: (command: string) => `Command "${command}" is disabled.`,
  overLimit: (max: number) => `Not run: at most ${max} commands per turn.`,
  malformed: () => `Malformed commands: write Name("argument"), several separated by ", ", or None.`,
  repeated: () => `Not run again: the same call with the same arguments was already answered in this turn; use that result.`,
  /** `argumentsKey`: the key the format's calls hold their arguments under (Llama 3: `parameters`). */
  invalidJson: (reason: string, argumentsKey = 'arguments') => `The tool call is not valid JSON (${reason}); write {"name": …, "${argumentsKey}": {…}}.`,
  /** For formats whose call is the tool's name on a line and its arguments on the next (GLM-4). */
  invalidArgumentsJson: (reason: string) =>
    `The tool call's arguments are not valid JSON (${reason}); write the tool's name on one line and its arguments as one JSON object {…} on the next.`,
  notLiteral: (reason: string) => `Arguments must be literals (strings, numbers, True/False/None, lists, dicts): ${reason}.`,
} as const
