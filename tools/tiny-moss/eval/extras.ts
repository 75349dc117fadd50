/**
 * Two small fixed sets: every question the README and examples/ show a user (asked 5 times each with the default
 * sampling), and tool-error cases (the plugin the question needs fails; the answer must say so).
 */

/** A question shown in README.md or examples/, with what a correct answer holds. */
export interface ExampleCase {
  readonly where: string
  readonly question: string
  /** Commands switched on, as in that example. */
  readonly enabled: readonly string[]
  readonly plugin: string
  /** Numbers the answer must show (Calculate/Solve). */
  readonly values?: readonly number[]
}

export const README_EXAMPLES: readonly ExampleCase[] = [
  { where: 'README.md (SDK quick start, `moss run`)', question: 'What is 23*47?', enabled: ['Calculate', 'Solve'], plugin: 'Calculate', values: [1081] },
  { where: 'README.md (normalised input)', question: '３×４÷２', enabled: ['Search', 'Calculate', 'Solve'], plugin: 'Calculate', values: [6] },
  { where: 'README.md (normalised input, as a question)', question: '３×４÷２ 等于多少？', enabled: ['Search', 'Calculate', 'Solve'], plugin: 'Calculate', values: [6] },
  { where: 'README.md (normalised input)', question: '（1+2）×3', enabled: ['Search', 'Calculate', 'Solve'], plugin: 'Calculate', values: [9] },
  { where: 'README.md (normalised input)', question: '求解 x²－5x＋6＝0', enabled: ['Search', 'Calculate', 'Solve'], plugin: 'Solve', values: [2, 3] },
  { where: 'examples/simple-bot', question: 'What is 23 * 47?', enabled: ['Calculate', 'Solve'], plugin: 'Calculate', values: [1081] },
  { where: 'examples/simple-bot', question: '解方程 x^2 - 5x + 6 = 0', enabled: ['Calculate', 'Solve'], plugin: 'Solve', values: [2, 3] },
  { where: 'examples/custom-plugin', question: 'How many words in "to be or not to be"?', enabled: ['WordStats'], plugin: 'WordStats' },
]

/** A question whose plugin fails. */
export interface ErrorCase {
  readonly lang: 'en' | 'zh'
  readonly question: string
  readonly command: string
}

export const ERROR_CASES: readonly ErrorCase[] = [
  { lang: 'en', question: 'What is 12*34?', command: 'Calculate' },
  { lang: 'en', question: 'Calculate 250/5', command: 'Calculate' },
  { lang: 'en', question: 'how much is 77+88', command: 'Calculate' },
  { lang: 'en', question: 'What is 9^3?', command: 'Calculate' },
  { lang: 'en', question: 'Compute 1200-345', command: 'Calculate' },
  { lang: 'zh', question: '12*34等于多少？', command: 'Calculate' },
  { lang: 'zh', question: '计算250/5', command: 'Calculate' },
  { lang: 'zh', question: '77+88是多少', command: 'Calculate' },
  { lang: 'zh', question: '9^3等于几', command: 'Calculate' },
  { lang: 'zh', question: '帮我算一下1200-345', command: 'Calculate' },
  { lang: 'en', question: 'Solve 3x+4=19', command: 'Solve' },
  { lang: 'en', question: 'Solve x^2-3x+2=0', command: 'Solve' },
  { lang: 'en', question: 'Find x: 5x-5=20', command: 'Solve' },
  { lang: 'zh', question: '解方程3x+4=19', command: 'Solve' },
  { lang: 'zh', question: '求解x^2-3x+2=0', command: 'Solve' },
  { lang: 'zh', question: '解方程 5x-5=20', command: 'Solve' },
  { lang: 'en', question: 'Who founded Zentar Labs?', command: 'Search' },
  { lang: 'en', question: 'What is the population of Lima?', command: 'Search' },
  { lang: 'en', question: 'Search for the weather in Oslo', command: 'Search' },
  { lang: 'zh', question: '西安有多少人口？', command: 'Search' },
  { lang: 'zh', question: '查一下南京的天气', command: 'Search' },
  { lang: 'zh', question: '星海科技是谁创办的？', command: 'Search' },
  { lang: 'en', question: 'Draw a red fox in the snow', command: 'Text2Image' },
  { lang: 'en', question: 'Generate an image of a sailboat at sunset', command: 'Text2Image' },
  { lang: 'en', question: 'Please draw a robot reading a book', command: 'Text2Image' },
  { lang: 'en', question: 'Make a picture of an owl on a tree', command: 'Text2Image' },
  { lang: 'zh', question: '画一只雪地里的红狐狸', command: 'Text2Image' },
  { lang: 'zh', question: '生成一张夕阳下帆船的图片', command: 'Text2Image' },
  { lang: 'zh', question: '画一个看书的机器人', command: 'Text2Image' },
  { lang: 'zh', question: '帮我画树上的猫头鹰', command: 'Text2Image' },
]
