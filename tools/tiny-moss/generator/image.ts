/** Drawing requests for `Text2Image`: the description is copied from the request. */
import { decorate } from './decorate.js'
import { fill, pickFor, type Lang, type Rng, type Split } from './rng.js'
import type { TurnSpec } from './types.js'
import { wildHan, wildLatin } from './wild-names.js'

const EN_ADJ = ['red', 'tiny', 'sleepy', 'golden', 'blue', 'old', 'happy', 'giant', 'fluffy', 'shiny', 'wooden', 'purple', 'brave', 'quiet', 'glowing']
const EN_THING = ['cat', 'dog', 'fox', 'dragon', 'robot', 'castle', 'lighthouse', 'owl', 'horse', 'sailboat', 'teapot', 'tree', 'panda',
  'rabbit', 'bicycle', 'house', 'whale', 'astronaut', 'bridge', 'garden', 'penguin', 'tiger', 'train', 'mountain village']
const EN_PLACE = ['in a snowy forest', 'on the moon', 'under the sea', 'at sunset', 'in the rain', 'on a beach', 'in a busy city',
  'on a hill', 'in space', 'by a lake', 'in the desert', 'at night', 'in a field of flowers', 'on a rooftop', '']
const EN_STYLE = ['', '', 'watercolor', 'oil painting', 'pixel art', 'pencil sketch', 'cartoon', 'photo', 'anime style']
const ZH_ADJ = ['红色的', '小小的', '困倦的', '金色的', '蓝色的', '古老的', '快乐的', '巨大的', '毛茸茸的', '闪亮的', '木头', '紫色的', '勇敢的', '安静的']
const ZH_THING = ['猫', '小狗', '狐狸', '龙', '机器人', '城堡', '灯塔', '猫头鹰', '马', '帆船', '茶壶', '大树', '熊猫', '兔子', '自行车',
  '房子', '鲸鱼', '宇航员', '桥', '花园', '企鹅', '老虎', '火车', '山村']
const ZH_PLACE = ['在雪林里的', '在月球上的', '在海底的', '夕阳下的', '雨中的', '在沙滩上的', '在城市里的', '山坡上的', '太空中的', '湖边的', '']
const ZH_STYLE = ['', '', '水彩', '油画', '像素风', '素描', '卡通', '国画']

const EN_DOING = ['eating', 'holding', 'riding', 'chasing', 'reading', 'watching', 'carrying', 'playing with', 'sitting on', 'next to']
/** Single characters of the table's things, so a random ideograph sits beside familiar ones. */
const ZH_CHARS = [...ZH_THING.join('')]
const ZH_DOING = ['吃着', '抱着', '骑着', '追着', '看着', '拿着', '坐在', '旁边的']

/** A thing to draw: mostly from the tables, sometimes a word of random letters or ideographs, so the description is
 *  copied from the request whatever it names (users ask for things no table lists). */
function thingOf(rng: Rng, lang: Lang): string {
  if (lang === 'en') return rng.chance(0.3) ? wildLatin(rng, rng.int(1, 3)).toLowerCase() : rng.pick(EN_THING)
  return rng.chance(0.3) ? wildHan(rng, rng.int(1, 3), ZH_CHARS, 0.7) : rng.pick(ZH_THING)
}

const withArticle = (noun: string): string => `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`

function subject(rng: Rng, lang: Lang): string {
  if (lang === 'en') {
    const style = rng.pick(EN_STYLE)
    const doing = rng.chance(0.2) ? ` ${rng.pick(EN_DOING)} ${withArticle(thingOf(rng, lang))}` : ''
    const thing = `${rng.chance(0.8) ? `${rng.pick(EN_ADJ)} ` : ''}${thingOf(rng, lang)}${doing}`
    const place = doing ? '' : rng.pick(EN_PLACE)
    const core = `${withArticle(thing)}${place ? ` ${place}` : ''}`
    return style ? `${style === 'photo' ? 'a photo' : `a ${style}`} of ${core}`.replace('a oil', 'an oil').replace('a anime', 'an anime') : core
  }
  const style = rng.pick(ZH_STYLE)
  const doing = rng.chance(0.2) ? `${rng.pick(ZH_DOING)}${thingOf(rng, lang)}的` : ''
  return `${rng.pick(ZH_PLACE)}${doing}${rng.chance(0.7) ? rng.pick(ZH_ADJ) : ''}${thingOf(rng, lang)}${style ? `，${style}风格` : ''}`
}

const ASK: Record<Lang, readonly string[]> = {
  en: ['Draw {d}.', 'Please draw {d}.', 'Can you draw {d}?', 'Generate an image of {d}.', 'Make a picture of {d}.',
    'Create an image of {d}.', 'I want a picture of {d}.', 'Paint {d} for me.', 'Show me {d}.', 'Could you sketch {d}?',
    'Give me an image of {d}.', 'Draw me {d}, please.', 'Generate a picture: {d}', 'Can I get an image of {d}?', 'Illustrate {d}.',
    'Render {d}.', 'Make an illustration of {d}.', 'I need a drawing of {d}.', 'Picture request: {d}', 'Create a drawing of {d}.',
    'Would you draw {d}?', 'Produce an image showing {d}.', 'Design an image of {d}.', 'Please generate {d}.', 'Draw a picture of {d}.'],
  zh: ['画一只{d}', '请画{d}', '帮我画一张{d}的图', '生成一张{d}的图片', '给我画{d}', '能画一个{d}吗？', '我想要一张{d}的图片',
    '画一幅{d}', '请生成{d}的图像', '帮我生成一张图片：{d}', '画个{d}吧', '来一张{d}的画', '请帮我画出{d}', '我需要一张{d}的插画',
    '画：{d}', '给我生成{d}的图片', '能不能画{d}', '帮忙画一下{d}', '想看{d}的图片，画一张吧', '请创作一幅{d}', '生成图片：{d}',
    '画一张{d}', '帮我画{d}', '做一张{d}的图', '请画出一幅{d}的画'],
}

const THINK: Record<Lang, readonly string[]> = {
  en: ['The user wants an image, so I should use text-to-image.', 'I will generate a picture of {d}.', 'This is a drawing request; calling Text2Image.',
    'I should create the image with the text-to-image tool.', 'Text-to-image can draw {d}.'],
  zh: ['用户想要一张图片，我需要调用文生图。', '我来生成{d}的图片。', '这是画图请求，应该使用文生图工具。', '需要用文生图画出{d}。', '我会调用文生图来画图。'],
}

const ANSWER: Record<Lang, readonly string[]> = {
  en: ['Here is the image of {d}.', 'I have generated a picture of {d}.', 'Done! Here is {d}.', 'Here you go: an image of {d}.',
    'The image of {d} is ready.', 'I drew {d} for you.', 'Here is your picture of {d}.', 'Your image of {d} has been generated.'],
  zh: ['这是为你生成的{d}的图片。', '已经画好了{d}。', '好的，{d}的图片已生成。', '图片生成好了：{d}。', '给你画了{d}。',
    '这是{d}的图片，请查看。', '已为你生成{d}。', '画好了，这是{d}。'],
}

/** A text-to-image turn. */
export function imageTurn(rng: Rng, lang: Lang, split: Split): TurnSpec {
  const d = subject(rng, lang)
  const ask = pickFor(rng, ASK[lang], split)
  return {
    kind: 'image',
    lang,
    human: decorate(rng, lang, split, fill(ask, { d })),
    thought: fill(pickFor(rng, THINK[lang], split), { d }),
    calls: [{ command: 'Text2Image', input: d, synthetic: 'Image generated successfully.' }],
    answer: () => fill(pickFor(rng, ANSWER[lang], split), { d }),
    requires: ['Text2Image'],
  }
}
