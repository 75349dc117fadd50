#!/usr/bin/env node
// Thin launcher: the CLI itself is compiled TypeScript (npm install runs the build through `prepare`).
import { main } from '../dist/src/cli/main.js'

process.exitCode = await main(process.argv.slice(2))
