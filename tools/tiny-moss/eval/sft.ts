/**
 * MOSS SFT first turns are read by the library (src/eval/moss-sft-data.ts), shared with `moss eval --suite moss-sft:DIR`:
 * one implementation.
 */
export * from '../../../src/eval/moss-sft-data.js'
