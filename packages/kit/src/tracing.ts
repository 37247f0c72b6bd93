// OpenTelemetry tracing for every process. The W3C trace context is always
// continued (a client's `traceparent` reaches every subgraph and store call);
// spans are recorded and exported only when OTEL_TRACES_EXPORTER says where
// (`otlp`, configured by the standard OTEL_EXPORTER_OTLP_* variables, or
// `console`). Off by default, so tracing costs nothing it does not deliver;
// spans still get ids then, so every request has a trace id that its log
// lines and its `traceresponse` header name.
import { context, INVALID_TRACEID, propagation, SpanStatusCode, trace, TraceFlags, type Attributes, type Context } from '@opentelemetry/api';
import { Resource } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  AlwaysOffSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  AlwaysOnSampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import './request-scope';

export const tracer = trace.getTracer('interop-graph');

let provider: NodeTracerProvider | undefined;

export interface TracingOptions {
  serviceName: string;
  /** Extra processors (tests record spans in memory); with one, spans are recorded even without an exporter. */
  spanProcessors?: SpanProcessor[];
  env?: Record<string, string | undefined>;
}

/** Sets up tracing for this process once; later calls return the first setup. */
export function startTracing(options: TracingOptions): { shutdown(): Promise<void> } {
  if (!provider) {
    const env = options.env ?? process.env;
    const exporter = env.OTEL_TRACES_EXPORTER;
    const processors: SpanProcessor[] = [...(options.spanProcessors ?? [])];
    if (exporter === 'otlp') processors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
    else if (exporter === 'console') processors.push(new BatchSpanProcessor(new ConsoleSpanExporter()));
    const recording = processors.length > 0;
    provider = new NodeTracerProvider({
      resource: new Resource({ 'service.name': env.OTEL_SERVICE_NAME ?? options.serviceName }),
      // Without anywhere to send spans, they are not recorded; the context still propagates.
      sampler: new ParentBasedSampler({ root: recording ? new AlwaysOnSampler() : new AlwaysOffSampler() }),
      spanProcessors: processors,
    });
    // The context manager is request-scope's, registered once for the process.
    provider.register({ contextManager: null });
  }
  const registered = provider;
  return { shutdown: () => registered.shutdown() };
}

export type TraceIds = {
  trace_id: string;
  span_id: string;
  trace_flags: string;
};

/**
 * The active span's ids, as W3C Trace Context writes them; undefined outside
 * a trace. Called for every log line: spans only ever hold ids the SDK made or
 * the propagator checked, so only the invalid (all-zero) context is ruled out,
 * not re-validated (isSpanContextValid's patterns cost a microsecond a call).
 */
export function activeTraceIds(): TraceIds | undefined {
  const span = trace.getSpan(context.active())?.spanContext();
  if (!span || span.traceId === INVALID_TRACEID) return undefined;
  return { trace_id: span.traceId, span_id: span.spanId, trace_flags: span.traceFlags & TraceFlags.SAMPLED ? '01' : '00' };
}

/**
 * The W3C Trace Context Level 2 `traceresponse` header for the active span
 * (version, trace id, the server's span id, flags): the client learns the
 * trace its request is in, whether it sent a `traceparent` or not.
 */
export function traceResponse(): string | undefined {
  const ids = activeTraceIds();
  return ids && `00-${ids.trace_id}-${ids.span_id}-${ids.trace_flags}`;
}

/** The trace context a request carries in its headers (`traceparent`, `tracestate`). */
export function extractTraceContext(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(context.active(), headers);
}

/** Adds the active trace context to outgoing headers. */
export function injectTraceContext(headers: Record<string, string>): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
}

/**
 * Runs `work` in a span that ends with it and records its failure. Under a
 * span that is not recorded (no exporter, or a caller's trace that is not
 * sampled), a child would not be recorded either and would add nothing but an
 * id: `work` then runs in its parent's span, at none of a span's cost.
 */
export function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  const parent = trace.getSpan(context.active());
  if (parent && !parent.isRecording()) return work();
  return inRequestSpan(name, attributes, work);
}

/**
 * A span that is always made, recorded or not: a request's own, whose id its
 * `traceresponse` header, its log lines and the trace context it passes on name.
 * Its parent is `parent` when given (the trace a request's headers carry),
 * the active span otherwise. Chained rather than awaited: this runs for every
 * request, and each promise pays the async hooks request scopes run on.
 */
export function inRequestSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>, parent: Context = context.active()): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, parent, (span) => {
    const failed = (error: unknown): never => {
      span.setStatus({ code: SpanStatusCode.ERROR });
      if (error instanceof Error) span.recordException(error);
      span.end();
      throw error;
    };
    let running: Promise<T>;
    try {
      running = work();
    } catch (error) {
      running = Promise.reject(error);
    }
    return running.then((value) => {
      span.end();
      return value;
    }, failed);
  });
}
