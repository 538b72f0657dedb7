# One image for both processes; docker-compose.yml chooses `npm run api` or `npm run worker`.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci: exactly the committed lock file (tsx, which runs the TypeScript, is a runtime dependency)
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
ENV NODE_ENV=production
USER node
CMD ["npm", "run", "api"]
