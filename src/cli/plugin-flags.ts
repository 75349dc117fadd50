/**
 * Flags that configure the built-in plugins. Each one is handed to the plugin's `*ConfigFromEnv` as the environment
 * variable it reads, so flags and variables stay one mechanism.
 */
export interface PluginFlag {
  /** Long flag without `--`. */
  readonly flag: string
  /** Environment variable the plugin reads. */
  readonly env: string
  /** Help text. */
  readonly help: string
}

/** The plugin flag table. */
export const PLUGIN_FLAGS: readonly PluginFlag[] = [
  { flag: 'search-backend', env: 'MOSS_SEARCH_BACKEND', help: 'search backends: local,searxng,brave,tavily,serper,wikipedia or none' },
  { flag: 'searxng-url', env: 'MOSS_SEARXNG_URL', help: 'SearxNG instance URL' },
  { flag: 'brave-key', env: 'MOSS_BRAVE_API_KEY', help: 'Brave Search API key' },
  { flag: 'tavily-key', env: 'MOSS_TAVILY_API_KEY', help: 'Tavily API key' },
  { flag: 'serper-key', env: 'MOSS_SERPER_API_KEY', help: 'Serper API key' },
  { flag: 'search-index', env: 'MOSS_SEARCH_INDEX', help: 'where the --docs index is cached' },
  { flag: 'image-backend', env: 'MOSS_IMAGE_BACKEND', help: 'text-to-image backend: huggingface, sdapi, openai, none' },
  { flag: 'sdapi-url', env: 'MOSS_SDAPI_URL', help: 'AUTOMATIC1111 / Forge / sd.cpp server URL' },
  { flag: 'hf-image-model', env: 'MOSS_HF_IMAGE_MODEL', help: 'Hugging Face text-to-image model id' },
  { flag: 'hf-image-url', env: 'MOSS_HF_IMAGE_URL', help: 'Hugging Face text-to-image endpoint URL' },
  { flag: 'openai-images-url', env: 'MOSS_OPENAI_IMAGES_URL', help: 'OpenAI-style images API URL' },
  { flag: 'openai-images-key', env: 'MOSS_OPENAI_IMAGES_KEY', help: 'OpenAI-style images API key' },
  { flag: 'image-dir', env: 'MOSS_IMAGE_DIR', help: 'folder for generated images (default ./moss-images)' },
]
