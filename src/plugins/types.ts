/**
 * The plugin contract shared by every dialogue format. MOSS calls a plugin with one string (`Calculate("2+3")`);
 * JSON-argument formats pass the value described by `parameters`, converted to the same string input.
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
  /** The text the model sees as the result. */
  readonly text: string
  /** Images produced by the call. */
  readonly images?: readonly GeneratedImage[]
}

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

/** What `definePlugin` takes. */
export interface PluginDefinition {
  /** Unique plugin name, e.g. `calculator`. */
  readonly name: string
  /**
   * The command the model writes, e.g. `Calculate`: a word of letters, digits and `_`. The MOSS built-in commands
   * (`Search`, `Calculate`, `Solve`, `Text2Image`) fill MOSS's own switch lines; a custom plugin using one of them
   * replaces the built-in.
   */
  readonly command: string
  /** One line saying what the plugin does (used by formats that list tools). */
  readonly description: string
  /**
   * JSON schema of the input, an object with one string property (its name is the argument name shown in MOSS's
   * `API: Command(argument)`). Defaults to `{ type: 'object', properties: { input: { type: 'string' } } }`.
   */
  readonly parameters?: JsonSchema
  /** Label of the MOSS switch line for a custom plugin (`- {label}: enabled. API: …`). Defaults to `name`. */
  readonly label?: string
  /** Whether the plugin is enabled; a disabled plugin is listed as `disabled.` and never called. Defaults to `true`. */
  readonly enabled?: boolean
  /**
   * Why the plugin cannot run here (e.g. `no image backend is configured`). Such a plugin should also be
   * `enabled: false`; `session.setPluginEnabled(name, true)` refuses it with a ConfigError giving this reason.
   * Defaults to none (available).
   */
  readonly unavailable?: string
  /** Per-call timeout in milliseconds. Defaults to the agent's plugin timeout (30 s). */
  readonly timeoutMs?: number
  /** Configuration handed to `run` as `ctx.config`. */
  readonly config?: Readonly<Record<string, unknown>>
  /** Runs one call. Resolves to the result text, or text plus images. */
  run(input: string, ctx: PluginContext): Promise<string | PluginOutput> | string | PluginOutput
  /** Frees resources (child processes, indexes). Called by `agent.dispose()`. */
  dispose?(): Promise<void> | void
}

/** A defined plugin. `run` may be called directly, without a context, from a script. */
export interface Plugin extends Omit<PluginDefinition, 'run' | 'parameters' | 'label' | 'enabled' | 'config'> {
  /** The definition's `parameters`, or the default one-string-property schema. */
  readonly parameters: JsonSchema
  /** The definition's `label`, or `name`. */
  readonly label: string
  /** The definition's `enabled`, or `true`. */
  readonly enabled: boolean
  /** The definition's `config`, or `{}`. */
  readonly config: Readonly<Record<string, unknown>>
  /** The name of the single string argument (from `parameters`). */
  readonly argument: string
  /** Runs one call; a missing `ctx` field gets a default (a never-aborting signal, a silent logger, `config`). */
  run(input: string, ctx?: Partial<PluginContext>): Promise<PluginOutput>
}
