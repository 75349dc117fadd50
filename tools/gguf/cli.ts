#!/usr/bin/env node
/**
 * Command line entry of the GGUF writer, for callers in other languages (the PyTorch trainer).
 *
 *   node dist/tools/gguf/cli.js write --spec spec.json --tensors raw.bin --out model.gguf
 *   node dist/tools/gguf/cli.js random --out test.gguf [--seed 1]
 *
 * See tools/gguf/README.md for the spec format.
 */
import { readFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { InvalidInputError, describeError } from '../../src/errors.js'
import { writeLlamaGguf } from './llama-model.js'
import type { LlamaHyperparameters, NamedTensor } from './llama-model.js'
import type { GgmlTensorTypeName } from './gguf-types.js'
import { writeRandomLlamaModel } from './random-model.js'
import type { SpmVocab } from './vocab.js'

/** The JSON spec read by `write`. */
export interface CliModelSpec {
  readonly name?: string
  readonly hyperparameters: LlamaHyperparameters
  readonly vocab: SpmVocab
  /** Defaults to `F32`. */
  readonly weightType?: GgmlTensorTypeName
  /** Tensors in the order their float32 values follow each other in the raw file. */
  readonly tensors: readonly { readonly name: string; readonly shape: readonly number[] }[]
}

/** Splits a raw little-endian float32 file into the tensors the spec lists. */
export function sliceRawTensors(spec: CliModelSpec, raw: Uint8Array): Map<string, NamedTensor> {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
  const tensors = new Map<string, NamedTensor>()
  let offset = 0
  for (const tensor of spec.tensors) {
    const count = tensor.shape.reduce((a, b) => a * b, 1)
    if (offset + count * 4 > raw.byteLength) {
      throw new InvalidInputError(`Raw tensor file ends inside "${tensor.name}" (needs ${offset + count * 4} bytes, has ${raw.byteLength})`)
    }
    const data = new Float32Array(count)
    for (let i = 0; i < count; i++) data[i] = view.getFloat32(offset + i * 4, true)
    tensors.set(tensor.name, { shape: tensor.shape, data })
    offset += count * 4
  }
  if (offset !== raw.byteLength) throw new InvalidInputError(`Raw tensor file has ${raw.byteLength - offset} bytes more than the spec lists`)
  return tensors
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv
  const { values } = parseArgs({
    args: rest,
    options: { spec: { type: 'string' }, tensors: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' } },
  })
  if (values.out === undefined) throw new InvalidInputError('--out is required')
  if (command === 'write') {
    if (values.spec === undefined || values.tensors === undefined) throw new InvalidInputError('write needs --spec and --tensors')
    const spec = JSON.parse(await readFile(values.spec, 'utf8')) as CliModelSpec
    const tensors = sliceRawTensors(spec, await readFile(values.tensors))
    const { bytes } = await writeLlamaGguf(values.out, { ...spec, tensors })
    process.stdout.write(`wrote ${values.out} (${bytes} bytes)\n`)
  } else if (command === 'random') {
    const { bytes } = await writeRandomLlamaModel(values.out, { seed: values.seed === undefined ? 1 : Number(values.seed) })
    process.stdout.write(`wrote ${values.out} (${bytes} bytes)\n`)
  } else {
    throw new InvalidInputError(`Unknown command ${JSON.stringify(command)}; use "write" or "random"`)
  }
}

// Only run when executed, not when a test imports sliceRawTensors.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`gguf: ${describeError(error)}\n`)
  process.exitCode = 1
})
