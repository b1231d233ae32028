/**
 * Where the standard contract is served whatever DIALECT says: the demo page, /docs and the typed
 * client use it. (Its own module, so a client bundle that imports it pulls in nothing else.)
 */
export const STANDARD_BASE = '/compat/standard'
