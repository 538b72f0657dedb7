# One image for both processes; docker-compose.yml chooses `npm run api` or `npm run worker`.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund && npm install --no-save tsx
COPY . .
ENV NODE_ENV=production
USER node
CMD ["npm", "run", "api"]
