/** The shape every turn that calls nothing shares (chit-chat, tool mentions, open requests). */
import { decorate } from './decorate.js'
import { pickFor, type Lang, type Rng, type Split } from './rng.js'
import type { TurnSpec } from './types.js'

/**
 * A `Commands: None` turn: `question` decorated with probability `decorateChance`, then a thought picked from
 * `thoughts` (in this order, so that the random stream is the one each generator drew before this helper existed).
 */
export function noCallTurn(rng: Rng, lang: Lang, split: Split, question: string, answer: string, thoughts: Record<Lang, readonly string[]>, decorateChance: number): TurnSpec {
  const human = rng.chance(decorateChance) ? decorate(rng, lang, split, question) : question
  return { kind: 'chat', lang, human, thought: pickFor(rng, thoughts[lang], split), calls: [], answer: () => answer, requires: [] }
}
