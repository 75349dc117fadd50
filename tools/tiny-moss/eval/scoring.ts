/**
 * The scoring rules of the independent evaluations live in the library (src/eval/builtin-scoring.ts), shared with
 * `moss eval --suite builtin`: one implementation.
 */
export * from '../../../src/eval/builtin-scoring.js'
