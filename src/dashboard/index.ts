/**
 * src/dashboard — `puffle-sync dashboard`: Bull Board, Prometheus /metrics, /healthz.
 *
 * ```ts
 * startDashboard({ databaseUrl, redisUrl?, queueBackend?, schema?, queuePrefix?, host?, port?, token?, readOnly?,
 *   backendTimeoutMs?, logger? }): Promise<Dashboard>   // Dashboard = { url, port, close() }
 * ```
 */
export { checkHealth, type HealthReport } from './health.ts';
export { createMetrics, type DashboardMetrics } from './metrics.ts';
export type { DashboardOptions } from './options.ts';
export { type Dashboard, QUEUES_PATH, startDashboard } from './server.ts';
