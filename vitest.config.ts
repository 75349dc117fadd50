import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'examples/**/*.test.ts'],
    // node-llama-cpp's native addon cannot be linked into vm contexts; forks isolate native state per file.
    pool: 'forks',
    // Two cores: integration tests run real inference and child processes, so keep parallelism modest.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
