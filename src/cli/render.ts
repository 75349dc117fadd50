/**
 * Renders a turn's events on a terminal: the answer streams as plain text, inner thoughts dimmed (or hidden),
 * tool calls and results as one compact line each, image paths printed (inline on terminals that can show them).
 */
import type { AgentEvent } from '../index.js'
import { CitationFilter } from './citations.js'
import { createColors } from './colors.js'
import type { Colors } from './colors.js'
import { errorHint, messageWithCauses } from './error-line.js'
import { inlineImageSequence } from './inline-image.js'
import { truncateToWidth } from './text-width.js'

/** The styles the renderer uses (picocolors names). */
type Style = 'dim' | 'red' | 'cyan' | 'yellow'

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
  /** Use ANSI colours and dimming (the caller decides, see `colorEnabled`). Defaults to `false`. */
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
  readonly #colors: Colors
  readonly #columns: number
  readonly #inlineImages: boolean
  readonly #onError: ((message: string) => void) | undefined
  #section: Section = 'none'
  #atLineStart = true
  /** An error was shown in this turn (an aborted flag that follows it says nothing new). */
  #errored = false
  /** Thought text held back while it could still be just the empty thought, `None`. */
  #heldThought = ''
  /** Citation markup of the answer, rendered as `[N]`. */
  #citations = new CitationFilter()
  /** History shortening during this turn, summed: reported once, at the end of the turn. */
  #shortened = { turnsDropped: 0, resultsDropped: 0 }

  constructor(out: RenderTarget, options: RenderOptions = {}) {
    this.#out = out
    this.#colors = createColors(options.color ?? false)
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
        this.#citations = new CitationFilter()
        this.#shortened = { turnsDropped: 0, resultsDropped: 0 }
        return
      case 'thought-delta':
        if (!this.thoughts || event.text === '') return
        this.#thought(event.text)
        return
      case 'text-delta':
        if (event.text === '') return
        this.#enter('answer')
        this.#write(this.#citations.push(event.text))
        return
      case 'tool-call':
        this.#line(`${MARK.call} ${event.name}(${JSON.stringify(event.input)})`, 'cyan')
        return
      case 'tool-result':
        this.#line(`${MARK.result} ${event.output}`, 'dim')
        return
      case 'tool-error':
        // The model sees the plugin's message (MOSS's `No calculation results.`); the person also gets the cause.
        this.#line(`${MARK.error} ${event.name}: ${messageWithCauses(event.error)}`, 'yellow', false)
        return
      case 'image':
        this.#line(`${MARK.image} ${event.path}`)
        if (this.#inlineImages) this.#write(inlineImageSequence(event.path) ?? '')
        return
      case 'history-compressed':
        this.#shortened.turnsDropped += event.turnsDropped
        this.#shortened.resultsDropped += event.resultsDropped
        return
      case 'error': {
        // Errors are shown whole (first line): cutting them would hide the part that explains them.
        const message = `${event.error.message.split('\n')[0] ?? ''}${errorHint(event.error)}`
        this.#errored = true
        if (this.#onError) {
          this.#endLine()
          this.#onError(message)
          return
        }
        this.#line(`error: ${message}`, 'red', false)
        return
      }
      case 'turn-finish': {
        this.#flushAnswer()
        if (event.aborted && !this.#errored) this.#line(`${MARK.aborted} aborted`, 'yellow')
        const note = shortenedNote(this.#shortened)
        if (note !== undefined) this.#line(note, 'dim', false)
        this.#endLine()
        this.#section = 'none'
        return
      }
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

  /** Writes answer text held back as a possible citation marker: the answer goes no further. */
  #flushAnswer(): void {
    this.#write(this.#citations.flush())
  }

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
  #line(text: string, style?: Style, cut = true): void {
    this.#flushAnswer()
    this.#endLine()
    const shown = cut ? truncateToWidth(`  ${text}`, this.#columns - 1) : `  ${text}`
    this.#write(`${style ? this.#style(style, shown) : shown}\n`)
    this.#section = 'line'
  }

  #style(name: Style, text: string): string {
    return this.#colors[name](text)
  }

  #write(text: string): void {
    if (text === '') return
    this.#out.write(text)
    this.#atLineStart = text.endsWith('\n')
  }
}

/** The once-per-turn note about history left out to fit the context, in words; `undefined` when nothing was. */
export function shortenedNote({ turnsDropped, resultsDropped }: { turnsDropped: number; resultsDropped: number }): string | undefined {
  const parts: string[] = []
  if (turnsDropped > 0) parts.push(`the oldest ${plural(turnsDropped, 'exchange')} left out`)
  if (resultsDropped > 0) parts.push(`the tool results of ${plural(resultsDropped, 'earlier exchange')} left out`)
  if (parts.length === 0) return undefined
  return `(to fit the model's context: ${parts.join(', ')}; raise --ctx to keep more)`
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
