/** A tiny scripted HTTP server for client tests: each request takes the next scripted reply. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface Fixture {
  url: string;
  /** Requests received: method, url, headers. */
  seen: { at: number; url: string; headers: http.IncomingHttpHeaders }[];
  /** Replies used in order; when exhausted, `fallback` answers. */
  script(...replies: Reply[]): void;
  close(): Promise<void>;
}

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

export const raw =
  (status: number, text: string, headers: Record<string, string> = {}): Reply =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(text);
  };

export const reset: Reply = (req) => req.socket.destroy();

export const truncated: Reply = (_req, res) => {
  const body = JSON.stringify({ items: [{ id: 'a' }, { id: 'b' }] });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
  res.write(body.slice(0, 10));
  setTimeout(() => res.socket?.destroy(), 5);
};

export const stall =
  (ms: number): Reply =>
  (_req, res) => {
    const t = setTimeout(() => json(200, { late: true })(_req, res), ms);
    res.on('close', () => clearTimeout(t));
  };

export async function startFixture(fallback: Reply = json(200, { ok: true })): Promise<Fixture> {
  let queue: Reply[] = [];
  const seen: Fixture['seen'] = [];
  const server = http.createServer((req, res) => {
    seen.push({ at: Date.now(), url: req.url ?? '', headers: req.headers });
    (queue.shift() ?? fallback)(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    script: (...replies) => {
      queue = replies;
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
