/**
 * The web chat page at `/` in a real browser (Debian's chromium via playwright-core) against `moss serve` on the echo
 * model: the header names the tools and services, a question shows its tool card and the streamed answer, a long
 * answer stops, the conversation is back after a reload, model text with HTML stays text, citations link to search
 * hits, images show inline, the thoughts toggle hides thoughts, Enter inside an IME composition does not send, and a
 * phone-width screen works.
 * Screenshots go to .scratch/web/ (git-ignored) for a person to look at.
 */
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, until } from '../server/harness.js'
import type { TestServer } from '../server/harness.js'
import { hasChromium, launchChromium } from './chromium.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const SHOTS = join(ROOT, '.scratch', 'web')

/** Service lines as `moss serve` passes them (the REPL banner's), shown in the page's header. */
const SERVICES = ['search: Wikipedia (needs the internet; offline, --docs DIR searches your own files)', 'images: off (no image backend configured)']

// Chromium comes from apt (.ci/run installs it when missing); without it there is no browser to drive.
describe.skipIf(!hasChromium)('web chat page in chromium', () => {
  let server: TestServer
  let browser: BrowserContext
  let page: Page

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true })
    server = await startTestServer({ webRoot: join(ROOT, 'web'), services: SERVICES })
    browser = await launchChromium()
    page = await browser.newPage()
    await page.goto(`${server.url}/`)
    await page.waitForSelector('body[data-ready="true"]')
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  const ask = async (text: string): Promise<void> => {
    // The page takes no new question while a turn's stream is still open (the text would stay in the box).
    await page.waitForSelector('body:not(.running)')
    await page.fill('#input', text)
    await page.press('#input', 'Enter')
  }
  const lastTurn = () => page.locator('.turn').last()

  it('a question shows its tool card and the streamed answer', { timeout: 120_000 }, async () => {
    await ask('calc 23*47')
    await lastTurn().locator('.card.ok').waitFor({ timeout: 90_000 })
    await expect.poll(() => lastTurn().locator('.answer').textContent()).toBe('The result is 1081.')
    expect(await lastTurn().locator('.card .tool-name').textContent()).toBe('Calculate')
    expect(await lastTurn().locator('.card .tool-input').textContent()).toBe('23*47')
    expect(await lastTurn().locator('.card .card-body').textContent()).toBe('1081')
    expect(await lastTurn().locator('.msg.user').textContent()).toBe('calc 23*47')
    await page.screenshot({ path: join(SHOTS, 'tool-card.png'), fullPage: true })
  })

  it('the header names the model\'s tools and the services, as the REPL banner does', async () => {
    await expect.poll(() => page.locator('#services').textContent()).toBe(SERVICES.join(' · '))
    expect(await page.locator('#tools').textContent()).toBe('tools: Calculate, Text2Image, Search')
  })

  it('model text with HTML renders as text, markdown renders as elements', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"> **bold** `code`'
    await ask(hostile)
    await expect.poll(() => lastTurn().locator('.answer').textContent()).toContain('turn 2')
    const answer = lastTurn().locator('.answer')
    expect(await answer.locator('img').count()).toBe(0)
    expect(await answer.textContent()).toContain('<img src=x onerror="window.__pwned=1">')
    expect(await answer.locator('strong').textContent()).toBe('bold')
    expect(await answer.locator('code').textContent()).toBe('code')
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined')
    await page.screenshot({ path: join(SHOTS, 'html-as-text.png'), fullPage: true })
  })

  it('citations link to the search hits, whose HTML also stays text', async () => {
    await ask('search moss')
    await expect.poll(() => lastTurn().locator('.answer a.cite').count()).toBe(2)
    const links = await lastTurn().locator('.answer a.cite').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
    const hits = await lastTurn().locator('.hits li').evaluateAll((lis) => lis.map((li) => `#${li.id}`))
    expect(links).toEqual(hits)
    expect(await lastTurn().locator('.hits li').first().textContent()).toBe('The first hit <b>bold?</b>')
    expect(await lastTurn().locator('.hits b').count()).toBe(0)
  })

  it('generated images show inline', async () => {
    await ask('draw a cat')
    const image = lastTurn().locator('.images img')
    await image.waitFor()
    await expect.poll(() => image.evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1)
  })

  it('the thoughts toggle hides and shows thoughts', async () => {
    const thought = lastTurn().locator('.thought')
    expect(await thought.isVisible()).toBe(true)
    await page.uncheck('#show-thoughts')
    expect(await thought.isVisible()).toBe(false)
    await page.check('#show-thoughts')
    expect(await thought.isVisible()).toBe(true)
  })

  it('the stop button stops a long answer, and the chat goes on', async () => {
    await ask('hang on, this is long')
    await expect.poll(() => lastTurn().locator('.answer').textContent()).toBe('partial answer')
    await expect.poll(() => page.isVisible('#stop')).toBe(true)
    await page.click('#stop')
    await expect.poll(() => lastTurn().locator('.status').textContent()).toBe('(stopped)')
    await expect.poll(() => page.isVisible('#send')).toBe(true)
    await page.screenshot({ path: join(SHOTS, 'stopped.png'), fullPage: true })
    await ask('next')
    await expect.poll(() => lastTurn().locator('.answer').textContent()).toBe('echo(next) turn 5')
  })

  it('Enter inside an IME composition does not send; Chinese text sends after it', async () => {
    const before = await page.locator('.turn').count()
    await page.fill('#input', 'ni hao')
    // What a browser sends for Enter while an IME candidate window is open (isComposing set).
    await page.evaluate(`document.getElementById('input').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true }))`)
    expect(await page.locator('.turn').count()).toBe(before)
    await page.fill('#input', '')
    await page.keyboard.insertText('你好，世界')
    await page.press('#input', 'Enter')
    await expect.poll(() => lastTurn().locator('.answer').textContent()).toBe('echo(你好，世界) turn 6')
  })

  it('the conversation is back after a reload, and New chat starts an empty one', async () => {
    const turns = await page.locator('.turn').count()
    await page.reload()
    await page.waitForSelector('body[data-ready="true"]')
    // A stopped turn is rolled back by the agent (it never happened), so the history has one turn less.
    expect(await page.locator('.turn').count()).toBe(turns - 1)
    expect(await page.locator('.turn .msg.user').allTextContents()).not.toContain('hang on, this is long')
    expect(await page.locator('.turn').first().locator('.card .card-body').textContent()).toBe('1081')
    expect(await page.locator('.turn').last().locator('.answer').textContent()).toBe('echo(你好，世界) turn 6')
    await until(async () => (await page.locator('.turn .images img').first().evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)) === 1)
    await page.screenshot({ path: join(SHOTS, 'after-reload.png'), fullPage: true })
    await page.click('#new-chat')
    await expect.poll(() => page.locator('.turn').count()).toBe(0)
    await ask('fresh start')
    await expect.poll(() => lastTurn().locator('.answer').textContent()).toBe('echo(fresh start) turn 1')
  })

  it('is usable at phone width', async () => {
    const phone = await browser.newPage()
    await phone.setViewportSize({ width: 375, height: 740 })
    await phone.goto(`${server.url}/`)
    await phone.waitForSelector('body[data-ready="true"]')
    await phone.fill('#input', 'calc 12*12')
    await phone.press('#input', 'Enter')
    await expect.poll(() => phone.locator('.turn').last().locator('.answer').textContent(), { timeout: 60_000 }).toBe('The result is 144.')
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375)
    await expect.poll(() => phone.isVisible('#send')).toBe(true)
    await phone.screenshot({ path: join(SHOTS, 'phone.png'), fullPage: true })
    await phone.close()
  })
})
