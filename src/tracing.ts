/**
 * The only tracing API the sync uses: spans around jobs, HTTP requests and page commits, and the
 * W3C trace context that links a job to the span that queued it. Everything here is a no-op until
 * src/tracing-sdk.ts has started an SDK (OTEL_EXPORTER_OTLP_ENDPOINT set). Attributes are ids,
 * names, counts and HTTP statuses only — never the API key, record values or query strings — and
 * a failed span carries the error's class or code, never its message.
 */
import {
  type Attributes,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

/** `traceparent` (and `tracestate`): stored in job data, free of secrets by construction. */
export type TraceCarrier = Record<string, string>;

export interface OpenSpan {
  /** Ends the span once (later calls do nothing); `error` marks it failed with the error's code or class. */
  end(attributes?: Attributes, error?: unknown): void;
}

const tracer = () => trace.getTracer('puffle-sync');

/** A span that is not made current: for leaves (a request, a page commit) with no spans inside. */
export function startSpan(name: string, attributes: Attributes): OpenSpan {
  const span = tracer().startSpan(name, { attributes });
  let ended = false;
  return {
    end(more, error) {
      if (ended) return;
      ended = true;
      if (more) span.setAttributes(more);
      if (error !== undefined) markFailed(span, error);
      span.end();
    },
  };
}

/**
 * Runs `fn` inside a span that is current for everything it awaits (requests and commits become
 * its children). `parent`, when given, is the carrier of a span in another process (the job that
 * queued this one). `failed` decides whether a thrown error fails the span: BullMQ signals
 * "waiting for children" and "delayed" by throwing, which is not a failure.
 */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: () => Promise<T>,
  opts: { parent?: TraceCarrier; failed?: (err: unknown) => boolean } = {},
): Promise<T> {
  const parent = opts.parent ? propagation.extract(ROOT_CONTEXT, opts.parent) : context.active();
  return tracer().startActiveSpan(name, { attributes }, parent, async (span) => {
    try {
      return await fn();
    } catch (err) {
      if (opts.failed?.(err) ?? true) markFailed(span, err);
      else span.setAttribute('puffle.job.paused_by', errorType(err));
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The current span's context to store with a job it queues; undefined while tracing is off. */
export function traceCarrier(): TraceCarrier | undefined {
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length > 0 ? carrier : undefined;
}

function markFailed(span: Span, err: unknown): void {
  span.setAttribute('error.type', errorType(err));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** The class name (`AuthRejectedError`), or a code (`ECONNRESET`) when the class says nothing. */
function errorType(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown };
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  if (name === 'Error' && typeof e?.code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(e.code)) return e.code;
  return name;
}
