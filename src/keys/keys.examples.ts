import type { Examples } from '../docs/examples'

/** A public key as the set shows it (the key of this example is no key of ours). */
const key = (kid: string, x: string, y: string) => ({ kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' })

export const jwks = {
  ok: {
    signing: {
      summary: 'JWT_SIGNING_KEY is set: its public key',
      value: { keys: [key('2026-05', 'lUuJnJcW8gdyvZR1Vez76GUflHOlwGE85Ad6twPiiqE', 'TuEELklCRd0C_505vYkxt2lLvijvfQtPfShw0ctoyFs')] },
    },
    rotation: {
      summary: 'during a rotation: the current key, then JWT_SIGNING_KEY_PREVIOUS',
      value: {
        keys: [
          key('2026-06', '_-UVOulgoAkMUMMvKQr6r8wJUhqNoiejquPxBITGflM', 'P1g5iQ-SGqpIix1ASwmx9NkcRtpxwaua9XUMdv1tDVk'),
          key('2026-05', 'lUuJnJcW8gdyvZR1Vez76GUflHOlwGE85Ad6twPiiqE', 'TuEELklCRd0C_505vYkxt2lLvijvfQtPfShw0ctoyFs'),
        ],
      },
    },
    none: { summary: 'no JWT_SIGNING_KEY: tokens are HS256, there is no public key', value: { keys: [] } },
  },
} satisfies Record<string, Examples>
