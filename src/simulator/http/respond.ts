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
