export { calculator, NO_CALCULATION_RESULTS } from './calculator/index.js'
export type { CalculatorOptions } from './calculator/index.js'
export { equationSolver, NO_RESULT } from './equation-solver/index.js'
export type { EquationSolverOptions } from './equation-solver/index.js'
export {
  search,
  searchConfigFromEnv,
  createSearchBackends,
  defaultBackendNames,
  SEARCH_BACKEND_NAMES,
  searxngBackend,
  braveBackend,
  tavilyBackend,
  serperBackend,
  wikipediaBackend,
  localIndexBackend,
} from './search/index.js'
export type {
  SearchConfig,
  SearchBackend,
  SearchBackendName,
  SearchHit as SearchBackendHit,
  SearchCallOptions,
  HttpBackendOptions,
  SearxngOptions,
  BraveOptions,
  TavilyOptions,
  SerperOptions,
  WikipediaOptions,
  LocalIndexOptions,
  LocalIndexBackend,
  RefreshStats,
} from './search/index.js'
export {
  textToImage,
  textToImageConfigFromEnv,
  createImageBackend,
  IMAGE_BACKEND_NAMES,
  huggingFaceImageBackend,
  sdapiBackend,
  openAiImagesBackend,
  detectImageFormat,
} from './text-to-image/index.js'
export type {
  TextToImageConfig,
  ImageBackend,
  ImageBackendName,
  ImageCallOptions,
  ImageHttpOptions,
  HuggingFaceImageOptions,
  SdapiOptions,
  OpenAiImagesOptions,
  ImageFormat,
} from './text-to-image/index.js'
