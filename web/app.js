// The moss-agent web chat: one session per browser (its id in localStorage, its history read back on reload),
// answers streamed from POST /v1/sessions/:id/messages. EventSource cannot POST, so the stream is read with
// fetch and split into server-sent events here (the server side uses hono's SSE writer).
import { element } from './markdown.js'
import { TurnView } from './turn-view.js'

const log = document.getElementById('log')
const form = document.getElementById('composer')
const input = document.getElementById('input')
const sendButton = document.getElementById('send')
const stopButton = document.getElementById('stop')
const thoughtsToggle = document.getElementById('show-thoughts')

const SESSION_KEY = 'moss.session'
const TOKEN_KEY = 'moss.token'
let sessionId = localStorage.getItem(SESSION_KEY)
let running = false

/** Asks for the token (once, however many requests were refused meanwhile); resolves to whether one was given. */
function askToken() {
  const entered = window.prompt('This server needs its access token:')
  if (!entered) return false
  localStorage.setItem(TOKEN_KEY, entered.trim())
  return true
}

/** fetch with the bearer token; a 401 asks for it, unless another request got a new one meanwhile. */
async function api(path, init = {}) {
  let response
  for (let attempt = 0; attempt < 3; attempt++) {
    const token = localStorage.getItem(TOKEN_KEY)
    const headers = { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) }
    response = await fetch(path, { ...init, headers })
    if (response.status !== 401) return response
    if (localStorage.getItem(TOKEN_KEY) !== token) continue
    if (attempt === 2 || !askToken()) return response
  }
  return response
}

async function errorText(response) {
  try {
    const body = await response.json()
    return `${body.error.code}: ${body.error.message}`
  } catch {
    return `HTTP ${response.status}`
  }
}

/** Images need the token too when there is one, so they are fetched and shown from object URLs. */
async function loadImage(url) {
  const response = await api(url)
  if (!response.ok) throw new Error(await errorText(response))
  return URL.createObjectURL(await response.blob())
}

function notice(text) {
  log.append(element('div', text, 'notice'))
}

async function newSession() {
  const response = await api('/v1/sessions', { method: 'POST', body: '{}' })
  if (!response.ok) throw new Error(await errorText(response))
  sessionId = (await response.json()).id
  localStorage.setItem(SESSION_KEY, sessionId)
  log.replaceChildren()
}

/** Shows the stored conversation, or starts a new one when the server no longer has it. */
async function restore() {
  if (!sessionId) return newSession()
  const response = await api(`/v1/sessions/${encodeURIComponent(sessionId)}`)
  if (response.status === 404) return newSession()
  if (!response.ok) throw new Error(await errorText(response))
  log.replaceChildren()
  for (const turn of (await response.json()).turns) new TurnView(log, turn.human, loadImage).showRecord(turn)
  scrollDown()
}

function scrollDown() {
  window.scrollTo({ top: document.body.scrollHeight })
}

/** Splits a fetch body into SSE messages and yields each message's parsed JSON data. */
async function* serverEvents(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  while (true) {
    const { value, done } = await reader.read()
    if (done) break
    buffer += value.replace(/\r\n?/g, '\n')
    let end
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
        .join('\n')
      if (data) yield JSON.parse(data)
    }
  }
}

function setRunning(value) {
  running = value
  sendButton.hidden = value
  stopButton.hidden = !value
  document.body.classList.toggle('running', value)
}

async function send(text) {
  setRunning(true)
  const view = new TurnView(log, text, loadImage)
  scrollDown()
  try {
    let response = await api(`/v1/sessions/${encodeURIComponent(sessionId)}/messages`, { method: 'POST', body: JSON.stringify({ text }) })
    if (response.status === 404) {
      await newSession()
      log.append(view.root)
      response = await api(`/v1/sessions/${encodeURIComponent(sessionId)}/messages`, { method: 'POST', body: JSON.stringify({ text }) })
    }
    if (!response.ok) {
      view.setStatus(`⚠ ${await errorText(response)}`, 'error')
      return
    }
    for await (const event of serverEvents(response)) {
      view.apply(event)
      scrollDown()
    }
  } catch (error) {
    view.setStatus(`⚠ ${error.message}`, 'error')
  } finally {
    setRunning(false)
    input.focus()
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault()
  const text = input.value.trim()
  if (!text || running) return
  input.value = ''
  autosize()
  void send(text)
})

input.addEventListener('keydown', (event) => {
  // Enter sends, Shift+Enter adds a line; while an IME is composing (Chinese, Japanese…) Enter picks the candidate.
  if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return
  event.preventDefault()
  form.requestSubmit()
})

function autosize() {
  input.style.height = 'auto'
  input.style.height = `${Math.min(input.scrollHeight, 200)}px`
}
input.addEventListener('input', autosize)

stopButton.addEventListener('click', () => {
  if (sessionId) void api(`/v1/sessions/${encodeURIComponent(sessionId)}/abort`, { method: 'POST', body: '{}' })
})

document.getElementById('new-chat').addEventListener('click', () => {
  if (running) return
  void newSession().catch((error) => notice(`⚠ ${error.message}`))
  input.focus()
})

thoughtsToggle.checked = localStorage.getItem('moss.thoughts') !== 'off'
document.body.classList.toggle('hide-thoughts', !thoughtsToggle.checked)
thoughtsToggle.addEventListener('change', () => {
  localStorage.setItem('moss.thoughts', thoughtsToggle.checked ? 'on' : 'off')
  document.body.classList.toggle('hide-thoughts', !thoughtsToggle.checked)
})

async function showInfo() {
  const response = await api('/v1/info')
  if (!response.ok) return
  const info = await response.json()
  document.getElementById('model').textContent = info.model
  const tools = info.plugins.filter((p) => p.enabled).map((p) => p.command)
  document.getElementById('tools').textContent = tools.length ? `tools: ${tools.join(', ')}` : ''
  // The server's wording (the REPL banner's lines), shown as text.
  document.getElementById('services').textContent = (info.services ?? []).join(' · ')
}

void showInfo()
restore()
  .catch((error) => notice(`⚠ ${error.message}`))
  .finally(() => document.body.setAttribute('data-ready', 'true'))
