/** Debian's chromium driven by playwright-core: the flags keep it offline, headless and free of first-run work. */
import { existsSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import type { BrowserContext } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)

/** A fresh browser profile (persistent context in a new temp folder), so localStorage starts empty. */
export async function launchChromium(viewport = { width: 1100, height: 800 }): Promise<BrowserContext> {
  const profile = await mkdtemp(join(tmpdir(), 'moss-chromium-'))
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}
