# PassMan: API + worker + web console in one image.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=4194304 PASSMAN_HOST=0.0.0.0 PASSMAN_PORT=8080 PASSMAN_DATA_DIR=/app/data
WORKDIR /app
COPY --from=build /app /app
# The self-signed certificate is made here on first start (mount a volume to keep it).
RUN mkdir -p /app/data && chown node:node /app/data && chmod 700 /app/data
USER node
EXPOSE 8080
# HTTPS unless PASSMAN_TLS=off. It asks its own process on loopback whether it is ready, so the
# certificate (self-signed, or a real one for another name) is not what it checks.
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "const tls=process.env.PASSMAN_TLS!=='off';require(tls?'node:https':'node:http').get({host:'127.0.0.1',port:process.env.PASSMAN_PORT,path:'/readyz',rejectUnauthorized:false},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"
# The heap limits of `npm start` (see docs/benchmarks.md): V8 otherwise sizes its heap from the
# machine's memory and lets garbage pile up.
CMD ["node", "--enable-source-maps", "--max-old-space-size=192", "--max-semi-space-size=4", "apps/api/dist/main.js"]
