/**
 * Watches generated text for the trigger of a grammar-constrained span. It starts with the tail of the transcript,
 * so a trigger the prompt already ends with (a prefilled `<|Commands|>:`) engages the grammar immediately.
 */
export class TriggerWatcher {
  private tail: string
  private fired = false

  constructor(private readonly trigger: string, transcriptTail: string) {
    this.tail = transcriptTail.slice(-trigger.length)
    this.fired = trigger.length > 0 && this.tail.endsWith(trigger)
  }

  /** True once the trigger has been seen. */
  get triggered(): boolean {
    return this.fired
  }

  /**
   * Feeds generated text. Returns true when the trigger ends exactly at the end of the text seen so far (the next
   * token starts the span). A trigger followed by more text in the same token still fires: the grammar then starts
   * late, which the grammar's own leading whitespace rule usually tolerates.
   */
  push(text: string): boolean {
    if (this.fired || this.trigger.length === 0) return this.fired
    const window = this.tail + text
    if (window.includes(this.trigger)) this.fired = true
    this.tail = window.slice(-this.trigger.length)
    return this.fired
  }
}
