/**
 * Test/operator control over HTTP, under /__admin/ and only with the `x-admin-token` header (a
 * Puffle key never reaches these routes). Bodies and responses are JSON.
 *   GET  /__admin/state                      counters, keys, enrichment run ids, faults, rate limit
 *   GET  /__admin/requests?from=N            the request log (from entry N)
 *   POST /__admin/requests/reset             clear the log and counters
 *   POST /__admin/mutate   {op:'insert'|'update'|'remove', stream, partition?, id?, fields?}
 *   POST /__admin/keys/revoke {key}    POST /__admin/keys/add {key}
 *   POST /__admin/faults   {rules:[…]} or {spec:'503@/api/leads#2'}
 *   POST /__admin/rate-limit {limit, windowMs} or {limit:null}
 *   POST /__admin/clock    {advanceMs}        move the simulator clock forward → {now}
 *   GET  /__admin/expected/{stream}?limit=N  what a full walk returns now
 *   POST /__admin/webhooks {url, secret} (or {url:null})  where signed webhooks go
 *   GET  /__admin/webhooks                   delivery attempts so far
 *   POST /__admin/webhooks/emit {type, data} send an event → {id}
 *   POST /__admin/webhooks/resend {id}       deliver a message again under its id (a replay)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dataset } from '../data/dataset.ts';
import { parseFaultSpec } from '../fault-spec.ts';
import type { FaultRule, RateLimit, Simulator, StreamName } from '../types.ts';
import { sendJson } from './respond.ts';

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString();
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  sim: Simulator,
  ds: Dataset,
  extra: { faults: () => FaultRule[]; rateLimit: () => RateLimit | null },
): Promise<void> {
  if (req.headers['x-admin-token'] !== sim.adminToken) {
    sendJson(res, 401, JSON.stringify({ error: { code: 'unauthorized', message: 'admin token required' } }));
    return;
  }
  const path = url.pathname.replace(/^\/__admin/, '');
  const ok = (body: unknown) => sendJson(res, 200, JSON.stringify(body));
  try {
    if (req.method === 'GET' && path === '/state') {
      return ok({
        keys: sim.keys,
        requestCount: sim.requestCount,
        sideEffectCalls: sim.sideEffectCalls,
        enrichmentRunIds: sim.enrichmentRunIds,
        faults: extra.faults(),
        rateLimit: extra.rateLimit(),
        now: new Date(sim.now()).toISOString(),
      });
    }
    if (req.method === 'GET' && path === '/webhooks') {
      return ok({ deliveries: sim.webhookDeliveries });
    }
    if (req.method === 'GET' && path === '/requests') {
      const from = Number(url.searchParams.get('from') ?? 0);
      return ok({ count: sim.requestCount, requests: sim.requests.slice(from) });
    }
    const m = /^\/expected\/(\w+)$/.exec(path);
    if (req.method === 'GET' && m) {
      const stream = m[1] as StreamName;
      const limit = Number(url.searchParams.get('limit') ?? 10_000);
      const records = [];
      for (const r of ds.expected(stream)) {
        if (records.length >= limit) break;
        records.push(r);
      }
      return ok({ count: ds.count(stream), records });
    }
    if (req.method !== 'POST')
      return sendJson(
        res,
        404,
        JSON.stringify({ error: { code: 'not_found', message: 'no such admin route' } }),
      );
    const body = await readJson(req);
    switch (path) {
      case '/requests/reset':
        sim.resetLog();
        return ok({ ok: true });
      case '/mutate': {
        const stream = body.stream as StreamName;
        const fields = (body.fields ?? {}) as Record<string, unknown>;
        const partition = body.partition as string | undefined;
        if (body.op === 'insert') return ok({ record: sim.mutate.insert(stream, partition, fields) });
        if (body.op === 'update')
          return ok({ record: sim.mutate.update(stream, String(body.id), fields, partition) });
        if (body.op === 'remove') {
          sim.mutate.remove(stream, String(body.id), partition);
          return ok({ ok: true });
        }
        return sendJson(
          res,
          400,
          JSON.stringify({
            error: { code: 'invalid_request', message: 'op must be insert, update or remove' },
          }),
        );
      }
      case '/keys/revoke':
        sim.revokeKey(String(body.key));
        return ok({ ok: true });
      case '/keys/add':
        sim.addKey(String(body.key));
        return ok({ ok: true });
      case '/faults':
        sim.setFaults(
          typeof body.spec === 'string' ? parseFaultSpec(body.spec) : ((body.rules ?? []) as FaultRule[]),
        );
        return ok({ faults: extra.faults() });
      case '/clock':
        sim.advanceClock(Number(body.advanceMs));
        return ok({ now: new Date(sim.now()).toISOString() });
      case '/webhooks':
        sim.setWebhookTarget(
          body.url === null ? null : { url: String(body.url), secret: String(body.secret) },
        );
        return ok({ ok: true });
      case '/webhooks/emit':
        return ok({ id: sim.emitWebhook(String(body.type), (body.data ?? {}) as Record<string, unknown>) });
      case '/webhooks/resend':
        sim.resendWebhook(String(body.id));
        return ok({ ok: true });
      case '/rate-limit':
        sim.setRateLimit(
          body.limit === null
            ? null
            : { limit: Number(body.limit), windowMs: Number(body.windowMs ?? 60_000) },
        );
        return ok({ rateLimit: extra.rateLimit() });
      default:
        return sendJson(
          res,
          404,
          JSON.stringify({ error: { code: 'not_found', message: 'no such admin route' } }),
        );
    }
  } catch (err) {
    const e = err as Error;
    sendJson(
      res,
      400,
      JSON.stringify({ error: { code: 'invalid_request', message: `${e.name}: ${e.message}` } }),
    );
  }
}
