// Types of wrangler-config.mjs (plain JavaScript, so that Node 20 runs it without a build step).
import type { experimental_readRawConfig } from 'wrangler'

type RawConfig = ReturnType<typeof experimental_readRawConfig>['rawConfig']

export declare function readConfig(configPath: string): RawConfig
export declare function withAbsolutePaths(config: RawConfig, dir: string): RawConfig
