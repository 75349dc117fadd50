import { InvalidInputError } from '../../src/errors.js'
import type { GgmlTensorTypeName } from './gguf-types.js'

/** Elements per Q8_0 block (one f16 scale + 32 int8). */
export const Q8_0_BLOCK = 32

const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)

/** IEEE half-precision bits of `value`, rounded to nearest even (what numpy's astype(float16) does). */
export function toFloat16Bits(value: number): number {
  f32[0] = value
  const x = u32[0] ?? 0
  const sign = (x >>> 16) & 0x8000
  const exp = (x >>> 23) & 0xff
  let mant = x & 0x7fffff
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0)
  let e = exp - 127 + 15
  if (e >= 0x1f) return sign | 0x7c00
  if (e <= 0) {
    // Subnormal half (or zero): shift the implicit bit in and round.
    if (e < -10) return sign
    mant |= 0x800000
    const shift = 14 - e
    const half = 1 << (shift - 1)
    const rest = mant & ((1 << shift) - 1)
    let h = mant >>> shift
    if (rest > half || (rest === half && (h & 1) === 1)) h += 1
    return sign | h
  }
  const rest = mant & 0x1fff
  mant >>>= 13
  if (rest > 0x1000 || (rest === 0x1000 && (mant & 1) === 1)) {
    mant += 1
    if (mant === 0x400) {
      mant = 0
      e += 1
      if (e >= 0x1f) return sign | 0x7c00
    }
  }
  return sign | (e << 10) | mant
}

/** The value of half-precision bits (used to quantize with the rounded scale, as ggml does). */
export function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1
  const exp = (bits >>> 10) & 0x1f
  const mant = bits & 0x3ff
  if (exp === 0) return sign * mant * 2 ** -24
  if (exp === 0x1f) return mant !== 0 ? Number.NaN : sign * Number.POSITIVE_INFINITY
  return sign * (1 + mant / 1024) * 2 ** (exp - 15)
}

/** Bytes needed to store `count` elements as `type`. */
export function encodedByteLength(type: GgmlTensorTypeName, count: number): number {
  switch (type) {
    case 'F32':
      return count * 4
    case 'F16':
      return count * 2
    case 'Q8_0':
      return (count / Q8_0_BLOCK) * 34
  }
}

/** Encodes row-major float data into ggml's little-endian storage layout for `type`. */
export function encodeTensorData(type: GgmlTensorTypeName, data: Float32Array, innermost: number): Uint8Array {
  const out = new Uint8Array(encodedByteLength(type, data.length))
  const view = new DataView(out.buffer)
  switch (type) {
    case 'F32':
      for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i] ?? 0, true)
      return out
    case 'F16':
      for (let i = 0; i < data.length; i++) view.setUint16(i * 2, toFloat16Bits(data[i] ?? 0), true)
      return out
    case 'Q8_0': {
      if (innermost % Q8_0_BLOCK !== 0) {
        throw new InvalidInputError(`Q8_0 needs the innermost dimension to be a multiple of ${Q8_0_BLOCK} (got ${innermost})`)
      }
      for (let block = 0; block < data.length / Q8_0_BLOCK; block++) {
        const base = block * Q8_0_BLOCK
        let amax = 0
        for (let j = 0; j < Q8_0_BLOCK; j++) amax = Math.max(amax, Math.abs(data[base + j] ?? 0))
        const scaleBits = toFloat16Bits(amax / 127)
        const scale = fromFloat16Bits(scaleBits)
        const inverse = scale !== 0 ? 1 / scale : 0
        const offset = block * 34
        view.setUint16(offset, scaleBits, true)
        for (let j = 0; j < Q8_0_BLOCK; j++) {
          const q = Math.max(-127, Math.min(127, Math.round((data[base + j] ?? 0) * inverse)))
          view.setInt8(offset + 2 + j, q)
        }
      }
      return out
    }
  }
}
