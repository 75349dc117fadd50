// One turn on the page: the question, the thoughts (hidden by the toggle), tool calls and results as cards, the
// answer as safe markdown, generated images inline, and a status line. Fed by streamed events or a history record.
import { element, renderMarkdown } from './markdown.js'

/** Search hits from a Search result (a JSON array of snippets or { title, snippet }); otherwise one snippet. */
function searchHits(output) {
  try {
    const value = JSON.parse(output)
    if (Array.isArray(value)) return value.map((hit) => (typeof hit === 'string' ? { snippet: hit } : { title: hit.title, snippet: String(hit.snippet ?? '') }))
  } catch {
    // not JSON: one snippet
  }
  return output.trim() === '' ? [] : [{ snippet: output }]
}

let turnCounter = 0

export class TurnView {
  /** `loadImage(url)` resolves to a URL the page may show (an object URL when the API needs a token). */
  constructor(log, question, loadImage) {
    this.key = `t${++turnCounter}`
    this.loadImage = loadImage
    this.hits = 0
    this.answerText = ''
    this.thoughtText = ''
    this.cards = new Map()
    this.root = element('article', undefined, 'turn')
    this.root.append(element('div', question, 'msg user'))
    const reply = element('div', undefined, 'msg assistant')
    this.thought = element('details', undefined, 'thought')
    this.thought.append(element('summary', 'Thoughts'))
    this.thoughtBody = element('div', undefined, 'thought-text')
    this.thought.append(this.thoughtBody)
    this.thought.hidden = true
    this.thought.open = true
    this.tools = element('div', undefined, 'tools')
    this.answer = element('div', undefined, 'answer')
    this.images = element('div', undefined, 'images')
    this.status = element('div', undefined, 'status')
    reply.append(this.thought, this.tools, this.answer, this.images, this.status)
    this.root.append(reply)
    log.append(this.root)
  }

  /** Applies one streamed event (the JSON of `moss run --json`). */
  apply(event) {
    switch (event.type) {
      case 'thought-delta':
        this.setThought(this.thoughtText + event.text)
        break
      case 'text-delta':
        this.setAnswer(this.answerText + event.text)
        break
      case 'tool-call':
        this.card(event.id, event.name, event.input)
        break
      case 'tool-result':
        this.fillCard(event.id, event.name, event.input, true, event.output, event.images)
        break
      case 'tool-error':
        this.fillCard(event.id, event.name, event.input, false, event.error?.message ?? 'error')
        break
      case 'image':
        this.addImage(event)
        break
      case 'error':
        this.setStatus(`⚠ ${event.error?.message ?? 'error'}`, 'error')
        break
      case 'turn-finish':
        if (event.text) this.setAnswer(event.text)
        if (event.aborted) this.setStatus('(stopped)', 'stopped')
        break
      default:
        break
    }
  }

  /** Shows a finished turn from `GET /v1/sessions/:id`. */
  showRecord(turn) {
    if (turn.thought) this.setThought(turn.thought)
    for (const result of turn.results) {
      this.card(result.id, result.command, result.input)
      this.fillCard(result.id, result.command, result.input, result.ok, result.output, result.images)
      for (const image of result.images ?? []) this.addImage(image)
    }
    this.setAnswer(turn.answer)
  }

  setThought(text) {
    this.thoughtText = text
    this.thought.hidden = text.trim() === '' || text.trim() === 'None'
    this.thoughtBody.textContent = text.trim()
  }

  setAnswer(text) {
    this.answerText = text
    this.answer.replaceChildren(renderMarkdown(text.trim(), (n) => (n >= 1 && n <= this.hits ? `hit-${this.key}-${n}` : undefined)))
  }

  setStatus(text, kind) {
    this.status.textContent = text
    this.status.className = `status ${kind}`
  }

  card(id, name, input) {
    let card = this.cards.get(id)
    if (!card) {
      card = element('div', undefined, 'card pending')
      const head = element('div', undefined, 'card-head')
      head.append(element('span', name, 'tool-name'), element('code', input, 'tool-input'))
      card.append(head, element('div', 'running…', 'card-body'))
      this.cards.set(id, card)
      this.tools.append(card)
    }
    return card
  }

  fillCard(id, name, input, ok, output, images) {
    const card = this.card(id, name, input)
    card.className = `card ${ok ? 'ok' : 'failed'}`
    const body = element('div', undefined, 'card-body')
    if (ok && name === 'Search') {
      const list = element('ol', undefined, 'hits')
      list.start = this.hits + 1
      for (const hit of searchHits(output)) {
        const item = element('li')
        item.id = `hit-${this.key}-${++this.hits}`
        if (hit.title) item.append(element('strong', `${hit.title}: `))
        item.append(document.createTextNode(hit.snippet))
        list.append(item)
      }
      body.append(list)
      this.setAnswer(this.answerText) // citations written before the hits arrived become links
    } else body.append(element('pre', output))
    if (images?.length) body.append(element('div', `${images.length} image(s)`, 'note'))
    card.querySelector('.card-body').replaceWith(body)
  }

  addImage(image) {
    const img = element('img')
    img.alt = 'generated image'
    this.images.append(img)
    this.loadImage(image.url).then(
      (src) => (img.src = src),
      () => img.replaceWith(element('div', 'image unavailable', 'note')),
    )
  }
}
