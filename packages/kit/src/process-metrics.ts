// Node's own metrics (CPU, memory, garbage collection, event-loop lag) in a service's registry.
import { collectDefaultMetrics, type Registry } from 'prom-client';

// prom-client samples the event loop's lag with a timer that fires every 10 ms
// by default, so an idle service was woken 100 times a second: 6-14 ms of CPU a
// second for an idle gateway on a 2-core VM, and a wake-up between every two
// requests under light load. Every 100 ms still gives 600 samples a minute.
const EVENT_LOOP_SAMPLE_MS = 100;

export function collectProcessMetrics(registry: Registry, prefix: string): void {
  collectDefaultMetrics({ register: registry, prefix, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
}
