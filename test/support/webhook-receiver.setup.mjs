// A vitest globalSetup (runs in Node, next to the workerd pool): a webhook receiver on 127.0.0.1 for
// the consumer tests. The Worker inside workerd POSTs to it; tests read what it got over HTTP.
//
//   POST /hooks/<name>[?fail=<n>&status=<code>]  records { headers, body }; answers <code> (default 500)
//                                                 to the first <n> requests of that path, 204 after
//   GET  /records/hooks/<name>                    what that path got, in order
//
// Each test uses a name of its own, so tests never see each other's requests.
import http from 'node:http'

export default async function setup(project) {
  const records = new Map()
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://receiver')
    if (req.method === 'GET' && url.pathname.startsWith('/records/')) {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(records.get(url.pathname.slice('/records'.length)) ?? []))
      return
    }
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const got = records.get(url.pathname) ?? []
      records.set(url.pathname, got)
      got.push({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      const failing = got.length <= Number(url.searchParams.get('fail') ?? 0)
      res.writeHead(failing ? Number(url.searchParams.get('status') ?? 500) : 204).end()
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  project.provide('webhookReceiver', `http://127.0.0.1:${server.address().port}`)
  return () =>
    new Promise((resolve) => {
      server.close(resolve)
      server.closeAllConnections() // workerd keeps its connections alive: close() alone would wait for ever
    })
}
