import { describe, expect, it } from 'vitest';
import { durationMs, loadEnv } from './env';

describe('durations in the configuration', () => {
  it('reads a duration with its unit, or a bare number as seconds', () => {
    expect(durationMs('500ms')).toBe(500);
    expect(durationMs('30 seconds')).toBe(30_000);
    expect(durationMs('15 minutes')).toBe(900_000);
    expect(durationMs('2h')).toBe(7_200_000);
    expect(durationMs('14 days')).toBe(14 * 86_400_000);
    expect(durationMs('900')).toBe(900_000);
    expect(durationMs('1.5')).toBe(1500);
    for (const bad of ['', 'soon', '10 fortnights', '-5', '5 constructor'])
      expect(durationMs(bad)).toBeUndefined();
  });

  it('accepts both shapes under the existing names, each keeping its own type', () => {
    const env = loadEnv({
      NODE_ENV: 'test',
      SVARINN_POLL_INTERVAL_SECONDS: '15 minutes',
      INBOUND_FLAG_UNTRIAGED_AFTER_SECONDS: '3600',
      INBOUND_AUTO_TRIAGE_DELAY_SECONDS: '0',
      RUN_DELIVERY_POLL_INTERVAL: '30',
      LETTER_EVENT_WINDOW: '2 days',
      DIGIPOST_IDENTIFICATION_CACHE_SECONDS: '1 day',
    });
    expect(env.SVARINN_POLL_INTERVAL_SECONDS).toBe(900);
    expect(env.INBOUND_FLAG_UNTRIAGED_AFTER_SECONDS).toBe(3600);
    expect(env.INBOUND_AUTO_TRIAGE_DELAY_SECONDS).toBe(0);
    // Temporal reads a bare number as milliseconds: a number here means seconds, so it goes on with its unit
    expect(env.RUN_DELIVERY_POLL_INTERVAL).toBe('30 seconds');
    expect(env.LETTER_EVENT_WINDOW).toBe('2 days');
    expect(env.INBOUND_DELETED_RETENTION_SECONDS).toBe(30 * 24 * 3600);
    expect(env.LETTER_CORRECTION_WINDOW).toBe('30 days');
    expect(env.DIGIPOST_IDENTIFICATION_CACHE_SECONDS).toBe(86_400);
    expect(env.METRICS_GAUGE_TTL_SECONDS).toBe(5);
  });

  it('names the setting when a duration is neither shape, or zero where it must be positive', () => {
    expect(() => loadEnv({ NODE_ENV: 'test', INBOUND_DIGEST_INTERVAL_SECONDS: 'daily' })).toThrow(
      /INBOUND_DIGEST_INTERVAL_SECONDS: expected seconds/,
    );
    expect(() => loadEnv({ NODE_ENV: 'test', LETTER_SWEEP_INTERVAL: 'often' })).toThrow(
      /LETTER_SWEEP_INTERVAL: expected seconds/,
    );
    expect(() => loadEnv({ NODE_ENV: 'test', SVARINN_POLL_INTERVAL_SECONDS: '0 minutes' })).toThrow(
      /SVARINN_POLL_INTERVAL_SECONDS/,
    );
  });
});
