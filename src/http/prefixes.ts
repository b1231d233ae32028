/** Every route is also served under `/compat/<dialect>`, rendered in that client dialect (src/compat/). */
export const COMPAT_PREFIX = '/compat'

/**
 * Where the standard contract is served whatever DIALECT says: the demo page, /docs and the typed
 * client use it. (A module without imports, so a client bundle that imports it pulls in nothing else.)
 */
export const STANDARD_BASE = `${COMPAT_PREFIX}/standard`
