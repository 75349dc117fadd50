import { mkdtemp, readFile, readdir, rm, unlink, utimes, writeFile, mkdir } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defaultIndexPath, localIndexBackend } from '../../../../plugins/search/local/local-index.js'
import { search } from '../../../../plugins/search/index.js'

const ZH_DOC = `# 城市资料

上海市是中华人民共和国直辖市，位于长江入海口。2020年第七次全国人口普查，上海常住人口为2487万人。

北京是中国的首都，有着三千多年的建城史。

海上丝绸之路是古代中国与外国交通贸易的海上通道。
`

const EN_DOC = `Mount Everest

Mount Everest is Earth's highest mountain above sea level, at 8,849 metres.

The Pacific Ocean is the largest and deepest of the oceans.
`

const HTML_DOC = `<html><head><title>x</title><style>.a{color:red}</style></head>
<body><h1>Tea</h1><p>Green tea is made from &quot;unoxidised&quot; leaves.</p><script>var population = 1</script></body></html>`

let folder: string
/** The cache directory the default index path lands in (XDG_CACHE_HOME points here during each test). */
let cache: string
const signal = new AbortController().signal

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'moss-local-index-'))
  cache = await mkdtemp(join(tmpdir(), 'moss-cache-'))
  vi.stubEnv('XDG_CACHE_HOME', cache)
  await writeFile(join(folder, 'cities.md'), ZH_DOC)
  await writeFile(join(folder, 'world.txt'), EN_DOC)
  // A distractor sharing many characters with the question (人口, 海, 是, 多少) but not the word 上海.
  await writeFile(join(folder, 'beijing.txt'), '北京市的常住人口是2189万人，人口密度是多少？海上交通不便。')
  await mkdir(join(folder, 'sub'))
  await writeFile(join(folder, 'sub', 'tea.html'), HTML_DOC)
  await writeFile(join(folder, 'ignored.pdf'), 'not indexed')
})

afterEach(async () => {
  vi.unstubAllEnvs()
  await rm(folder, { recursive: true, force: true })
  await rm(cache, { recursive: true, force: true })
})

describe('local document index', () => {
  it('keeps its index in the XDG cache directory (else ~/.cache), one file per folder', () => {
    expect(defaultIndexPath('/data/docs', { XDG_CACHE_HOME: '/var/cache/u' })).toMatch(/^\/var\/cache\/u\/moss-agent\/search\/[0-9a-f]{16}\.json$/)
    // A relative XDG_CACHE_HOME is invalid by the XDG rules and ignored.
    expect(defaultIndexPath('/data/docs', { XDG_CACHE_HOME: 'rel' }).startsWith(join(homedir(), '.cache', 'moss-agent', 'search'))).toBe(true)
    expect(defaultIndexPath('/data/docs', {})).not.toBe(defaultIndexPath('/data/other', {}))
  })

  it('refuses a missing folder or a file at once, with a clear error', async () => {
    expect(() => localIndexBackend({ folder: join(folder, 'nope') })).toThrow(/Local search: the folder .*nope does not exist/)
    expect(() => localIndexBackend({ folder: join(folder, 'world.txt') })).toThrow(/world\.txt is a file; give the folder/)
  })

  it('finds the Chinese passage for a Chinese question', async () => {
    const hits = await localIndexBackend({ folder }).search('上海的人口是多少', { signal, limit: 3 })
    expect(hits[0]?.snippet).toContain('2487万人')
    expect(hits[0]?.title).toBe('cities.md')
    expect(hits[0]?.url.startsWith('file://')).toBe(true)
  })

  it('finds English passages, and HTML text without scripts or entities', async () => {
    const backend = localIndexBackend({ folder })
    const everest = await backend.search('how high is mount everest', { signal, limit: 3 })
    expect(everest[0]?.snippet).toContain('8,849 metres')
    const tea = await backend.search('green tea leaves', { signal, limit: 3 })
    expect(tea[0]?.snippet).toBe('Tea Green tea is made from "unoxidised" leaves.')
    expect((await backend.search('population', { signal, limit: 3 })).some((hit) => hit.title.endsWith('.html'))).toBe(false)
  })

  it('persists the index and reloads it without re-reading unchanged documents', async () => {
    const first = await localIndexBackend({ folder }).refresh()
    expect(first).toMatchObject({ reindexed: 4, removed: 0, files: 4, loadedFromDisk: false })
    // The index goes to the cache directory; the documents folder is only read.
    const saved = JSON.parse(await readFile(defaultIndexPath(folder), 'utf8')) as { version: number }
    expect(saved.version).toBe(1)
    expect(defaultIndexPath(folder).startsWith(join(cache, 'moss-agent', 'search'))).toBe(true)
    expect((await readdir(folder)).sort()).toEqual(['beijing.txt', 'cities.md', 'ignored.pdf', 'sub', 'world.txt'])

    const reopened = localIndexBackend({ folder })
    expect(await reopened.refresh()).toMatchObject({ reindexed: 0, removed: 0, files: 4, loadedFromDisk: true })
    const hits = await reopened.search('上海人口', { signal, limit: 3 })
    expect(hits[0]?.snippet).toContain('2487万人')
  })

  it('refreshes when a file changes or disappears', async () => {
    const backend = localIndexBackend({ folder })
    await backend.refresh()
    const path = join(folder, 'world.txt')
    await writeFile(path, 'Kilimanjaro is the highest mountain in Africa, at 5,895 metres.')
    // Same-millisecond writes can keep the mtime: move it explicitly so the check cannot miss the change.
    await utimes(path, new Date(), new Date(Date.now() + 5000))
    const hits = await backend.search('highest mountain', { signal, limit: 3 })
    expect(hits[0]?.snippet).toContain('Kilimanjaro')
    expect(hits.some((hit) => hit.snippet.includes('Everest'))).toBe(false)

    await unlink(join(folder, 'cities.md'))
    expect(await backend.refresh()).toMatchObject({ reindexed: 0, removed: 1, files: 3 })
    const after = await backend.search('上海的人口是多少', { signal, limit: 3 })
    expect(after.some((hit) => hit.snippet.includes('2487'))).toBe(false)
  })

  it('uses a configured index path and rebuilds from a corrupt file', async () => {
    const indexPath = join(folder, 'elsewhere', 'idx.json')
    await mkdir(join(folder, 'elsewhere'))
    await writeFile(indexPath, '{ not json')
    const stats = await localIndexBackend({ folder, indexPath }).refresh()
    expect(stats).toMatchObject({ reindexed: 4, loadedFromDisk: false })
    expect(JSON.parse(await readFile(indexPath, 'utf8'))).toHaveProperty('files')
  })

  it('is the default backend of the Search plugin when a folder is configured', async () => {
    const plugin = search({ local: { folder } })
    const output = await plugin.run('上海的人口是多少')
    const snippets = JSON.parse(output.text) as string[]
    expect(snippets[0]).toContain('2487万人')
    await expect(plugin.run('zzzzqqq')).rejects.toThrow('No search results for "zzzzqqq".')
  })
})
