/**
 * GGUF value and tensor types (GGUF v3, as read by llama.cpp). Numbers are the on-disk codes.
 */

/** Metadata value type codes. */
export const GgufValueType = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
} as const

/** Name of a scalar metadata type. */
export type GgufScalarTypeName = Exclude<keyof typeof GgufValueType, 'array'>

/**
 * One metadata entry. Numbers need an explicit type because GGUF readers check it (llama.cpp refuses a float where
 * it expects a uint32). Arrays hold scalars of one type.
 */
export type GgufMetadataValue =
  | { readonly type: GgufScalarTypeName; readonly value: number | bigint | boolean | string }
  | { readonly type: 'array'; readonly itemType: GgufScalarTypeName; readonly value: readonly (number | bigint | boolean | string)[] }

/** Tensor storage types this writer can produce (ggml_type codes). */
export const GgmlTensorType = {
  F32: 0,
  F16: 1,
  Q8_0: 8,
} as const

/** Name of a tensor storage type. */
export type GgmlTensorTypeName = keyof typeof GgmlTensorType

/** One tensor to write. */
export interface GgufTensorInput {
  /** llama.cpp tensor name, e.g. `blk.0.attn_q.weight`. */
  readonly name: string
  /**
   * Shape in row-major order, outermost first (as NumPy / PyTorch report it: a Linear weight is `[out, in]`).
   * The writer stores it in ggml order (innermost first), so the raw data needs no transposition.
   */
  readonly shape: readonly number[]
  /** Values in row-major order; length must equal the product of `shape`. */
  readonly data: Float32Array
  /** Storage type; defaults to `F32`. `Q8_0` needs the innermost dimension to be a multiple of 32. */
  readonly type?: GgmlTensorTypeName
}
