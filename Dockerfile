# PassMan: API + worker + web console in one image.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production PASSMAN_HOST=0.0.0.0 PASSMAN_PORT=8080
WORKDIR /app
COPY --from=build /app /app
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:8080/readyz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# The heap limits of `npm start` (see docs/benchmarks.md): V8 otherwise sizes its heap from the
# machine's memory and lets garbage pile up.
CMD ["node", "--enable-source-maps", "--max-old-space-size=192", "--max-semi-space-size=4", "apps/api/dist/main.js"]
