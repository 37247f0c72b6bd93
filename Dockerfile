# syntax=docker/dockerfile:1
# One production image per service, each a target of this file:
#   docker build --target gateway -t interop-graph/gateway .
# (gateway, commerce, payments, merchants, wallet). Each runs its bundle from
# `npm run build` with plain node on an `npm ci --omit=dev` install, as the
# unprivileged `node` user, under NODE_ENV=production: secrets
# (SUBGRAPH_SIGNING_SECRET, WALLET_SIGNING_SECRET, DATABASE_URL, REDIS_URL)
# come from the environment at run time, never from the image.
# test/__tests__/production-build.test.ts runs what each target runs, without
# a container daemon.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
ENV SUBGRAPH_HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/domain/package.json packages/domain/
COPY packages/kit/package.json packages/kit/
COPY packages/sdk/package.json packages/sdk/
COPY packages/testing/package.json packages/testing/
COPY subgraphs/commerce/package.json subgraphs/commerce/
COPY subgraphs/merchants/package.json subgraphs/merchants/
COPY subgraphs/payments/package.json subgraphs/payments/
COPY gateway/package.json gateway/
COPY wallet/package.json wallet/
COPY web/package.json web/
# The install applies them (patch-package, a dependency for that reason).
COPY patches patches/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY supergraph.graphql gateway.config.yaml trusted-documents.json ./
# Every subgraph's schema is its schema.graphql with the shared enum ErrorCode (kit's loadTypeDefs).
COPY subgraphs/error-codes.graphql subgraphs/
COPY subgraphs/commerce/schema.graphql subgraphs/commerce/
COPY subgraphs/merchants/schema.graphql subgraphs/merchants/
COPY subgraphs/payments/schema.graphql subgraphs/payments/
COPY --from=build /app/gateway/dist gateway/dist
COPY --from=build /app/subgraphs/commerce/dist subgraphs/commerce/dist
COPY --from=build /app/subgraphs/merchants/dist subgraphs/merchants/dist
COPY --from=build /app/subgraphs/payments/dist subgraphs/payments/dist
COPY --from=build /app/wallet/dist wallet/dist
# PGlite's folder when no DATABASE_URL is given.
RUN mkdir .data && chown node:node .data
USER node
# Each target sets HEALTH_PORT to the port its service listens on.
HEALTHCHECK CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.HEALTH_PORT}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

FROM runtime AS gateway
ENV GATEWAY_PORT=4000
ENV HEALTH_PORT=4000
EXPOSE 4000
CMD ["node", "gateway/dist/main.js"]

FROM runtime AS commerce
ENV COMMERCE_PORT=4001
ENV HEALTH_PORT=4001
EXPOSE 4001
CMD ["node", "subgraphs/commerce/dist/main.js"]

FROM runtime AS payments
ENV PAYMENTS_PORT=4002
ENV HEALTH_PORT=4002
EXPOSE 4002
CMD ["node", "subgraphs/payments/dist/main.js"]

FROM runtime AS merchants
ENV MERCHANTS_PORT=4003
ENV HEALTH_PORT=4003
EXPOSE 4003
CMD ["node", "subgraphs/merchants/dist/main.js"]

FROM runtime AS wallet
ENV WALLET_PORT=4004
ENV HEALTH_PORT=4004
EXPOSE 4004
CMD ["node", "wallet/dist/main.js"]
