/**
 * Starts the OpenTelemetry SDK for this process — only when an OTLP endpoint is configured, with
 * the SDK's own environment variables (OTEL_EXPORTER_OTLP_ENDPOINT or _TRACES_ENDPOINT, _HEADERS,
 * OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER…), which the SDK reads itself;
 * OTEL_SDK_DISABLED=true turns it off. Spans go out over OTLP/HTTP in batches. The CLI calls this
 * once before a command and flushes with `shutdown()` after it.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { VERSION } from './extract/version.ts';
import { tracingRequested } from './tracing-env.ts';

export interface Tracing {
  /** Exports the spans still buffered, then stops and unregisters the provider (idempotent). */
  shutdown(): Promise<void>;
}

export function startTracingFromEnv(env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (!tracingRequested(env)) return undefined;
  return startTracing(new BatchSpanProcessor(new OTLPTraceExporter()));
}

/** Registers a global tracer provider (async-context propagation, W3C trace context) feeding `processor`. */
export function startTracing(processor: SpanProcessor): Tracing {
  const resource = resourceFromAttributes({
    'service.name': 'puffle-sync',
    'service.version': VERSION,
  }).merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  let closing: Promise<void> | undefined;
  const shutdown = async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  };
  return { shutdown: () => (closing ??= shutdown()) };
}
