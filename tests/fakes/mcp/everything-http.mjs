#!/usr/bin/env node
/**
 * server-everything (its own `createServer`) over Streamable HTTP on 127.0.0.1 only, at an ephemeral port printed on
 * stdout as `listening <port>`. Its bundled launcher (`dist/index.js streamableHttp`) binds every interface, which the
 * tests must not do; this host serves the same server factory and the SDK's `StreamableHTTPServerTransport`.
 */
import { randomUUID } from 'node:crypto'
import { createServer as createHttpServer } from 'node:http'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { createServer } from '@modelcontextprotocol/server-everything/dist/server/index.js'

const sessions = new Map()
const http = createHttpServer(async (req, res) => {
  if (!req.url?.startsWith('/mcp')) {
    res.writeHead(404).end()
    return
  }
  const id = req.headers['mcp-session-id']
  let transport = typeof id === 'string' ? sessions.get(id) : undefined
  if (!transport) {
    if (req.method !== 'POST' || id !== undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","error":{"code":-32000,"message":"no such session"},"id":null}')
      return
    }
    const { server, cleanup } = createServer()
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => sessions.set(sid, transport),
    })
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId)
      cleanup(transport.sessionId)
    }
    await server.connect(transport)
  }
  await transport.handleRequest(req, res)
})
http.listen(0, '127.0.0.1', () => console.log(`listening ${http.address().port}`))
