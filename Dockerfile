# puffle-sync: one image for every role (worker, schedule, dashboard, sync, migrate, status).
# The CLI runs its TypeScript through tsx (a runtime dependency), so there is no build step.
# The API key is never baked in: pass PUFFLE_API_KEY at run time (see docker-compose.yml).
# Node 24 LTS (supported until April 2028), pinned to a minor so a rebuild never changes the major
# or minor under you; bump it on purpose. The project itself still runs on Node 20.11+ from a clone.
FROM node:24.11-slim

ENV NODE_ENV=production \
    PUFFLE_SYNC_DATA_DIR=/data

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY bin ./bin
COPY migrations ./migrations
COPY src ./src

# Embedded PGlite (only when DATABASE_URL is unset) writes here; mount a volume to keep it.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node

ENTRYPOINT ["node", "bin/puffle-sync.js"]
CMD ["--help"]
