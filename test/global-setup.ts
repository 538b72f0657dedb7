// Gives every test a real PostgreSQL: DATABASE_URL when set (CI sets it), else the embedded default.
import type { TestProject } from 'vitest/node';
import { loadEnv } from '../config/env';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded';

let embedded: EmbeddedDatabase | undefined;

export async function setup(project: TestProject): Promise<void> {
  const env = loadEnv();
  let url = env.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres('.data/pg-test', env.EMBEDDED_PG_PORT + 1);
    url = embedded.url;
  }
  project.provide('databaseUrl', url);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
