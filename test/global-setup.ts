// Gives every test a real PostgreSQL: DATABASE_URL when set (CI sets it), else the embedded default.
import type { TestProject } from 'vitest/node';
import { loadEnv } from '../config/env';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded';
import { freePort } from './support/free-port';

let embedded: EmbeddedDatabase | undefined;

export async function setup(project: TestProject): Promise<void> {
  const env = loadEnv();
  let url = env.DATABASE_URL;
  if (!url) {
    // a free port: two clones running their tests at once must not take the same one
    embedded = await startEmbeddedPostgres('.data/pg-test', await freePort());
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
