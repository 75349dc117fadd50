import type { PluginLogger } from '../plugins/types.js'
import { describeError } from '../errors.js'
import type { AgentEvent } from './types.js'

/** Listener of {@link EventHub}. */
export type AgentEventListener = (event: AgentEvent) => void

/**
 * Fans events out to `Session.on` listeners. A listener that throws (or returns a rejecting promise) is logged and
 * ignored: observers must never be able to stop a turn.
 */
export class EventHub {
  private readonly listeners = new Set<AgentEventListener>()

  constructor(private readonly logger: PluginLogger) {}

  /** Adds a listener; returns its unsubscribe function. */
  on(listener: AgentEventListener): () => void {
    // Wrapped so the same function can be subscribed twice and unsubscribed independently.
    const entry: AgentEventListener = (event) => listener(event)
    this.listeners.add(entry)
    return () => {
      this.listeners.delete(entry)
    }
  }

  /** Delivers an event to every listener. */
  emit(event: AgentEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        const result: unknown = listener(event)
        if (result instanceof Promise) result.catch((error: unknown) => this.report(event, error))
      } catch (error) {
        this.report(event, error)
      }
    }
  }

  private report(event: AgentEvent, error: unknown): void {
    this.logger.warn('An event listener threw; ignored', { event: event.type, error: describeError(error) })
  }
}
