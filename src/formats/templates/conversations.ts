/**
 * The fixed conversation set of template conformance: each one is played through a dialogue format (the model
 * "writes" each assistant message) and rendered by the model's own Jinja chat template; the two must be identical.
 * Written for this project (own words and data).
 */

/** One call the model makes. */
export interface ScriptCall {
  readonly name: string
  readonly arguments: Readonly<Record<string, unknown>>
}

/** One call round: optional text written before the calls, the calls, and their results in call order. */
export interface ScriptRound {
  readonly text?: string
  readonly calls: readonly ScriptCall[]
  readonly results: readonly string[]
}

/** One turn: the user's text, the call rounds, the final answer. */
export interface ScriptTurn {
  readonly human: string
  readonly rounds: readonly ScriptRound[]
  readonly answer: string
}

/** A conversation of the set. */
export interface ScriptConversation {
  readonly name: string
  /** Whether the tools are offered (the `no tools` conversation offers none). */
  readonly tools: boolean
  readonly turns: readonly ScriptTurn[]
}

/** The tools of the set, in OpenAI shape (every parameter described: Hermes' template trims descriptions). */
export const SCRIPT_TOOLS = [
  {
    name: 'calculate',
    description: 'Evaluate a math expression',
    parameters: {
      type: 'object',
      properties: { expression: { type: 'string', description: 'The expression, e.g. 2*(3+4)' } },
      required: ['expression'],
    },
  },
  {
    name: 'search',
    description: 'Search the web',
    parameters: {
      type: 'object',
      properties: { query: { type: 'string', description: 'What to look for' }, limit: { type: 'integer', description: 'Most hits' } },
      required: ['query'],
    },
  },
] as const

/** The system message of every conversation. */
export const SCRIPT_SYSTEM = 'You are a helpful assistant.'

/** The conversations. */
export const SCRIPT_CONVERSATIONS: readonly ScriptConversation[] = [
  { name: 'no tools', tools: false, turns: [{ human: 'Hello there!', rounds: [], answer: 'Hello! How can I help you today?' }] },
  {
    name: 'one call',
    tools: true,
    turns: [{ human: 'What is 17*23?', rounds: [{ calls: [{ name: 'calculate', arguments: { expression: '17*23' } }], results: ['391'] }], answer: '17*23 = 391.' }],
  },
  {
    name: 'two calls in one turn',
    tools: true,
    turns: [
      {
        human: 'Compute 2**10 and find the tallest mountain.',
        rounds: [
          {
            calls: [
              { name: 'calculate', arguments: { expression: '2**10' } },
              { name: 'search', arguments: { query: 'tallest mountain', limit: 2 } },
            ],
            results: ['1024', 'Mount Everest, 8849 m'],
          },
        ],
        answer: '2**10 is 1024, and the tallest mountain is Mount Everest (8849 m).',
      },
    ],
  },
  {
    name: 'two rounds',
    tools: true,
    turns: [
      {
        human: 'How many seconds are in the number of days of a leap year?',
        rounds: [
          { calls: [{ name: 'search', arguments: { query: 'days in a leap year' } }], results: ['A leap year has 366 days.'] },
          { calls: [{ name: 'calculate', arguments: { expression: '366*24*3600' } }], results: ['31622400'] },
        ],
        answer: 'A leap year has 31622400 seconds.',
      },
    ],
  },
  {
    name: 'two turns',
    tools: true,
    turns: [
      { human: 'What is 9+10?', rounds: [{ calls: [{ name: 'calculate', arguments: { expression: '9+10' } }], results: ['19'] }], answer: 'It is 19.' },
      { human: 'Thanks! And who are you?', rounds: [], answer: 'I am an assistant that can use tools.' },
    ],
  },
  {
    name: 'CJK with quotes and newlines in results',
    tools: true,
    turns: [
      {
        human: '杭州今天天气怎么样？请说“详细”一点。',
        rounds: [
          {
            calls: [{ name: 'search', arguments: { query: '杭州 今天 天气 "预报"' } }],
            results: ['杭州：晴，最高 26°C。\n明天："多云"，有风\n（数据来源：气象台）'],
          },
        ],
        answer: '杭州今天晴，最高 26°C；明天多云，有风。',
      },
    ],
  },
  {
    name: 'text before a call',
    tools: true,
    turns: [
      {
        human: 'Please work out 123*456.',
        rounds: [{ text: 'Let me calculate that.', calls: [{ name: 'calculate', arguments: { expression: '123*456' } }], results: ['56088'] }],
        answer: '123*456 = 56088.',
      },
    ],
  },
]

/** How a template case shapes the OpenAI messages (see {@link openAiMessages}). */
export interface MessageShape {
  /** Several calls of a round as consecutive call messages, each followed by its result (Llama 3). */
  readonly oneCallPerMessage?: boolean
  /** The id of the `n`-th call (from 1) of turn `turn` (from 1); defaults to `call00001`, … (9 characters). */
  readonly callId?: (turn: number, n: number) => string
  /** A result's message content; defaults to the result text. */
  readonly resultContent?: (text: string) => string
  /** No system message: its text is folded into the last user message (`system\n\nuser`), as mistral-common does. */
  readonly foldSystem?: boolean
  /** Only the messages up to and including this turn's user message (0-based): the prompt of its first generation. */
  readonly untilUserOf?: number
}

/**
 * The conversation in OpenAI message shape, as chat templates take it (call ids are 9 characters for Mistral).
 */
export function openAiMessages(conversation: ScriptConversation, shape: MessageShape = {}): Record<string, unknown>[] {
  const messages: Record<string, unknown>[] = shape.foldSystem ? [] : [{ role: 'system', content: SCRIPT_SYSTEM }]
  const turns = shape.untilUserOf !== undefined ? conversation.turns.slice(0, shape.untilUserOf + 1) : conversation.turns
  let id = 0
  turns.forEach((turn, t) => {
    const last = t === turns.length - 1
    messages.push({ role: 'user', content: last && shape.foldSystem ? `${SCRIPT_SYSTEM}\n\n${turn.human}` : turn.human })
    if (last && shape.untilUserOf !== undefined) return
    const rounds = shape.oneCallPerMessage ? oneCallRounds(turn.rounds) : turn.rounds
    let n = 0
    for (const round of rounds) {
      const ids = round.calls.map(() => (shape.callId ? shape.callId(t + 1, ++n) : `call${String(++id).padStart(5, '0')}`))
      messages.push({
        role: 'assistant',
        content: round.text ?? '',
        tool_calls: round.calls.map((call, i) => ({ id: ids[i], type: 'function', function: { name: call.name, arguments: call.arguments } })),
      })
      round.results.forEach((content, i) => messages.push({ role: 'tool', tool_call_id: ids[i], name: round.calls[i]?.name, content: shape.resultContent ? shape.resultContent(content) : content }))
    }
    messages.push({ role: 'assistant', content: turn.answer })
  })
  return messages
}

/** Several calls of a round as consecutive one-call rounds, each with its result (the text before the calls first). */
export function oneCallRounds(rounds: readonly ScriptRound[]): ScriptRound[] {
  return rounds.flatMap((round) => round.calls.map((call, i) => ({ ...(i === 0 && round.text !== undefined ? { text: round.text } : {}), calls: [call], results: [round.results[i] ?? ''] })))
}
