/**
 * What the package's entries cost a user: importing a built-in plugin or the plugin kit never loads node-llama-cpp
 * (checked in a child process that refuses to resolve it), and the shipped declarations compile in a user's project
 * with `skipLibCheck: false`. Both run against dist/ (`npm run build` first).
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const REGISTER = join(ROOT, 'tests/fixtures/forbid-module/register.mjs')
const built = existsSync(join(ROOT, 'dist/src/index.js'))

/** Imports `entry` in a child process where resolving `node-llama-cpp` throws. */
async function importWithout(entry: string): Promise<{ ok: boolean; stderr: string }> {
  const script = `const m = await import(${JSON.stringify(pathToFileURL(join(ROOT, entry)).href)}); console.log(Object.keys(m).length)`
  try {
    await run(process.execPath, ['--import', pathToFileURL(REGISTER).href, '--input-type=module', '-e', script], {
      env: { ...process.env, FORBID_MODULE: 'node-llama-cpp' },
    })
    return { ok: true, stderr: '' }
  } catch (error) {
    return { ok: false, stderr: String((error as { stderr?: unknown }).stderr) }
  }
}

// Skipped without a build: these tests check the shipped files, which only `npm run build` produces.
describe.skipIf(!built)('package entries', () => {
  it('the root entry does load node-llama-cpp (the probe works)', async () => {
    const root = await importWithout('dist/src/index.js')
    expect(root.ok).toBe(false)
    expect(root.stderr).toContain('forbidden module node-llama-cpp')
  })

  it.each(['dist/plugins/calculator/index.js', 'dist/plugins/index.js', 'dist/src/plugin-kit.js', 'dist/src/testing/index.js'])(
    'importing %s never loads node-llama-cpp',
    async (entry) => {
      const result = await importWithout(entry)
      expect(result.stderr).toBe('')
      expect(result.ok).toBe(true)
    },
  )

  it("a user's tsc with skipLibCheck: false compiles against every entry's declarations", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'moss-agent-consumer-'))
    try {
      const declarations = (path: string) => JSON.stringify(join(ROOT, path))
      await writeFile(
        join(dir, 'consumer.ts'),
        [
          `import { createAgent, type Agent } from ${declarations('dist/src/index.js')}`,
          `import { definePlugin } from ${declarations('dist/src/plugin-kit.js')}`,
          `import { ScriptedBackend } from ${declarations('dist/src/testing/index.js')}`,
          `import { calculator } from ${declarations('dist/plugins/index.js')}`,
          `const agent: Agent = createAgent({ backend: new ScriptedBackend(), plugins: [calculator(), definePlugin({ name: 'n', command: 'N', description: 'd', run: () => 'x' })] })`,
          'export default agent',
          '',
        ].join('\n'),
      )
      await writeFile(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            skipLibCheck: false,
            noEmit: true,
            types: ['node'],
            typeRoots: [join(ROOT, 'node_modules/@types')],
          },
          files: ['consumer.ts'],
        }),
      )
      const tsc = join(ROOT, 'node_modules/typescript/bin/tsc')
      const result = await run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir }).catch((error: unknown) => error as { stdout: string })
      expect((result as { stdout: string }).stdout).toBe('')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
