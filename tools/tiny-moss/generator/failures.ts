/**
 * Tool errors answered honestly: the turn calls its plugin, the plugin fails (the results block shows MOSS's failure
 * text, `No calculation results.` / `No result.`, or `Error: …` for a custom plugin) and the answer says that the
 * tool failed, never that it succeeded, never that the plugin is disabled.
 */
import { fill, pickFor, type Lang, type Rng, type Split } from './rng.js'
import type { TurnSpec } from './types.js'

/** What the plugin throws (the error message custom plugins show as `Error: …`). */
const ERRORS: Record<string, readonly string[]> = {
  Calculate: ['Calculation failed.', 'Timed out.'],
  Solve: ['Solver failed.', 'Timed out.'],
  Search: ['Search service unavailable.', 'Timed out.'],
  Text2Image: ['Text-to-image is not configured.', 'Image service unavailable.'],
  other: ['Service unavailable.', 'Timed out.', 'Connection refused.'],
}

const HONEST: Record<string, Record<Lang, readonly string[]>> = {
  Calculate: {
    en: ['Sorry, the calculator returned no result for {i}, so I cannot give you the value.', 'The calculator failed on {i}; I have no result to report.', 'Sorry, the calculation failed. Please try again or rephrase it.'],
    zh: ['抱歉，计算器没有算出{i}的结果，无法给出数值。', '计算器计算{i}时失败了，没有结果。', '抱歉，这次计算失败了，请稍后再试或换种写法。'],
  },
  Solve: {
    en: ['Sorry, the equation solver returned no result for {i}.', 'The solver failed on this equation, so I have no solution to give.', 'Sorry, solving {i} failed this time.'],
    zh: ['抱歉，方程求解器没有给出{i}的结果。', '求解器解这个方程时失败了，暂时没有答案。', '抱歉，这次求解{i}失败了。'],
  },
  Search: {
    en: ['Sorry, the search for {i} returned nothing, so I cannot answer that reliably.', 'The web search failed, so I could not find information on {i}.', 'Sorry, my search did not work this time; I have no results for {i}.'],
    zh: ['抱歉，搜索{i}没有得到结果，我无法可靠地回答。', '网络搜索失败了，没能找到{i}的信息。', '抱歉，这次搜索没有成功，没有关于{i}的结果。'],
  },
  Text2Image: {
    en: ['Sorry, the image could not be generated: the text-to-image tool failed.', 'Sorry, drawing {i} failed; the image tool returned an error, so there is no picture.', 'The text-to-image tool did not work this time, so I could not create the picture.'],
    zh: ['抱歉，文生图工具出错了，没能生成图片。', '抱歉，画{i}失败了，图片工具返回了错误。', '这次文生图没有成功，所以没有生成图片。'],
  },
  other: {
    en: ['Sorry, the {t} tool failed, so I cannot answer that right now.', 'The {t} call returned an error; I have no result for {i}.', 'Sorry, {t} did not work this time.'],
    zh: ['抱歉，{t}工具调用失败了，暂时无法回答。', '{t}返回了错误，没有关于{i}的结果。', '抱歉，这次{t}没有成功。'],
  },
}

/** The same turn with its first call failing: an error result and an honest answer. */
export function withFailure(rng: Rng, split: Split, spec: TurnSpec): TurnSpec {
  const first = spec.calls[0]
  if (!first) return spec
  const key = first.command in HONEST ? first.command : 'other'
  const error = rng.pick(ERRORS[key] ?? ERRORS.other!)
  const reply = fill(pickFor(rng, HONEST[key]![spec.lang], split), { i: first.input, t: first.command })
  const { synthetic: _dropped, ...call } = first
  return { ...spec, calls: [{ ...call, error }], answer: () => reply, onFailure: () => reply }
}
