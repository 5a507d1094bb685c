FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm install --omit=dev
COPY --from=build /app/dist ./dist
# Read at run time beside dist/: the web pages' templates and assets, and the demo's illustrative comparator sample.
COPY --from=build /app/apps/web/views ./apps/web/views
COPY --from=build /app/apps/web/public ./apps/web/public
COPY --from=build /app/data ./data
EXPOSE 3000
# The same command as `npm start` (apps/server/src/start-command.spec.ts checks it): see README, "Downloads and open data".
CMD ["node", "--heap-growing-percent=30", "--max-semi-space-size=8", "--import", "./dist/apps/server/src/tracing.js", "dist/apps/server/src/main.js"]
