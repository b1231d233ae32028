// vitest globalSetup (runs in Node, before the test files): the local OpenID provider the sign-in
// tests configure through OIDC_PROVIDERS. Its origin reaches the tests through `inject('oidcProvider')`.
import type { TestProject } from 'vitest/node'
import { startOidcProvider } from '../fixtures/oidc-provider.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    oidcProvider: string
  }
}

export default async function setup(project: TestProject) {
  const provider = await startOidcProvider()
  project.provide('oidcProvider', provider.origin)
  return () => provider.stop()
}
