/**
 * `GET /healthz` for a worker (load balancers, Kubernetes probes): 200 while the worker takes
 * jobs, 503 once it is shutting down. Anything else is 404. Loopback only unless `host` says
 * otherwise (`worker --host 0.0.0.0` in a container).
 */
import { createServer, type Server } from 'node:http';

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

export async function serveHealthz(
  port: number,
  health: () => { ok: boolean } & Record<string, unknown>,
  host = '127.0.0.1',
): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/healthz') {
      res.writeHead(404).end();
      return;
    }
    const body = health();
    res.writeHead(body.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  let closing: Promise<void> | undefined;
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })),
  };
}
