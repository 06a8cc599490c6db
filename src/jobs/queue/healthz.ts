/**
 * A worker's HTTP port (`worker --port`), for load balancers, Kubernetes probes and Prometheus:
 * - `GET /healthz` (liveness): 200 while the worker takes jobs, 503 once it is shutting down;
 * - `GET /readyz` (readiness): 200 when Postgres and the queue backend answer, else 503 naming
 *   which failed by code;
 * - `GET /metrics`: this worker's Prometheus text (worker-metrics.ts).
 * Anything else is 404. Loopback only unless `host` says otherwise (`worker --host 0.0.0.0` in a
 * container). The routes take no token, so bodies carry codes and counts, never configuration.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

export interface WorkerRoutes {
  readyz?: () => Promise<{ ok: boolean } & Record<string, unknown>>;
  metrics?: () => Promise<{ contentType: string; body: string }>;
}

export async function serveHealthz(
  port: number,
  health: () => { ok: boolean } & Record<string, unknown>,
  host = '127.0.0.1',
  routes: WorkerRoutes = {},
): Promise<HealthServer> {
  const json = (res: ServerResponse, body: { ok: boolean }) =>
    res.writeHead(body.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const server: Server = createServer((req, res) => {
    const path = req.method === 'GET' ? req.url?.split('?')[0] : undefined;
    if (path === '/healthz') return json(res, health());
    const answer =
      path === '/readyz' && routes.readyz
        ? routes.readyz().then((body) => json(res, body))
        : path === '/metrics' && routes.metrics
          ? routes.metrics().then((m) => res.writeHead(200, { 'content-type': m.contentType }).end(m.body))
          : undefined;
    if (!answer) return res.writeHead(404).end();
    answer.catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
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
