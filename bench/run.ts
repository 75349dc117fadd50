/**
 * `npm run bench` (compiled to dist/bench/run.js): the four contenders on one scripted dialogue, the micro
 * measurements of the local backend, concurrency and plugin latency, and the ratios with their goals.
 * `node dist/bench/run.js --help` lists the options; bench/RESULTS.md explains the numbers.
 */
import { benchMain } from './main.js'

await benchMain(process.argv.slice(2))
