/** Writing responses: JSON, error envelopes, and the deliberately broken bodies of faults. */
import type { ServerResponse } from 'node:http';
import type { ApiErrorCode } from '../errors/api-error.ts';
import type { FaultRule } from '../types.ts';

export function errorBody(format: 'nested' | 'flat', code: ApiErrorCode, message: string): string {
  return JSON.stringify(format === 'flat' ? { error: message } : { error: { code, message } });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
}

/** A 200 whose body breaks in the way the fault describes. */
export function sendBroken(res: ServerResponse, rule: FaultRule, body: string): void {
  const buf = Buffer.from(body);
  const half = buf.subarray(0, Math.max(1, Math.floor(buf.length / 2)));
  const json = { 'content-type': 'application/json; charset=utf-8' };
  switch (rule.kind) {
    case 'malformed': {
      const bad = `${half.toString('latin1')}<html><body>502 Bad Gateway</body></html>`;
      sendJson(res, 200, bad);
      return;
    }
    case 'truncated':
      if (rule.truncate === 'chunked') {
        res.writeHead(200, { ...json, 'transfer-encoding': 'chunked' });
        res.write(half, () => res.socket?.end());
      } else {
        res.writeHead(200, { ...json, 'content-length': String(buf.length) });
        res.write(half, () => res.socket?.end());
      }
      return;
    case 'reset':
      res.writeHead(200, { ...json, 'content-length': String(buf.length) });
      res.write(half, () => {
        const s = res.socket;
        if (s && typeof s.resetAndDestroy === 'function') s.resetAndDestroy();
        else s?.destroy();
      });
      return;
    default:
      sendJson(res, 200, body);
  }
}

/**
 * A misconfigured proxy's error page that repeats the request headers it received, the key among
 * them without its `pk_live_` prefix: what a client must never pass on verbatim.
 */
export function sendEcho(res: ServerResponse, status: number, authorization: string): void {
  const echoed = authorization.replace(/^Bearer\s+pk_live_/i, '');
  const body = `<!DOCTYPE html><html><head><title>${status} Error</title></head><body><h1>${status} Error</h1><p>upstream rejected the request</p><pre>debug: authorization=${echoed}</pre></body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}
