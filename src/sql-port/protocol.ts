/**
 * The few pieces of the Postgres frontend/backend protocol (v3) the SQL port reads or writes
 * itself: framing of client messages, the names inside Parse/Bind/Describe/Close/Execute, and the
 * server messages it answers with on its own (startup, errors, COPY). Pure functions, no I/O.
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 */

export const PROTOCOL_3 = 196608;
export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const CANCEL_REQUEST = 80877102;

/** A message from the client: `type` is '' for the untyped startup-phase packets. */
export interface ClientMessage {
  type: string;
  /** The whole message, header included. */
  bytes: Buffer;
  /** The body after the header. */
  body: Buffer;
}

/**
 * Splits `buffer` into complete messages; returns them and the unconsumed rest. Before startup
 * completes, packets have no type byte (length, then code).
 */
export function splitMessages(buffer: Buffer, startup: boolean): { messages: ClientMessage[]; rest: Buffer } {
  const messages: ClientMessage[] = [];
  let at = 0;
  for (;;) {
    if (startup) {
      if (buffer.length - at < 4) break;
      const length = buffer.readInt32BE(at);
      if (length < 8 || buffer.length - at < length) break;
      messages.push({
        type: '',
        bytes: buffer.subarray(at, at + length),
        body: buffer.subarray(at + 4, at + length),
      });
      at += length;
      // Only one startup-phase packet is read at a time: the next may already be typed.
      break;
    }
    if (buffer.length - at < 5) break;
    const length = buffer.readInt32BE(at + 1);
    if (buffer.length - at < 1 + length) break;
    messages.push({
      type: String.fromCharCode(buffer[at]!),
      bytes: buffer.subarray(at, at + 1 + length),
      body: buffer.subarray(at + 5, at + 1 + length),
    });
    at += 1 + length;
  }
  return { messages, rest: buffer.subarray(at) };
}

export function readCString(buffer: Buffer, at: number): { value: string; next: number } {
  const end = buffer.indexOf(0, at);
  if (end < 0) throw new Error('malformed message: unterminated string');
  return { value: buffer.toString('utf8', at, end), next: end + 1 };
}

/** Startup parameters (user, database, options, application_name, …). */
export function startupParameters(body: Buffer): Map<string, string> {
  const params = new Map<string, string>();
  let at = 4; // after the protocol version
  while (at < body.length && body[at] !== 0) {
    const key = readCString(body, at);
    const value = readCString(body, key.next);
    params.set(key.value, value.value);
    at = value.next;
  }
  return params;
}

/** `-c name=value` / `--name=value` pairs of the `options` startup parameter. */
export function parseOptions(options: string): Map<string, string> {
  const out = new Map<string, string>();
  const words = options.match(/(?:\\.|\S)+/g) ?? [];
  for (let i = 0; i < words.length; i++) {
    let word = words[i]!.replace(/\\(.)/g, '$1');
    if (word === '-c' && i + 1 < words.length) word = words[++i]!.replace(/\\(.)/g, '$1');
    else if (word.startsWith('--')) word = word.slice(2);
    else if (word.startsWith('-c')) word = word.slice(2);
    else continue;
    const eq = word.indexOf('=');
    if (eq > 0) out.set(word.slice(0, eq).replace(/-/g, '_'), word.slice(eq + 1));
  }
  return out;
}

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

const cstring = (text: string) => Buffer.from(`${text}\0`, 'utf8');
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};

export const authenticationOk = () => message('R', int32(0));
export const parameterStatus = (name: string, value: string) =>
  message('S', Buffer.concat([cstring(name), cstring(value)]));
export const backendKeyData = (pid: number, secret: number) =>
  message('K', Buffer.concat([int32(pid), int32(secret)]));
export const readyForQuery = (status: 'I' | 'T' | 'E') => message('Z', Buffer.from(status, 'latin1'));
export const commandComplete = (tag: string) => message('C', cstring(tag));
/** CopyInResponse for a text-format COPY (column formats are not needed in text format). */
export const copyInResponse = () => message('G', Buffer.concat([Buffer.from([0]), int16(0)]));

export interface ErrorFields {
  severity: 'ERROR' | 'FATAL';
  /** SQLSTATE. */
  code: string;
  message: string;
  detail?: string;
  hint?: string;
}

export function errorResponse(e: ErrorFields): Buffer {
  const parts = [
    Buffer.from('S'),
    cstring(e.severity),
    Buffer.from('V'),
    cstring(e.severity),
    Buffer.from('C'),
    cstring(e.code),
    Buffer.from('M'),
    cstring(e.message),
  ];
  if (e.detail) parts.push(Buffer.from('D'), cstring(e.detail));
  if (e.hint) parts.push(Buffer.from('H'), cstring(e.hint));
  parts.push(Buffer.from([0]));
  return message('E', Buffer.concat(parts));
}

/** Server messages of a startup response to replay: ParameterStatus ('S') only. */
export function parameterStatuses(response: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  const buffer = Buffer.from(response.buffer, response.byteOffset, response.byteLength);
  for (let at = 0; at + 5 <= buffer.length; ) {
    const type = String.fromCharCode(buffer[at]!);
    const length = buffer.readInt32BE(at + 1);
    if (type === 'S') {
      const name = readCString(buffer, at + 5);
      out.set(name.value, readCString(buffer, name.next).value);
    }
    at += 1 + length;
  }
  return out;
}

/**
 * Follows the message boundaries of server output delivered in chunks, remembering the last
 * complete message's type and first body byte (a ReadyForQuery's transaction status).
 */
export class ServerOutputTracker {
  private header = Buffer.alloc(0);
  private remaining = 0;
  lastType = '';
  lastStatus = '';

  push(chunk: Uint8Array): void {
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (data.length > 0) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, data.length);
        if (this.lastType === 'Z' && this.lastStatus === '' && take > 0)
          this.lastStatus = String.fromCharCode(data[0]!);
        this.remaining -= take;
        data = data.subarray(take);
        continue;
      }
      const need = 5 - this.header.length;
      this.header = Buffer.concat([this.header, data.subarray(0, need)]);
      data = data.subarray(need);
      if (this.header.length < 5) return;
      this.lastType = String.fromCharCode(this.header[0]!);
      this.lastStatus = '';
      this.remaining = this.header.readInt32BE(1) - 4;
      this.header = Buffer.alloc(0);
    }
  }

  /** The transaction status when the output ended with ReadyForQuery, else undefined. */
  readyStatus(): 'I' | 'T' | 'E' | undefined {
    if (this.lastType !== 'Z' || this.remaining > 0) return undefined;
    return this.lastStatus as 'I' | 'T' | 'E';
  }
}

/** Messages whose first string names a prepared statement or portal (type byte + where). */
export const NAMED_MESSAGES = new Set(['P', 'B', 'D', 'C', 'E']);

/**
 * Rewrites the statement and portal names in a client message with `prefix`, so connections
 * sharing one backend session cannot collide (`S_1` of two JDBC connections). Unnamed ('') stay
 * unnamed. Returns the rewritten message and the statement name it prepares (Parse), if any.
 */
export function prefixNames(msg: ClientMessage, prefix: string): { bytes: Buffer; prepared?: string } {
  const body = msg.body;
  const rename = (name: string) => (name === '' ? '' : `${prefix}${name}`);
  const parts: Buffer[] = [];
  let prepared: string | undefined;
  switch (msg.type) {
    case 'P': {
      const name = readCString(body, 0);
      prepared = rename(name.value) || undefined;
      parts.push(cstring(rename(name.value)), body.subarray(name.next));
      break;
    }
    case 'B': {
      const portal = readCString(body, 0);
      const statement = readCString(body, portal.next);
      parts.push(
        cstring(rename(portal.value)),
        cstring(rename(statement.value)),
        body.subarray(statement.next),
      );
      break;
    }
    case 'D':
    case 'C': {
      const name = readCString(body, 1);
      parts.push(body.subarray(0, 1), cstring(rename(name.value)), body.subarray(name.next));
      break;
    }
    case 'E': {
      const portal = readCString(body, 0);
      parts.push(cstring(rename(portal.value)), body.subarray(portal.next));
      break;
    }
    default:
      return { bytes: msg.bytes };
  }
  return { bytes: message(msg.type, Buffer.concat(parts)), prepared };
}

/** The SQL text of a simple Query ('Q') or Parse ('P'). */
export function queryText(msg: ClientMessage): string | undefined {
  if (msg.type === 'Q') return readCString(msg.body, 0).value;
  if (msg.type === 'P') {
    const name = readCString(msg.body, 0);
    return readCString(msg.body, name.next).value;
  }
  return undefined;
}
