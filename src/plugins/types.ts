/**
 * The plugin contract shared by every dialogue format. A plugin declares its arguments as JSON Schema
 * (`parameters`); `run` receives them parsed and validated. A single-string plugin (no `parameters`, or an object
 * schema with exactly one string property) receives that string, whichever format called it (MOSS's
 * `Calculate("2+3")` or a native `{"expression": "2+3"}`); any other plugin receives the validated object.
 */

/** Minimal structured logger handed to plugins. */
export interface PluginLogger {
  /** Detail useful only while developing a plugin. */
  debug(message: string, data?: Record<string, unknown>): void
  /** Normal progress worth a line in a log. */
  info(message: string, data?: Record<string, unknown>): void
  /** Something went wrong but the call still produced a result (a fallback, a retry). */
  warn(message: string, data?: Record<string, unknown>): void
  /** The call failed. */
  error(message: string, data?: Record<string, unknown>): void
}

/** What a plugin's `run` receives besides its input. */
export interface PluginContext {
  /** Fires when the turn is aborted or the plugin's timeout expires: stop work and reject. */
  readonly signal: AbortSignal
  /** Logger scoped to the plugin. */
  readonly log: PluginLogger
  /** The plugin's configuration as given at registration (empty object when none). */
  readonly config: Readonly<Record<string, unknown>>
  /** Reports progress of a long call; the agent streams it as a `tool-progress` event. Defaults to a no-op. */
  readonly progress: (update: PluginProgress) => void
}

/** Progress of a running call (as MCP's `notifications/progress` carries it). */
export interface PluginProgress {
  /** Work done so far; increases with every report. */
  readonly progress: number
  /** Total work, when known. */
  readonly total?: number
  /** One line about the current step. */
  readonly message?: string
}

/** An image a plugin produced, already written to disk. */
export interface GeneratedImage {
  /** Absolute path of the image file. */
  readonly path: string
  /** MIME type detected from the file's magic bytes. */
  readonly mimeType: string
}

/** A plugin result with attachments. */
export interface PluginOutput {
  /** The text the model sees as the result (formats that need structure may render `data` instead). */
  readonly text: string
  /** Images produced by the call. */
  readonly images?: readonly GeneratedImage[]
  /**
   * Structured result (JSON-serialisable), e.g. `{ hits: [...] }` from Search or an MCP tool's structured content.
   * Each format renders what it needs: MOSS numbers search hits from it; native formats show `text`, or the JSON of
   * `data` when `text` is empty.
   */
  readonly data?: unknown
}

/** What a plugin's `run` may receive: the string of a single-string plugin, or the validated arguments object. */
export type PluginInput = string | Readonly<Record<string, unknown>>

/** A JSON Schema object (the subset used to describe plugin parameters). */
export type JsonSchema = {
  /** JSON type name(s): `'object'`, `'string'`, … Absent means any type. */
  readonly type?: string | readonly string[]
  /** Shown to the model by formats that list tool schemas. */
  readonly description?: string
  /** Schemas of an object's properties, by name. */
  readonly properties?: Readonly<Record<string, JsonSchema>>
  /** Names of the properties that must be present. Defaults to none. */
  readonly required?: readonly string[]
  /** The only allowed values. */
  readonly enum?: readonly unknown[]
  /** Schema of an array's elements. */
  readonly items?: JsonSchema
  /** Any other JSON Schema keyword, passed through unchanged. */
  readonly [key: string]: unknown
}

/**
 * What `definePlugin` takes. `TInput` is what `run` receives: `string` for a single-string plugin (the default), the
 * arguments object for any other.
 */
export interface PluginDefinition<TInput extends PluginInput = string> {
  /** Unique plugin name, e.g. `calculator`, `get-sum`, `math.factorial`: 1–64 characters of `[A-Za-z0-9_.-]`. */
  readonly name: string
  /**
   * The tool name the model writes, e.g. `Calculate`: 1–64 characters of `[A-Za-z0-9_.-]`. Native formats use it as
   * the function name; MOSS maps a command that is not an identifier to a legal one (shown in its meta
   * instruction). The MOSS built-in commands (`Search`, `Calculate`, `Solve`, `Text2Image`) fill MOSS's own switch
   * lines; a custom plugin using one of them replaces the built-in. Defaults to `name`.
   */
  readonly command?: string
  /** One line saying what the plugin does (used by formats that list tools). */
  readonly description: string
  /**
   * JSON Schema of the arguments (an object schema). With exactly one string property, the plugin is a
   * single-string plugin: `run` receives that string and the property's name is the argument shown in MOSS's
   * `API: Command(argument)`. With anything else `run` receives the validated object, and MOSS calls it with one
   * JSON object argument. Defaults to `{ type: 'object', properties: { input: { type: 'string' } }, required: ['input'] }`.
   */
  readonly parameters?: JsonSchema
  /** Label of the MOSS switch line for a custom plugin (`- {label}: enabled. API: …`). Defaults to `name`. */
  readonly label?: string
  /**
   * Whether the plugin is enabled; a disabled plugin is listed as `disabled.` and never called. Defaults to `true`,
   * or `false` when the plugin is `unavailable` (which wins over `enabled: true`).
   */
  readonly enabled?: boolean
  /**
   * Why the plugin cannot run here (e.g. `no image backend is configured`). Such a plugin starts disabled, and
   * `session.setPluginEnabled(name, true)` refuses it with a ConfigError giving this reason. Defaults to none
   * (available).
   */
  readonly unavailable?: string
  /** Per-call timeout in milliseconds. Defaults to the agent's plugin timeout (30 s). */
  readonly timeoutMs?: number
  /** Configuration handed to `run` as `ctx.config`. */
  readonly config?: Readonly<Record<string, unknown>>
  /** Runs one call with validated arguments. Resolves to the result text, or text plus images and data. */
  run(input: TInput, ctx: PluginContext): Promise<string | PluginOutput> | string | PluginOutput
  /** Frees resources (child processes, indexes). Called by `agent.dispose()`. */
  dispose?(): Promise<void> | void
}

/** Why arguments were refused, or the input `run` receives. */
export type PreparedInput = { readonly ok: true; readonly input: PluginInput } | { readonly ok: false; readonly reason: string }

/** A defined plugin. `run` may be called directly, without a context, from a script. */
export interface Plugin extends Omit<PluginDefinition, 'run' | 'command' | 'parameters' | 'label' | 'enabled' | 'config'> {
  /** The definition's `command`, or `name`. */
  readonly command: string
  /** The definition's `parameters`, or the default one-string-property schema. */
  readonly parameters: JsonSchema
  /** The definition's `label`, or `name`. */
  readonly label: string
  /** The definition's `enabled`, or `true`; always `false` when `unavailable`. */
  readonly enabled: boolean
  /** The definition's `config`, or `{}`. */
  readonly config: Readonly<Record<string, unknown>>
  /** The name of the single string argument (from `parameters`); `input` for a structured plugin. */
  readonly argument: string
  /** `true` when `run` receives one string (see {@link PluginDefinition.parameters}), `false` for an object. */
  readonly takesString: boolean
  /**
   * Parses and validates call arguments against `parameters`: a string (a single-string plugin's value, or a JSON
   * object's text for a structured one) or an arguments object. Never throws.
   */
  prepare(args: unknown): PreparedInput
  /**
   * Runs one call: the arguments (as for {@link Plugin.prepare}) are validated first, and refused with an
   * InvalidInputError naming the reason. A missing `ctx` field gets a default (a never-aborting signal, a silent
   * logger, `config`).
   */
  run(args: unknown, ctx?: Partial<PluginContext>): Promise<PluginOutput>
}
