import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * One registry per context (never prom-client's global one), so tests and processes that
 * build several contexts do not share counters.
 */
export function createMetrics() {
  const registry = new Registry();
  const httpRequests = new Counter({
    name: 'hearth_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'hearth_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['route', 'method'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const queueDepth = new Gauge({
    name: 'hearth_queue_jobs',
    help: 'Jobs in each queue by state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
  });
  const queueOldestAge = new Gauge({
    name: 'hearth_queue_oldest_waiting_seconds',
    help: 'Age of the oldest job waiting in each queue',
    labelNames: ['queue'] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'hearth_job_duration_seconds',
    help: 'Job processing time by queue and outcome',
    labelNames: ['queue', 'outcome'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const decisions = new Counter({
    name: 'hearth_decisions_total',
    help: 'Decisions stored, by action and urgency',
    labelNames: ['action', 'urgent'] as const,
    registers: [registry],
  });
  const policyFlags = new Counter({
    name: 'hearth_policy_flags_total',
    help: 'Decisions in which a policy was flagged',
    labelNames: ['policy'] as const,
    registers: [registry],
  });
  const deliveryAttempts = new Counter({
    name: 'hearth_delivery_attempts_total',
    help: 'Callback delivery attempts by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const llmCalls = new Counter({
    name: 'hearth_llm_judgements_total',
    help: 'Posts escalated to the LLM, by outcome (judged, cached, failed) and failure reason',
    labelNames: ['status', 'reason'] as const,
    registers: [registry],
  });
  const crisisLane = new Histogram({
    name: 'hearth_crisis_lane_seconds',
    help: 'Crisis-lane posts: seconds from acceptance at ingest to the decision (stage="decided") and to the first callback attempt that succeeded (stage="delivered")',
    labelNames: ['stage'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  });
  const auditUnsealed = new Gauge({
    name: 'hearth_audit_unsealed_events',
    help: 'Audit events committed but not yet sealed into their forum chain (seen by this process’s last sealing pass)',
    registers: [registry],
  });
  const auditUnsealedOldest = new Gauge({
    name: 'hearth_audit_unsealed_oldest_seconds',
    help: 'How long the oldest unsealed audit event has waited to be sealed',
    registers: [registry],
  });
  return {
    registry,
    crisisLane,
    auditUnsealed,
    auditUnsealedOldest,
    httpRequests,
    httpDuration,
    queueDepth,
    queueOldestAge,
    jobDuration,
    decisions,
    policyFlags,
    deliveryAttempts,
    llmCalls,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
