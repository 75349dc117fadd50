/**
 * Turns that name a tool but need none ("What can your calculator do?", "不用画，聊聊天吧"): talk about the tools,
 * feelings about maths, thanks for earlier results. `Commands: None`; the answer talks, it calls nothing.
 */
import { noCallTurn } from './no-call.js'
import { pickFor, type Lang, type Rng, type Split } from './rng.js'
import type { TurnSpec } from './types.js'

type Pair = readonly [string, string]

const MENTIONS: Record<Lang, readonly Pair[]> = {
  en: [
    ['What tools can you use?', 'I can use a web search, a calculator, an equation solver and an image generator when they are enabled.'],
    ['Is your calculator accurate?', 'Yes, the calculator gives exact results for the expressions I send it.'],
    ['I used to be bad at arithmetic.', 'Lots of people find arithmetic hard. Practice helps, and I am happy to check sums for you.'],
    ['No need to search, I just want to talk.', 'Sure, let us just talk. What is on your mind?'],
    ['Thanks for solving that equation earlier!', 'You are welcome! Happy to help with more equations any time.'],
    ['Can you draw? Just curious, no picture needed.', 'I can create images when text-to-image is enabled, but I will not draw anything now.'],
    ['Math homework is so boring.', 'It can feel boring, but it gets easier with practice. Tell me if you want help with a problem.'],
    ['What does a search engine do?', 'A search engine finds web pages that match the words you give it.'],
    ['I like drawing cats in my free time.', 'That sounds fun! Cats are great subjects to draw.'],
    ['Do you ever get calculations wrong?', 'I use a calculator for exact values, so the numbers I give from it should be right.'],
    ['Please do not use any plugin for this: say good morning.', 'Good morning!'],
    ['Which plugins are switched on right now?', 'The switches in my instructions say which plugins are enabled; I only call those.'],
    ['My friend loves solving equations for fun.', 'That is a great hobby! Equations are like puzzles.'],
    ['I searched the web all day and I am tired.', 'That sounds exhausting. Maybe take a break and rest a bit.'],
    ['Numbers make me nervous.', 'That is a common feeling. We can take them one step at a time whenever you like.'],
    ['What is your favourite tool?', 'I like all of them, but the calculator is the most precise.'],
    ['Just chat with me, no tools.', 'Of course! What would you like to chat about?'],
    ['Is drawing pictures hard for you?', 'When text-to-image is enabled, I describe the picture and the tool draws it.'],
    ['I bought a new calculator today.', 'Nice! A good calculator is handy for school and work.'],
    ['Do you like mathematics?', 'I do! Mathematics is full of beautiful patterns.'],
    ['You do not need to look that up, I already know.', 'Great, then I will not search for it.'],
    ['Can you explain what an equation is?', 'An equation says that two expressions are equal, like 2x + 1 = 5; solving it means finding x.'],
    ['I have an exam on algebra next week.', 'Good luck with your exam! Practise a few equations every day and you will do well.'],
    ['Why do people use calculators?', 'Calculators give fast, exact answers, so people avoid mistakes in long sums.'],
    ['Do not draw anything, I was only joking.', 'No problem, I will not draw anything.'],
  ],
  zh: [
    ['你能用哪些工具？', '在插件启用时，我可以使用网页搜索、计算器、方程求解器和文生图。'],
    ['你的计算器准吗？', '准的，计算器会给出精确的计算结果。'],
    ['我小时候算术很差。', '很多人都觉得算术难，多练习就好了，需要的话我可以帮你检查。'],
    ['不用搜，我就想随便聊聊。', '好的，我们随便聊聊吧，你想聊什么？'],
    ['谢谢你之前帮我解方程！', '不客气！有方程随时找我。'],
    ['你会画画吗？我只是好奇，不用画。', '文生图启用时我可以生成图片，不过现在不画。'],
    ['数学作业真无聊。', '作业有时确实枯燥，不过练多了就轻松了，需要帮忙可以告诉我。'],
    ['搜索引擎是干什么的？', '搜索引擎根据你给的关键词找到相关的网页。'],
    ['我业余时间喜欢画猫。', '听起来很有趣！猫是很好的绘画对象。'],
    ['你会算错吗？', '我用计算器得出精确数值，所以计算结果应该是对的。'],
    ['这个不要用插件，跟我说声早上好。', '早上好！'],
    ['现在开着哪些插件？', '我的指令里的开关写着哪些插件已启用，我只调用启用的插件。'],
    ['我朋友喜欢解方程玩。', '这是个好爱好！方程就像谜题一样。'],
    ['我查了一整天资料，好累。', '辛苦了，休息一下吧。'],
    ['我一看到数字就紧张。', '这种感觉很常见，我们可以一步一步来。'],
    ['你最喜欢哪个工具？', '每个都喜欢，不过计算器最精确。'],
    ['陪我聊聊天，别用工具。', '当然可以！想聊点什么？'],
    ['画图对你来说难吗？', '文生图启用时，我描述画面，由工具来画。'],
    ['我今天买了个新计算器。', '不错！好用的计算器对学习和工作都很方便。'],
    ['你喜欢数学吗？', '喜欢！数学里有很多美妙的规律。'],
    ['不用查了，我已经知道了。', '好的，那我就不搜索了。'],
    ['方程是什么意思？', '方程表示两个式子相等，比如2x+1=5，解方程就是求出x。'],
    ['我下周有代数考试。', '祝你考试顺利！每天练几道方程，一定没问题。'],
    ['为什么大家都用计算器？', '计算器又快又准，可以避免长算式出错。'],
    ['别画了，我开玩笑的。', '好的，我不画了。'],
  ],
}

const THINK: Record<Lang, readonly string[]> = {
  en: ['The user mentions a tool but needs no tool call; I will just reply.', 'No plugin is needed here; this is conversation.', 'This is small talk about tools; nothing to call.'],
  zh: ['用户提到了工具，但不需要调用，直接回答即可。', '这里不需要插件，是聊天。', '这是关于工具的闲聊，不需要调用。'],
}

/** A turn that mentions a tool and calls nothing. */
export function mentionTurn(rng: Rng, lang: Lang, split: Split): TurnSpec {
  const [q, a] = pickFor(rng, MENTIONS[lang], split)
  return noCallTurn(rng, lang, split, q, a, THINK, 0.4)
}
