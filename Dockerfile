# syntax=docker/dockerfile:1
# Tamna in a container: `docker build -t tamna .` then deploy/compose.yaml (with PostgreSQL),
# or alone with SQLite: docker run -p 127.0.0.1:3000:3000 -v tamna-data:/app/data tamna
# (add `serve --demo-if-empty` to try it with the demo paper). README "Running in production".

# --- build: every dependency, and the type check as a gate -------------------------------
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY client ./client
# No compile step (tsx runs the sources, the admin bundle is built at start): what this
# stage adds is refusing to build an image from a tree that does not type-check.
RUN npx tsc --noEmit && npx tsc --noEmit -p client

# --- runtime: production dependencies only, as an unprivileged user ----------------------
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    TAMNA_DATA_DIR=/app/data
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# The sources the build stage checked; tests stay there.
COPY --from=build /app/tsconfig.json ./
COPY --from=build /app/bin ./bin
COPY --from=build /app/client ./client
COPY --from=build /app/src ./src
RUN find src client -name '*.test.ts' -delete && rm -rf src/testing \
    && mkdir -p /app/data && chown node:node /app/data
# The official image's unprivileged user (uid 1000); the code stays root's, read-only to it.
USER node
VOLUME /app/data
EXPOSE 3000
# Liveness: the process answers and the database responds (no curl in the slim image).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM stops it gracefully within drain + 10 s: give `docker stop` (-t) at least that.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/bin/tamna.js"]
CMD ["serve"]
