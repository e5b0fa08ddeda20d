import type { MetricsConfig } from '../../../config.js';
import type { Metrics } from '../../../metrics/metrics.js';
import type { App } from '../../context.js';
import { getMetricsRoute } from './get-metrics.js';

/** GET /metrics, registered only when METRICS is on (otherwise it is an unknown route: 404). */
export function metricsRoutes(app: App, config: { metrics: MetricsConfig; logLevel: string }, metrics: Metrics | undefined): void {
  if (metrics && config.metrics.enabled) getMetricsRoute(app, config, metrics);
}
