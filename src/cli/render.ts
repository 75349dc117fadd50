/**
 * Renders a turn's events on a terminal: the answer streams as plain text, inner thoughts dimmed (or hidden),
 * tool calls and results as one compact line each, image paths printed (inline on terminals that can show them).
 */
import type { AgentEvent } from '../index.js'
import { inlineImageSequence } from './inline-image.js'
import { truncateToWidth } from './text-width.js'

/** ANSI styles, as data. */
const STYLE = {
  dim: ['\x1b[2m', '\x1b[22m'],
  red: ['\x1b[31m', '\x1b[39m'],
  cyan: ['\x1b[36m', '\x1b[39m'],
  yellow: ['\x1b[33m', '\x1b[39m'],
} as const

/** What MOSS writes as its thought when it has none: not worth showing. */
const EMPTY_THOUGHT = 'None'

/** Glyphs that mark the compact lines. */
const MARK = { call: '→', result: '←', error: '✗', image: '🖼', aborted: '⏹' } as const

/** A stream the renderer writes to. */
export interface RenderTarget {
  write(text: string): unknown
}

/** Options of {@link EventRenderer}. */
export interface RenderOptions {
  /** Use ANSI colours and dimming. Defaults to `false`. */
  color?: boolean
  /** Show inner thoughts. Defaults to `true`. */
  thoughts?: boolean
  /** Terminal width used to cut tool lines. Defaults to `80`. */
  columns?: number
  /** Emit inline-image escape sequences (iTerm2 protocol). Defaults to `false`. */
  inlineImages?: boolean
  /**
   * Receives the first line of each turn error instead of the output (`moss run` sends it to stderr, so a failed
   * answer never lands in the answer text). Defaults to none: errors are written to the output as a red line.
   */
  onError?: (message: string) => void
}

type Section = 'none' | 'thought' | 'answer' | 'line'

/** Writes the events of turns to a terminal. One instance per REPL; `thoughts` may be toggled between turns. */
export class EventRenderer {
  /** Whether thoughts are shown. */
  thoughts: boolean
  readonly #out: RenderTarget
  readonly #color: boolean
  readonly #columns: number
  readonly #inlineImages: boolean
  readonly #onError: ((message: string) => void) | undefined
  #section: Section = 'none'
  #atLineStart = true
  /** An error was shown in this turn (an aborted flag that follows it says nothing new). */
  #errored = false
  /** Thought text held back while it could still be just the empty thought, `None`. */
  #heldThought = ''

  constructor(out: RenderTarget, options: RenderOptions = {}) {
    this.#out = out
    this.#color = options.color ?? false
    this.thoughts = options.thoughts ?? true
    this.#columns = Math.max(20, options.columns ?? 80)
    this.#inlineImages = options.inlineImages ?? false
    this.#onError = options.onError
  }

  /** Renders one event. */
  render(event: AgentEvent): void {
    switch (event.type) {
      case 'turn-start':
        this.#section = 'none'
        this.#errored = false
        return
      case 'thought-delta':
        if (!this.thoughts || event.text === '') return
        this.#thought(event.text)
        return
      case 'text-delta':
        if (event.text === '') return
        this.#enter('answer')
        this.#write(event.text)
        return
      case 'tool-call':
        this.#line(this.#style('cyan', `${MARK.call} ${event.name}(${JSON.stringify(event.input)})`), 'dim')
        return
      case 'tool-result':
        this.#line(`${MARK.result} ${event.output}`, 'dim')
        return
      case 'tool-error':
        this.#line(`${MARK.error} ${event.name}: ${event.error.message}`, 'yellow')
        return
      case 'image':
        this.#line(`${MARK.image} ${event.path}`)
        if (this.#inlineImages) this.#write(inlineImageSequence(event.path) ?? '')
        return
      case 'history-compressed':
        this.#line(`(history shortened: ${event.turnsDropped} old turns, ${event.resultsDropped} results dropped)`, 'dim')
        return
      case 'error': {
        // Errors are shown whole (first line): cutting them would hide the part that explains them.
        const message = event.error.message.split('\n')[0] ?? ''
        this.#errored = true
        if (this.#onError) {
          this.#endLine()
          this.#onError(message)
          return
        }
        this.#line(`error: ${message}`, 'red', false)
        return
      }
      case 'turn-finish':
        if (event.aborted && !this.#errored) this.#line(`${MARK.aborted} aborted`, 'yellow')
        this.#endLine()
        this.#section = 'none'
        return
    }
  }

  /** Streams thought text, holding back a prefix of the empty thought until it is decided. */
  #thought(text: string): void {
    if (this.#section !== 'thought') this.#heldThought = ''
    this.#enter('thought')
    const pending = this.#heldThought + text
    if (this.#heldThought !== '' || this.#atThoughtStart) {
      const trimmed = pending.trimStart()
      if (EMPTY_THOUGHT.startsWith(trimmed)) {
        this.#heldThought = pending
        return
      }
    }
    this.#heldThought = ''
    this.#atThoughtStart = false
    this.#write(this.#style('dim', pending))
  }

  #atThoughtStart = true

  /** Ends the current line if something is pending on it. */
  #endLine(): void {
    if (!this.#atLineStart) this.#write('\n')
  }

  #enter(section: 'thought' | 'answer'): void {
    if (this.#section !== section) {
      // A held-back thought that ended as exactly `None` is dropped; anything else was held too long: nothing is.
      this.#heldThought = ''
      this.#atThoughtStart = section === 'thought'
      this.#endLine()
    }
    this.#section = section
  }

  /** One compact line, cut to the terminal width (wide characters counted as two columns). */
  #line(text: string, style?: keyof typeof STYLE, cut = true): void {
    this.#endLine()
    const shown = cut ? truncateToWidth(`  ${text}`, this.#columns - 1) : `  ${text}`
    this.#write(`${style ? this.#style(style, shown) : shown}\n`)
    this.#section = 'line'
  }

  #style(name: keyof typeof STYLE, text: string): string {
    if (!this.#color) return text
    const [open, close] = STYLE[name]
    return `${open}${text}${close}`
  }

  #write(text: string): void {
    if (text === '') return
    this.#out.write(text)
    this.#atLineStart = text.endsWith('\n')
  }
}
