/** Requests for a disabled plugin: answered politely, nothing called. */
import { calculateTurn } from './calculate.js'
import { imageTurn } from './image.js'
import { pickFor, type Lang, type Rng, type Split } from './rng.js'
import { searchTurn } from './search.js'
import { solveTurn } from './solve.js'
import type { MossCommand, TurnSpec } from './types.js'

const REPLY: Record<MossCommand, Record<Lang, readonly string[]>> = {
  Calculate: {
    en: ['Sorry, the calculator is disabled right now, so I cannot compute this exactly.', 'The calculator plugin is not enabled, so I cannot run this calculation for you.',
      'I would need the calculator for an exact answer, but it is disabled at the moment.'],
    zh: ['抱歉，计算器插件目前没有开启，我无法精确计算。', '计算器未启用，暂时无法帮你计算。', '需要计算器才能给出准确结果，但它现在是关闭的。'],
  },
  Solve: {
    en: ['Sorry, the equation solver is disabled, so I cannot solve this equation right now.', 'The equation solver is not enabled, so I cannot solve it for you.',
      'I would use the equation solver, but it is disabled at the moment.'],
    zh: ['抱歉，方程求解器没有开启，暂时无法解这个方程。', '方程求解器未启用，我现在没办法求解。', '需要方程求解器，但它目前是关闭的。'],
  },
  Search: {
    en: ['Sorry, web search is disabled, so I cannot look this up right now.', 'Web search is not enabled, so I cannot find current information on this.',
      'I would need to search the web for this, but search is disabled at the moment.'],
    zh: ['抱歉，网络搜索没有开启，我暂时查不到这个信息。', '搜索插件未启用，无法获取相关信息。', '这个问题需要搜索，但搜索功能目前是关闭的。'],
  },
  Text2Image: {
    en: ['Sorry, image generation is disabled, so I cannot draw this right now.', 'The text-to-image plugin is not enabled, so I cannot create pictures at the moment.',
      'I would like to draw it, but text-to-image is disabled.'],
    zh: ['抱歉，文生图功能没有开启，暂时无法画图。', '文生图插件未启用，我现在不能生成图片。', '我很想帮你画，但文生图目前是关闭的。'],
  },
}

const THINK: Record<MossCommand, Record<Lang, string>> = {
  Calculate: { en: 'This needs the calculator, but it is disabled, so I cannot call it.', zh: '这需要计算器，但计算器未开启，不能调用。' },
  Solve: { en: 'This needs the equation solver, but it is disabled, so I cannot call it.', zh: '这需要方程求解器，但它未开启，不能调用。' },
  Search: { en: 'This needs a web search, but search is disabled, so I cannot call it.', zh: '这需要搜索，但搜索未开启，不能调用。' },
  Text2Image: { en: 'This needs text-to-image, but it is disabled, so I cannot call it.', zh: '这需要文生图，但它未开启，不能调用。' },
}

const MAKERS: Record<MossCommand, (rng: Rng, lang: Lang, split: Split) => TurnSpec> = {
  Calculate: calculateTurn,
  Solve: solveTurn,
  Search: searchTurn,
  Text2Image: imageTurn,
}

/** A request for `command` while it is disabled. */
export function disabledTurn(rng: Rng, lang: Lang, split: Split, command: MossCommand): TurnSpec {
  return disabledTwin(rng, split, MAKERS[command](rng, lang, split), command)
}

/** The same request as `base` (a turn that calls `command`), answered as if `command` were disabled. */
export function disabledTwin(rng: Rng, split: Split, base: TurnSpec, command: MossCommand): TurnSpec {
  const lang = base.lang
  const reply = pickFor(rng, REPLY[command][lang], split)
  return {
    kind: 'disabled',
    lang,
    human: base.human,
    thought: THINK[command][lang],
    calls: [],
    answer: () => reply,
    requires: [],
    disabledCommand: command,
  }
}
