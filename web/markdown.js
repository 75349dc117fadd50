// Safe markdown for model and tool text. Every node is built with createElement and textContent; no string from
// the model, a plugin or the server ever reaches innerHTML, so `<img onerror=…>` or `<script>` in an answer is
// shown as the characters it is. Links are made only for http(s) URLs (never javascript:), and citations `<|n|>`
// become links to the n-th search hit of the turn when there is one.

const INLINE = /(`[^`\n]+`)|(\*\*[^*\n]+\*\*)|(\*[^*\s][^*\n]*\*)|(\[[^\]\n]+\]\((https?:\/\/[^\s)]+)\))|(<\|(\d+)\|>)|(https?:\/\/[^\s<>()]+)/g

/** Appends `text` with inline markup to `parent`. `cite(n)` returns the anchor id of hit n, or undefined. */
function appendInline(parent, text, cite) {
  let last = 0
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) parent.append(document.createTextNode(text.slice(last, match.index)))
    last = match.index + match[0].length
    const [whole, code, bold, italic, link, linkUrl, citation, citeNumber, url] = match
    if (code) parent.append(element('code', code.slice(1, -1)))
    else if (bold) parent.append(element('strong', bold.slice(2, -2)))
    else if (italic) parent.append(element('em', italic.slice(1, -1)))
    else if (link) parent.append(anchor(link.slice(1, link.indexOf('](')), linkUrl))
    else if (citation) {
      const target = cite(Number(citeNumber))
      const node = target ? anchor(`[${citeNumber}]`, `#${target}`) : element('span', `[${citeNumber}]`)
      node.classList.add('cite')
      parent.append(node)
    } else if (url) parent.append(anchor(url, url))
    else parent.append(document.createTextNode(whole))
  }
  if (last < text.length) parent.append(document.createTextNode(text.slice(last)))
}

/** An element whose content is plain text. */
export function element(tag, text, className) {
  const node = document.createElement(tag)
  if (text !== undefined) node.textContent = text
  if (className) node.className = className
  return node
}

function anchor(text, href) {
  const node = element('a', text)
  const external = /^https?:\/\//.test(href)
  node.href = external || href.startsWith('#') ? href : '#'
  if (external) {
    node.target = '_blank'
    node.rel = 'noopener noreferrer'
  }
  return node
}

/** Renders markdown `text` into a fragment. */
export function renderMarkdown(text, cite = () => undefined) {
  const out = document.createDocumentFragment()
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  let paragraph = null
  let list = null
  const endBlocks = () => {
    paragraph = null
    list = null
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const fence = /^\s*```(.*)$/.exec(line)
    if (fence) {
      endBlocks()
      const body = []
      while (++i < lines.length && !/^\s*```\s*$/.test(lines[i])) body.push(lines[i])
      const pre = element('pre')
      pre.append(element('code', body.join('\n')))
      out.append(pre)
      continue
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line)
    if (heading) {
      endBlocks()
      const node = element(`h${Math.min(6, heading[1].length + 2)}`)
      appendInline(node, heading[2], cite)
      out.append(node)
      continue
    }
    const item = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/.exec(line)
    if (item) {
      paragraph = null
      const tag = item[1] ? 'ul' : 'ol'
      if (!list || list.tagName.toLowerCase() !== tag) {
        list = element(tag)
        out.append(list)
      }
      const li = element('li')
      appendInline(li, item[3], cite)
      list.append(li)
      continue
    }
    if (line.trim() === '') {
      endBlocks()
      continue
    }
    list = null
    if (paragraph) paragraph.append(element('br'))
    else {
      paragraph = element('p')
      out.append(paragraph)
    }
    appendInline(paragraph, line, cite)
  }
  return out
}
