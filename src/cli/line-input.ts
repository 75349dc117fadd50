/**
 * Reads user messages from node:readline: one message per line, several lines joined when a line ends with `\`
 * or when lines arrive as one paste. On a terminal, pastes are recognised by bracketed paste mode (the terminal
 * wraps pasted text in `ESC[200~ … ESC[201~`), however slowly the text arrives; terminals without it fall back to
 * timing (lines that follow within a few milliseconds). Lines typed while an answer streams are queued, so piped
 * input is processed line by line, in order.
 */
import { createInterface } from 'node:readline'
import type { Interface } from 'node:readline'
import { loadHistory, saveHistory, HISTORY_SIZE } from './history-file.js'

/** Lines closer together than this (on a terminal) are one paste. */
const PASTE_WINDOW_MS = 20

/** Terminal sequences that switch bracketed paste mode on and off (xterm; ignored by terminals without it). */
const BRACKETED_PASTE = { on: '\x1b[?2004h', off: '\x1b[?2004l' } as const

/** A line read, whether it was pasted; or the end of a paste, and whether it left a partial line in the editor. */
type InputItem = { readonly line: string; readonly pasted: boolean } | { readonly pasteEnd: true; readonly partial: boolean }

/** Prompts: a message, and a line that continues it (after `\` or within a paste). */
export const PROMPT = { first: '> ', more: '… ' } as const

/** Options of {@link LineInput}. */
export interface LineInputOptions {
  readonly input: NodeJS.ReadableStream
  readonly output: NodeJS.WritableStream
  /** Terminal mode: prompts, line editing, history, Ctrl-C as a key. */
  readonly terminal: boolean
  /** History file (terminal mode only). */
  readonly historyFile?: string
}

/** Reads messages; emits Ctrl-C presses to `onInterrupt`. */
export class LineInput {
  readonly #rl: Interface
  readonly #terminal: boolean
  readonly #queue: InputItem[] = []
  readonly #output: NodeJS.WritableStream
  /** Inside a bracketed paste. */
  #pasting = false
  /** Bracketed paste mode was switched on (and must be switched off on close). */
  #bracketsOn = false
  #waiter: (() => void) | undefined
  #closed = false
  /** Called when Ctrl-C is pressed on the terminal. */
  onInterrupt: (() => void) | undefined

  constructor(options: LineInputOptions) {
    this.#terminal = options.terminal
    this.#output = options.output
    const history = options.terminal && options.historyFile ? loadHistory(options.historyFile) : []
    this.#rl = createInterface({
      input: options.input,
      ...(options.terminal ? { output: options.output } : {}),
      terminal: options.terminal,
      history,
      historySize: HISTORY_SIZE,
      removeHistoryDuplicates: true,
      prompt: PROMPT.first,
    })
    this.#rl.on('line', (line) => {
      this.#queue.push({ line, pasted: this.#pasting })
      this.#wake()
    })
    if (options.terminal) {
      // readline turns the bracket sequences into keypress events named paste-start/paste-end (and inserts nothing).
      options.input.on('keypress', (_text: unknown, key: { name?: string } | undefined) => {
        if (key?.name === 'paste-start') this.#pasting = true
        if (key?.name !== 'paste-end') return
        this.#pasting = false
        this.#queue.push({ pasteEnd: true, partial: this.#rl.line !== '' })
        this.#wake()
      })
      this.#output.write(BRACKETED_PASTE.on)
      this.#bracketsOn = true
    }
    this.#rl.on('close', () => {
      this.#closed = true
      this.#wake()
    })
    this.#rl.on('SIGINT', () => this.onInterrupt?.())
    const file = options.historyFile
    if (options.terminal && file) this.#rl.on('history', (entries: string[]) => saveHistory(file, entries))
  }

  /** Whether the input ended (Ctrl-D, end of pipe). */
  get closed(): boolean {
    return this.#closed && this.#queue.length === 0
  }

  /** Discards the line being edited (Ctrl-C at the prompt). */
  clearLine(): void {
    if (!this.#terminal) return
    // `line` is read-only in the types but readline documents writing through `write` with a key sequence.
    this.#rl.write(null, { ctrl: true, name: 'u' })
  }

  /** Shows `prompt` (terminal only). */
  prompt(prompt: string = PROMPT.first): void {
    if (!this.#terminal || this.#closed) return
    this.#rl.setPrompt(prompt)
    this.#rl.prompt()
  }

  /** The next message, or `undefined` at end of input. */
  async nextMessage(): Promise<string | undefined> {
    this.prompt(PROMPT.first)
    const parts: string[] = []
    while (true) {
      const item = await this.#nextItem()
      if (item === undefined) return parts.length > 0 ? parts.join('\n') : undefined
      if ('pasteEnd' in item) {
        // A paste that ended with a newline is sent; one that ended inside a line waits for Enter.
        if (!item.partial && parts.length > 0) return parts.join('\n')
        continue
      }
      const { line, pasted } = item
      if (line.endsWith('\\') && !pasted) {
        parts.push(line.slice(0, -1))
        this.prompt(PROMPT.more)
        continue
      }
      parts.push(line)
      // Inside a bracketed paste, lines belong together until the paste ends (no prompt between them: the
      // terminal is still echoing the paste).
      if (pasted) continue
      if (this.#terminal && (await this.#moreLinesSoon())) {
        continue
      }
      return parts.join('\n')
    }
  }

  /** Stops reading and restores the terminal. */
  close(): void {
    if (this.#bracketsOn) this.#output.write(BRACKETED_PASTE.off)
    this.#bracketsOn = false
    this.#rl.close()
  }

  async #nextItem(): Promise<InputItem | undefined> {
    while (this.#queue.length === 0) {
      if (this.#closed) return undefined
      await new Promise<void>((resolve) => (this.#waiter = resolve))
    }
    return this.#queue.shift()
  }

  /** True when another line arrives within the paste window (pasted text with several lines, no brackets). */
  async #moreLinesSoon(): Promise<boolean> {
    if (this.#queue.length > 0) return true
    if (this.#closed) return false
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, PASTE_WINDOW_MS)
      this.#waiter = () => {
        clearTimeout(timer)
        resolve()
      }
    })
    return this.#queue.length > 0
  }

  #wake(): void {
    const waiter = this.#waiter
    this.#waiter = undefined
    waiter?.()
  }
}
