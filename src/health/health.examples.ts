import { errorBody, type Examples } from '../docs/examples'

export const health = {
  ok: { default: { summary: 'configuration valid, D1 and KV answered', value: { status: 'ok' } } },
  down: {
    d1: { summary: 'D1 did not answer', value: errorBody('HEALTH_CHECK_FAILED', 'Unavailable: D1') },
    usersTable: { summary: 'D1 answered, without the users table', value: errorBody('HEALTH_CHECK_FAILED', 'Unavailable: D1 (users table missing)') },
    kv: { summary: 'KV did not answer', value: errorBody('HEALTH_CHECK_FAILED', 'Unavailable: KV') },
    both: { summary: 'neither answered', value: errorBody('HEALTH_CHECK_FAILED', 'Unavailable: D1, KV') },
    configuration: {
      summary: 'a secret, setting or binding is missing or invalid (the log says which)',
      value: errorBody('HEALTH_CHECK_FAILED', 'Unavailable: configuration'),
    },
  },
} satisfies Record<string, Examples>
