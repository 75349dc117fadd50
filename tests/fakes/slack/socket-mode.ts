/**
 * A stand-in for Slack's Socket Mode on 127.0.0.1: the WebSocket that `apps.connections.open` hands out, speaking
 * the real protocol over a minimal RFC 6455 server (node has a WebSocket client but no server, and no ws package is
 * installed): `hello` on connect, envelopes `{ envelope_id, type: 'events_api', payload, retry_attempt, … }` sent
 * to the app, acknowledgements `{ envelope_id, payload? }` read back, pings answered with pongs, `disconnect`.
 */
import { createHash, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { IncomingMessage, Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** RFC 6455's key suffix for `Sec-WebSocket-Accept`. */
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'

const OPCODE = { text: 0x1, close: 0x8, ping: 0x9, pong: 0xa } as const

/** An acknowledgement read from the app. */
export interface SocketAck {
  readonly envelope_id: string
  readonly payload?: unknown
}

export class FakeSocketMode {
  /** Acknowledgements received, in order. */
  readonly acks: SocketAck[] = []
  /** Connections opened by the app so far. */
  connections = 0
  readonly #server: Server
  readonly #sockets = new Set<Socket>()
  readonly #waiters = new Map<string, (ack: SocketAck) => void>()
  #url = ''

  constructor() {
    this.#server = createServer((_req, res) => res.writeHead(426).end())
    this.#server.on('upgrade', (req: IncomingMessage, socket: Socket) => this.#accept(req, socket))
  }

  /** The `wss://…` URL `apps.connections.open` returns (here `ws://127.0.0.1:…/link`). */
  get url(): string {
    return `${this.#url}/link`
  }

  /** Open app connections. */
  get open(): number {
    return this.#sockets.size
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve))
    this.#url = `ws://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
    return this
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy()
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  /**
   * Sends an Events API envelope carrying `payload` (an `event_callback` body) to every open connection and resolves
   * to the app's acknowledgement. `retryAttempt` > 0 marks a redelivery, as Slack does after a missed ack.
   */
  sendEvent(payload: Record<string, unknown>, retryAttempt = 0): Promise<SocketAck> {
    const envelopeId = randomUUID()
    const acked = new Promise<SocketAck>((resolve) => this.#waiters.set(envelopeId, resolve))
    this.#broadcast({
      envelope_id: envelopeId,
      type: 'events_api',
      payload,
      accepts_response_payload: false,
      retry_attempt: retryAttempt,
      retry_reason: retryAttempt > 0 ? 'timeout' : '',
    })
    return acked
  }

  #broadcast(message: unknown): void {
    for (const socket of this.#sockets) socket.write(frame(OPCODE.text, Buffer.from(JSON.stringify(message))))
  }

  #accept(req: IncomingMessage, socket: Socket): void {
    const key = req.headers['sec-websocket-key']
    if (typeof key !== 'string' || req.headers.upgrade?.toLowerCase() !== 'websocket') {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')
      return
    }
    const accept = createHash('sha1').update(key + WS_GUID).digest('base64')
    socket.write(
      ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`, '', ''].join('\r\n'),
    )
    this.#sockets.add(this.#track(socket))
    this.connections++
    socket.write(frame(OPCODE.text, Buffer.from(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0001' } }))))
  }

  #track(socket: Socket): Socket {
    let buffered = Buffer.alloc(0)
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk])
      for (let parsed = parseFrame(buffered); parsed; parsed = parseFrame(buffered)) {
        buffered = buffered.subarray(parsed.length)
        this.#onFrame(socket, parsed.opcode, parsed.payload)
      }
    })
    socket.on('close', () => this.#sockets.delete(socket))
    socket.on('error', () => this.#sockets.delete(socket))
    return socket
  }

  #onFrame(socket: Socket, opcode: number, payload: Buffer): void {
    if (opcode === OPCODE.ping) socket.write(frame(OPCODE.pong, payload))
    else if (opcode === OPCODE.close) {
      socket.end(frame(OPCODE.close, payload.subarray(0, 2)))
      this.#sockets.delete(socket)
    } else if (opcode === OPCODE.text) {
      const ack = JSON.parse(payload.toString('utf8')) as SocketAck
      this.acks.push(ack)
      this.#waiters.get(ack.envelope_id)?.(ack)
      this.#waiters.delete(ack.envelope_id)
    }
  }
}

/** A final, unmasked frame (server to client). */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length
  const head = length < 126 ? Buffer.from([0x80 | opcode, length]) : Buffer.alloc(length < 0x10000 ? 4 : 10)
  if (length >= 126 && length < 0x10000) {
    head.writeUInt8(0x80 | opcode, 0)
    head.writeUInt8(126, 1)
    head.writeUInt16BE(length, 2)
  } else if (length >= 0x10000) {
    head.writeUInt8(0x80 | opcode, 0)
    head.writeUInt8(127, 1)
    head.writeBigUInt64BE(BigInt(length), 2)
  }
  return Buffer.concat([head, payload])
}

/** One frame from the client (masked, as RFC 6455 requires), or `undefined` until it has fully arrived. */
function parseFrame(data: Buffer): { opcode: number; payload: Buffer; length: number } | undefined {
  if (data.length < 2) return undefined
  const opcode = (data[0] ?? 0) & 0x0f
  const masked = ((data[1] ?? 0) & 0x80) !== 0
  let length = (data[1] ?? 0) & 0x7f
  let offset = 2
  if (length === 126) {
    if (data.length < 4) return undefined
    length = data.readUInt16BE(2)
    offset = 4
  } else if (length === 127) {
    if (data.length < 10) return undefined
    length = Number(data.readBigUInt64BE(2))
    offset = 10
  }
  const maskAt = offset
  if (masked) offset += 4
  if (data.length < offset + length) return undefined
  const payload = Buffer.from(data.subarray(offset, offset + length))
  if (masked) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (data[maskAt + (i % 4)] ?? 0)
  return { opcode, payload, length: offset + length }
}
