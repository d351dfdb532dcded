# Firebreak's production image (issue 19 item 2). Two stages: the build stage compiles src/ to dist/ with the dev
# tools; the runtime stage holds only what package.json "files" lists, the lockfile, and production modules
# (npm ci --omit=dev), run as the unprivileged `node` user. test/unit/dockerfile.test.ts checks this file's shape, and
# test/e2e/production-install.test.ts runs the same install and start outside Docker (no Docker engine runs in CI).
# Node 22 is the LTS line package.json "engines" names alongside 20.

FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/copy-assets.mjs scripts/
COPY src src
RUN npm run build

FROM node:22-slim AS runtime
ENV NODE_ENV=production \
    PORT=3978 \
    HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
# The "files" of package.json, nothing else.
COPY --from=build /app/dist dist
COPY schemas schemas
COPY templates templates
COPY firebreak.org.example.yml ./
USER node
EXPOSE 3978
# Liveness; readiness (/readyz) is for the load balancer. Node has fetch; the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM goes to node itself (exec form, PID 1): it stops taking work and exits within 10 s (src/main.ts).
CMD ["node", "--no-deprecation", "--max-semi-space-size=4", "--optimize-for-size", "dist/main.js"]
