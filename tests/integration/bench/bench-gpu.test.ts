/**
 * `npm run bench -- --gpu cuda|vulkan` on a machine without that GPU: the option reaches llama.cpp, which cannot start
 * that build, and the bench says so in one line and exits 1 instead of crashing with a stack trace. (Where the GPU
 * exists the same command runs on it and the report names the device; these machines have none.)
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { getLlama } from 'node-llama-cpp'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..', '..', '..')
const BENCH = join(ROOT, 'dist', 'bench', 'run.js')

/** Whether llama.cpp starts with `gpu` here (then the failure case cannot be shown on this machine). */
async function gpuWorks(gpu: 'cuda' | 'vulkan'): Promise<boolean> {
  try {
    const llama = await getLlama({ gpu, build: 'never', progressLogs: false })
    await llama.dispose()
    return true
  } catch {
    return false
  }
}

describe('bench --gpu', () => {
  for (const gpu of ['cuda', 'vulkan'] as const) {
    it(`reports that llama.cpp has no usable ${gpu} build, in one clear line, with exit code 1`, async (context) => {
      // dist/ comes from `npx tsc -p tsconfig.json` (the bench runs compiled); a machine with the GPU cannot show the failure.
      if (!existsSync(BENCH)) return context.skip('dist/bench/run.js is not built')
      if (await gpuWorks(gpu)) return context.skip(`this machine has a working ${gpu} device`)
      const failure = await run(process.execPath, [BENCH, '--gpu', gpu, '--models', 'tiny', '--plugin-calls', '0'], {
        cwd: ROOT,
        env: { ...process.env, NODE_LLAMA_CPP_SKIP_DOWNLOAD: 'true' },
      }).then(
        () => undefined,
        (error: { code?: number; stderr?: string }) => error,
      )
      expect(failure?.code).toBe(1)
      const stderr = failure?.stderr ?? ''
      expect(stderr).toContain(`bench failed: MOSS_ERR_MODEL_LOAD: llama.cpp has no ${gpu} build that runs on this machine`)
      expect(stderr).not.toMatch(/\n\s+at /)
    }, 120_000)
  }
})
