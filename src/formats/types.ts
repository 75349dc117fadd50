/**
 * A dialogue format turns the conversation into model text and the model's text back into structure. MOSS is
 * the default; ChatML/Hermes `<tool_call>` and ChatGLM3 sit beside it behind the same interface.
 *
 * The agent never renders the whole conversation on the hot path: it appends the parts a format returns for
 * each step and keeps the transcript it sent. Whole-history rendering (`renderHistory`) is only used to rebuild
 * a transcript (load, compression, repair).
 */
import type { ConstrainedSpan, GenerateOutcome, PromptPart } from '../prompt.js'
import type { GeneratedImage, Plugin } from '../plugins/types.js'

/** The plugins a format sees: every registered plugin, each with its `enabled` flag. */
export type FormatPlugins = readonly Plugin[]

/** A tool call parsed from model output. */
export interface ToolCall {
  /** Unique within the session (`call_1`, `call_2`, …). */
  readonly id: string
  /** The plugin's command, e.g. `Calculate`, `get-sum` (MOSS maps its legal command names back to this). */
  readonly command: string
  /** The arguments as displayed: a single-string plugin's string, else the arguments' JSON text. */
  readonly input: string
  /**
   * The parsed arguments, validated against the plugin's `parameters` before `run`. Absent when `input` is the
   * whole argument (MOSS's `Cmd("…")`, a single-string call).
   */
  readonly arguments?: Readonly<Record<string, unknown>>
}

/** The outcome of one tool call, as the format renders it for the model. */
export interface ToolResult {
  readonly call: ToolCall
  /** `ok: false` for errors (plugin threw, timed out, unknown or disabled command). */
  readonly ok: boolean
  /** Result text (or error text) the model sees. */
  readonly text: string
  /** Images the call produced. */
  readonly images?: readonly GeneratedImage[]
  /** Structured result (see `PluginOutput.data`); each format renders what it needs from it. */
  readonly data?: unknown
}

/** A piece of model output classified by the scanner. */
export type ScanEvent =
  | { readonly kind: 'thought'; readonly text: string }
  | { readonly kind: 'commands'; readonly text: string }
  | { readonly kind: 'answer'; readonly text: string }
  /** The output went off-format (e.g. a wrong end marker after the commands): stop generating now. */
  | { readonly kind: 'halt' }

/**
 * Splits streamed model output into sections. Never emits part of a marker, and never emits a trailing partial
 * UTF-8 sequence (U+FFFD): such text is held back until the next chunk or `end()` decides it.
 */
export interface StreamScanner {
  push(chunk: string): ScanEvent[]
  /** Flushes what was held back once the generation ended. */
  end(): ScanEvent[]
}

/** One model generation of a turn. */
export interface GenerationStep {
  /** Stop markers of this generation. */
  readonly stop: readonly string[]
  /** Grammar-constrained span, when the format has one and constraining is on. */
  readonly constrain?: ConstrainedSpan
  /** Most tokens this generation needs, when less than the agent's per-generation budget (a short forced span). */
  readonly maxTokens?: number
  /** Classifies this generation's output. */
  readonly scanner: StreamScanner
}

/** What to do after a generation ended. */
export type StepDecision =
  /** Run these calls (already validated against the enabled plugins), then call `results`. */
  | {
      readonly type: 'calls'
      readonly calls: readonly ToolCall[]
      /** Calls the format refused (unknown/disabled command, over the limit) with the error the model will see. */
      readonly rejected: readonly ToolResult[]
      /**
       * When set, the generated text of this step is replaced by this text in the transcript (repair of a wrong
       * end marker, commands rewritten to those actually run).
       */
      readonly rewrite?: string
    }
  /** Append `parts` and run `step` (e.g. MOSS with `Commands: None`: the empty results block and `<|MOSS|>:`). */
  | { readonly type: 'continue'; readonly parts: readonly PromptPart[]; readonly step: GenerationStep; readonly rewrite?: string }
  /** The turn is over. `parts` are appended to close it (may be empty); `answer` is the final answer text. */
  | { readonly type: 'done'; readonly answer: string; readonly parts: readonly PromptPart[]; readonly rewrite?: string }

/** Steers the generations of one turn. Created by `DialogueFormat.beginTurn`. */
export interface TurnDriver {
  /** The first generation of the turn. */
  readonly firstStep: GenerationStep
  /** Called with the full text of a finished generation (without the stop marker) and why it ended. */
  afterGeneration(text: string, outcome: GenerateOutcome): StepDecision
  /** Renders the results of the calls from the last `calls` decision; returns the parts to append and the next step. */
  results(results: readonly ToolResult[]): { readonly parts: readonly PromptPart[]; readonly step: GenerationStep }
  /** The structured record of the turn so far (complete once `done` was returned). */
  record(): TurnRecord
}

/** A finished turn, as stored in session files and used to rebuild transcripts. */
export interface TurnRecord {
  /** What the user really wrote (never neutralised). */
  readonly human: string
  /** Inner thoughts (MOSS), or reasoning text; `undefined` when the format has none. */
  readonly thought?: string
  /** Commands text as the model wrote it, after repair (`None` when nothing was called). */
  readonly commands?: string
  /** The calls that ran and their results, in the order the format writes them. */
  readonly results: readonly ToolResult[]
  /**
   * The results block exactly as it was sent to the model (so history can be rebuilt byte-for-byte);
   * `undefined` for formats that render results from `results`.
   */
  readonly resultsText?: string
  /** The final answer. */
  readonly answer: string
}

/** Options shared by formats. */
export interface FormatOptions {
  /** Constrain command spans with a grammar where the backend supports it. Defaults to `true`. */
  readonly constrainCommands?: boolean
  /** Meta-instruction language for MOSS: `en` (as trained) or `zh`. Defaults to `en`. */
  readonly language?: 'en' | 'zh'
  /** Appends `- Current date: YYYY-MM-DD.` to MOSS's meta instruction (as MOSS's production server did). */
  readonly date?: string
  /**
   * The system message of native formats (Qwen, Hermes, …). Defaults to none, where the template then writes its own
   * default (Qwen2.5: `You are Qwen, created by Alibaba Cloud. …`).
   */
  readonly system?: string
  /** Template variant of a native format: `qwen3` (default of `qwen`: reasoning blocks) or `qwen2.5`. */
  readonly variant?: 'qwen3' | 'qwen2.5'
  /** Most tool-call rounds per turn in native formats (MOSS has one). Defaults to 5. */
  readonly maxToolRounds?: number
}

/** How much history to compress. */
export interface CompressionRequest {
  /** Replace old results blocks with the format's empty form (MOSS: `<|Results|>: None<eor>`). */
  readonly dropResults: boolean
  /** Remove this many whole oldest turns. */
  readonly dropTurns: number
}

/** A dialogue format. */
export interface DialogueFormat {
  /** `moss`, `qwen`, `hermes`, `chatml`, `chatglm3`, … */
  readonly name: string
  /** Text of the BOS token the model's template starts with; backends add the token themselves. */
  readonly bos?: string
  /**
   * `true` when the template renders earlier turns differently from how they were generated (Qwen3 drops their
   * reasoning): the agent re-renders the history from the records at the start of each turn, and the backend keeps
   * its KV cache up to the first changed token. Defaults to `false`.
   */
  readonly rewritesHistory?: boolean
  /** The conversation prefix: meta instruction / system prompt with the plugin list. */
  renderSystem(plugins: FormatPlugins): PromptPart[]
  /**
   * Starts a turn: the parts to append (human text, untrusted and neutralised, plus the prefill of the first
   * generation) and the driver of its generations. `previous` is the number of turns already in the transcript.
   */
  beginTurn(human: string, plugins: FormatPlugins, previous: number): { readonly parts: readonly PromptPart[]; readonly driver: TurnDriver }
  /**
   * Renders a whole transcript from records (system prefix included), as it would have been sent. Turns listed in
   * `compressedResults` (indexes) have their results replaced by the format's empty form.
   */
  renderHistory(plugins: FormatPlugins, turns: readonly TurnRecord[], options?: { readonly compressedResults?: ReadonlySet<number> }): PromptPart[]
}
