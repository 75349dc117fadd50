import { open } from 'node:fs/promises'
import { InvalidInputError } from '../../src/errors.js'
import { encodeTensorData, encodedByteLength } from './encode-tensor.js'
import { GgmlTensorType, GgufValueType } from './gguf-types.js'
import type { GgufMetadataValue, GgufScalarTypeName, GgufTensorInput } from './gguf-types.js'

/** Data alignment in bytes; llama.cpp's default when `general.alignment` is absent. */
export const GGUF_ALIGNMENT = 32

/** A whole GGUF file: metadata key-values (in write order) and tensors. */
export interface GgufFileSpec {
  readonly metadata: ReadonlyMap<string, GgufMetadataValue> | Readonly<Record<string, GgufMetadataValue>>
  readonly tensors: readonly GgufTensorInput[]
}

/** Grows a byte buffer for the header; the header is small (vocabulary strings dominate). */
class ByteSink {
  private buffer = new Uint8Array(1 << 16)
  private view = new DataView(this.buffer.buffer)
  length = 0

  /** Grows the buffer when needed; callers must take the offset before reading `view`/`buffer`, which it may replace. */
  private reserve(bytes: number): number {
    if (this.length + bytes > this.buffer.length) {
      const next = new Uint8Array(Math.max(this.buffer.length * 2, this.length + bytes))
      next.set(this.buffer.subarray(0, this.length))
      this.buffer = next
      this.view = new DataView(next.buffer)
    }
    const at = this.length
    this.length += bytes
    return at
  }

  u8(v: number): void { const at = this.reserve(1); this.view.setUint8(at, v) }
  i8(v: number): void { const at = this.reserve(1); this.view.setInt8(at, v) }
  u16(v: number): void { const at = this.reserve(2); this.view.setUint16(at, v, true) }
  i16(v: number): void { const at = this.reserve(2); this.view.setInt16(at, v, true) }
  u32(v: number): void { const at = this.reserve(4); this.view.setUint32(at, v, true) }
  i32(v: number): void { const at = this.reserve(4); this.view.setInt32(at, v, true) }
  f32(v: number): void { const at = this.reserve(4); this.view.setFloat32(at, v, true) }
  f64(v: number): void { const at = this.reserve(8); this.view.setFloat64(at, v, true) }
  u64(v: number | bigint): void { const at = this.reserve(8); this.view.setBigUint64(at, BigInt(v), true) }
  i64(v: number | bigint): void { const at = this.reserve(8); this.view.setBigInt64(at, BigInt(v), true) }
  bytes(b: Uint8Array): void { const at = this.reserve(b.length); this.buffer.set(b, at) }
  string(s: string): void {
    const encoded = new TextEncoder().encode(s)
    this.u64(encoded.length)
    this.bytes(encoded)
  }
  pad(alignment: number): void {
    while (this.length % alignment !== 0) this.u8(0)
  }
  result(): Uint8Array { return this.buffer.subarray(0, this.length) }
}

function writeScalar(sink: ByteSink, type: GgufScalarTypeName, value: number | bigint | boolean | string, key: string): void {
  const mismatch = (): never => {
    throw new InvalidInputError(`GGUF metadata "${key}": value ${String(value)} does not fit type ${type}`)
  }
  if (type === 'string') return typeof value === 'string' ? sink.string(value) : mismatch()
  if (type === 'bool') return typeof value === 'boolean' ? sink.u8(value ? 1 : 0) : mismatch()
  if (typeof value !== 'number' && typeof value !== 'bigint') return mismatch()
  if (type === 'uint64') return sink.u64(value)
  if (type === 'int64') return sink.i64(value)
  const n = Number(value)
  switch (type) {
    case 'uint8': return sink.u8(n)
    case 'int8': return sink.i8(n)
    case 'uint16': return sink.u16(n)
    case 'int16': return sink.i16(n)
    case 'uint32': return sink.u32(n)
    case 'int32': return sink.i32(n)
    case 'float32': return sink.f32(n)
    case 'float64': return sink.f64(n)
  }
}

function entries(metadata: GgufFileSpec['metadata']): [string, GgufMetadataValue][] {
  return metadata instanceof Map ? [...metadata.entries()] : Object.entries(metadata)
}

function checkTensor(tensor: GgufTensorInput): void {
  const count = tensor.shape.reduce((a, b) => a * b, 1)
  if (tensor.shape.length === 0 || tensor.shape.length > 4 || tensor.shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new InvalidInputError(`Tensor ${tensor.name}: shape ${JSON.stringify(tensor.shape)} is not 1–4 positive integers`)
  }
  if (count !== tensor.data.length) {
    throw new InvalidInputError(`Tensor ${tensor.name}: shape ${JSON.stringify(tensor.shape)} needs ${count} values, got ${tensor.data.length}`)
  }
}

/** Serializes the header (magic, counts, metadata, tensor infos) and the data offset of each tensor. */
export function encodeGgufHeader(spec: GgufFileSpec): Uint8Array {
  const sink = new ByteSink()
  const kvs = entries(spec.metadata)
  sink.bytes(new TextEncoder().encode('GGUF'))
  sink.u32(3)
  sink.u64(spec.tensors.length)
  sink.u64(kvs.length)
  for (const [key, entry] of kvs) {
    sink.string(key)
    sink.u32(GgufValueType[entry.type])
    if (entry.type === 'array') {
      sink.u32(GgufValueType[entry.itemType])
      sink.u64(entry.value.length)
      for (const item of entry.value) writeScalar(sink, entry.itemType, item, key)
    } else {
      writeScalar(sink, entry.type, entry.value, key)
    }
  }
  let offset = 0
  for (const tensor of spec.tensors) {
    checkTensor(tensor)
    const type = tensor.type ?? 'F32'
    sink.string(tensor.name)
    sink.u32(tensor.shape.length)
    // ggml stores dimensions innermost first.
    for (const dim of [...tensor.shape].reverse()) sink.u64(dim)
    sink.u32(GgmlTensorType[type])
    sink.u64(offset)
    offset += alignUp(encodedByteLength(type, tensor.data.length), GGUF_ALIGNMENT)
  }
  sink.pad(GGUF_ALIGNMENT)
  return sink.result()
}

function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment
}

/** Writes a GGUF v3 file. Tensor data is encoded one tensor at a time, so memory stays near the largest tensor. */
export async function writeGgufFile(path: string, spec: GgufFileSpec): Promise<{ bytes: number }> {
  const header = encodeGgufHeader(spec)
  const file = await open(path, 'w')
  try {
    let position = 0
    await file.write(header, 0, header.length, position)
    position += header.length
    for (const tensor of spec.tensors) {
      const type = tensor.type ?? 'F32'
      const data = encodeTensorData(type, tensor.data, tensor.shape[tensor.shape.length - 1] ?? 1)
      await file.write(data, 0, data.length, position)
      position += data.length
      const padding = alignUp(data.length, GGUF_ALIGNMENT) - data.length
      if (padding > 0) {
        await file.write(new Uint8Array(padding), 0, padding, position)
        position += padding
      }
    }
    return { bytes: position }
  } finally {
    await file.close()
  }
}
