# Hearth's production image: API and workers in one process by default.
#
#   docker build -t hearth .
#   docker run -e DATABASE_URL=postgres://user:pass@db:5432/hearth -e REDIS_URL=redis://redis:6379 -p 8080:8080 hearth
#
# One role per container (scale them apart, same HEARTH_QUEUE_PREFIX):
#   docker run … hearth node --import tsx src/main.ts api
#   docker run … hearth node --import tsx src/main.ts workers
#
# The service runs its TypeScript with tsx, a runtime dependency, so there is no compile step;
# the type check, lint and tests belong to CI (`npm test`).

ARG NODE_IMAGE=node:20-bookworm-slim

# Build stage: production dependencies only (patch-package, a dependency, applies patches/ at
# postinstall), installed where npm's cache and the lock file's tooling stay behind.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Runtime stage: the dependencies, the sources and the policy files, owned by root and read-only
# to the non-root user the service runs as.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production PORT=8080 HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY workers ./workers
COPY policies ./policies
COPY migrations ./migrations
USER node
EXPOSE 8080
# /healthz answers while the process is up. Node's fetch, since the slim image has no curl. For a
# workers-only container, point this at HEARTH_WORKER_METRICS_PORT (9464) instead.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1 (not npm), so `docker stop`'s SIGTERM reaches Hearth's shutdown: the API
# stops accepting, workers finish active jobs for up to HEARTH_SHUTDOWN_TIMEOUT_MS (25 s), then it
# exits 0. Give `docker stop` more than that: `docker stop -t 35`, or stop_grace_period in compose.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "src/main.ts", "all"]
