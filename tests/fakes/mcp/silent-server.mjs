#!/usr/bin/env node
/**
 * An MCP "server" that reads its stdin and never answers anything, not even `initialize`: a hung server. It logs its
 * pid to $MCP_FAKE_LOG so a test can check that it was killed.
 */
import { appendFileSync } from 'node:fs'
import { setInterval } from 'node:timers'

if (process.env.MCP_FAKE_LOG) appendFileSync(process.env.MCP_FAKE_LOG, `started ${process.pid}\n`)
process.stdin.on('data', () => undefined)
setInterval(() => undefined, 1 << 30)
