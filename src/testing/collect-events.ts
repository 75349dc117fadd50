import type { AgentEvent } from '../agent/types.js'

/** Collects every event of a stream (e.g. `session.send(…)`) into an array. */
export async function collectEvents(stream: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const events: AgentEvent[] = []
  for await (const event of stream) events.push(event)
  return events
}

/** The events of one type, narrowed. */
export function eventsOfType<T extends AgentEvent['type']>(
  events: readonly AgentEvent[],
  type: T,
): Extract<AgentEvent, { type: T }>[] {
  return events.filter((event): event is Extract<AgentEvent, { type: T }> => event.type === type)
}

/** Concatenated `text-delta` text of a list of events. */
export function streamedText(events: readonly AgentEvent[]): string {
  return eventsOfType(events, 'text-delta')
    .map((event) => event.text)
    .join('')
}
