/**
 * The web page against a server with a bearer token: the page asks for the token once (a prompt), keeps it, and
 * chats and shows images (fetched with the token) normally.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer } from '../server/harness.js'
import type { TestServer } from '../server/harness.js'
import { hasChromium, launchChromium } from './chromium.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

// Chromium comes from apt (.ci/run installs it when missing); without it there is no browser to drive.
describe.skipIf(!hasChromium)('web chat page with a token', () => {
  let server: TestServer
  let browser: BrowserContext

  beforeAll(async () => {
    server = await startTestServer({ webRoot: join(ROOT, 'web'), token: 'page-token' })
    browser = await launchChromium()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('asks for the token once and then chats', { timeout: 60_000 }, async () => {
    const page = await browser.newPage()
    const prompts: string[] = []
    page.on('dialog', (dialog) => {
      prompts.push(dialog.message())
      void dialog.accept('page-token')
    })
    await page.goto(`${server.url}/`)
    await page.waitForSelector('body[data-ready="true"]')
    expect(prompts.length).toBe(1)
    await page.fill('#input', 'draw a cat')
    await page.press('#input', 'Enter')
    const image = page.locator('.turn .images img')
    await image.waitFor()
    await expect.poll(() => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1)
    expect(await page.locator('.turn .answer').textContent()).toBe('echo(draw a cat) turn 1')
    await page.reload()
    await page.waitForSelector('body[data-ready="true"]')
    expect(prompts.length).toBe(1)
    expect(await page.locator('.turn').count()).toBe(1)
  })
})
