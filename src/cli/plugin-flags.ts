/**
 * Flags that configure the built-in plugins. Each one is handed to the plugin's `*ConfigFromEnv` as the environment
 * variable it reads, so flags and variables stay one mechanism.
 */
export interface PluginFlag {
  /** Long flag without `--`. */
  readonly flag: string
  /** Placeholder of the value in `--help` (`URL`, `KEY`, …). */
  readonly value: string
  /** Environment variable the plugin reads. */
  readonly env: string
  /** Help text. */
  readonly help: string
}

/** The plugin flag table. */
export const PLUGIN_FLAGS: readonly PluginFlag[] = [
  { flag: 'search-backend', value: 'NAMES', env: 'MOSS_SEARCH_BACKEND', help: 'comma list of local,searxng,brave,tavily,serper,wikipedia, or none' },
  { flag: 'searxng-url', value: 'URL', env: 'MOSS_SEARXNG_URL', help: 'SearxNG instance URL' },
  { flag: 'brave-key', value: 'KEY', env: 'MOSS_BRAVE_API_KEY', help: 'Brave Search API key' },
  { flag: 'tavily-key', value: 'KEY', env: 'MOSS_TAVILY_API_KEY', help: 'Tavily API key' },
  { flag: 'serper-key', value: 'KEY', env: 'MOSS_SERPER_API_KEY', help: 'Serper API key' },
  { flag: 'search-index', value: 'FILE', env: 'MOSS_SEARCH_INDEX', help: 'index file of --docs (default: in ~/.cache/moss-agent)' },
  { flag: 'image-backend', value: 'NAME', env: 'MOSS_IMAGE_BACKEND', help: 'text-to-image backend: huggingface, sdapi, openai, none' },
  { flag: 'sdapi-url', value: 'URL', env: 'MOSS_SDAPI_URL', help: 'AUTOMATIC1111 / Forge / sd.cpp server URL' },
  { flag: 'hf-image-model', value: 'ID', env: 'MOSS_HF_IMAGE_MODEL', help: 'Hugging Face text-to-image model id' },
  { flag: 'hf-image-url', value: 'URL', env: 'MOSS_HF_IMAGE_URL', help: 'Hugging Face text-to-image endpoint URL' },
  { flag: 'openai-images-url', value: 'URL', env: 'MOSS_OPENAI_IMAGES_URL', help: 'OpenAI-style images API URL' },
  { flag: 'openai-images-key', value: 'KEY', env: 'MOSS_OPENAI_IMAGES_KEY', help: 'OpenAI-style images API key' },
  { flag: 'image-dir', value: 'DIR', env: 'MOSS_IMAGE_DIR', help: 'folder for generated images (default ./moss-images)' },
]
