/**
 * Joins data folders written by build-data (same vocabulary) into one training pool, in the order given, so that a
 * run can mix general dialogues with focused ones in chosen proportions.
 *
 *   node dist/tools/tiny-moss/concat-data.js --out tools/tiny-moss/data/v4 tools/tiny-moss/data/s13 tools/tiny-moss/data/s3 …
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true })
if (values.out === undefined || positionals.length === 0) {
  console.error('usage: concat-data --out DIR SOURCE_DIR...')
  process.exit(2)
}
const out = values.out
const vocab = readFileSync(join(positionals[0]!, 'vocab.json'), 'utf8')
const tokens: Buffer[] = []
const masks: Buffer[] = []
const starts: number[] = []
let offset = 0
for (const dir of positionals) {
  // A different vocabulary would make the token ids meaningless: refuse rather than mix.
  if (readFileSync(join(dir, 'vocab.json'), 'utf8') !== vocab) throw new Error(`${dir} has another vocabulary`)
  const t = readFileSync(join(dir, 'train.tokens.u16'))
  const m = readFileSync(join(dir, 'train.mask.u8'))
  if (t.length !== 2 * m.length) throw new Error(`${dir}: tokens and mask differ in length`)
  const s = readFileSync(join(dir, 'train.starts.u32'))
  for (let i = 0; i < s.length; i += 4) starts.push(s.readUInt32LE(i) + offset)
  tokens.push(t)
  masks.push(m)
  offset += m.length
}
mkdirSync(out, { recursive: true })
writeFileSync(join(out, 'train.tokens.u16'), Buffer.concat(tokens))
writeFileSync(join(out, 'train.mask.u8'), Buffer.concat(masks))
writeFileSync(join(out, 'train.starts.u32'), Buffer.from(new Uint32Array(starts).buffer))
copyFileSync(join(positionals[0]!, 'vocab.json'), join(out, 'vocab.json'))
console.log(`${out}: ${starts.length} dialogues, ${offset} tokens`)
