import client from "prom-client";

/** Prometheus metrics of this process (default Node metrics + HTTP and GraphQL counters). */
export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "pbms_" });
  const httpDuration = new client.Histogram({
    name: "pbms_http_request_duration_seconds",
    help: "HTTP request duration",
    labelNames: ["method", "route", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const graphqlOperations = new client.Counter({
    name: "pbms_graphql_operations_total",
    help: "GraphQL operations by name and outcome",
    labelNames: ["operation", "outcome"],
    registers: [registry],
  });
  return { registry, httpDuration, graphqlOperations };
}

export type Metrics = ReturnType<typeof createMetrics>;
