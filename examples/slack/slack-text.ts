/**
 * Slack message text: incoming text has `&`, `<`, `>` escaped and mentions as `<@U123>`; outgoing text must escape
 * the same three characters. Slack advises keeping a message under 4,000 characters, so long answers are split.
 */

/** Characters Slack escapes, as a table. */
const ENTITIES: readonly (readonly [string, string])[] = [
  ['&', '&amp;'],
  ['<', '&lt;'],
  ['>', '&gt;'],
]

/** Longest text put in one message. */
export const MAX_MESSAGE_CHARS = 3900

/** Incoming Slack text → what the user wrote: mentions of the bot removed, entities decoded. */
export function fromSlackText(text: string, botUserId: string | undefined): string {
  let out = text
  if (botUserId) out = out.split(`<@${botUserId}>`).join(' ')
  for (const [plain, entity] of [...ENTITIES].reverse()) out = out.split(entity).join(plain)
  return out.replace(/[ \t]+/g, ' ').trim()
}

/** Model text → Slack text. */
export function toSlackText(text: string): string {
  let out = text
  for (const [plain, entity] of ENTITIES) out = out.split(plain).join(entity)
  return out
}

/** Splits text into pieces of at most `max` characters, preferring line breaks, never splitting a surrogate pair. */
export function splitMessage(text: string, max: number = MAX_MESSAGE_CHARS): string[] {
  const pieces: string[] = []
  let rest = text
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max)
    if (cut < max / 2) cut = max
    const code = rest.charCodeAt(cut - 1)
    if (code >= 0xd800 && code <= 0xdbff) cut-- // keep a surrogate pair together
    pieces.push(rest.slice(0, cut))
    rest = rest.slice(cut).replace(/^\n/, '')
  }
  pieces.push(rest)
  return pieces
}
