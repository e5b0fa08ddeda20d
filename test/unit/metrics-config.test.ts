import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('METRICS, METRICS_TOKEN and WORKER_HEALTH_PORT', () => {
  it('serves metrics without a token by default, and no worker health server', () => {
    const config = loadConfig({});
    assert.deepEqual(config.metrics, { enabled: true });
    assert.equal(config.workerHealthPort, undefined);
  });

  it('reads METRICS=off, METRICS_TOKEN and WORKER_HEALTH_PORT', () => {
    const token = 'a'.repeat(32);
    assert.deepEqual(loadConfig({ METRICS: 'off' }).metrics, { enabled: false });
    assert.deepEqual(loadConfig({ METRICS: 'ON', METRICS_TOKEN: ` ${token} ` }).metrics, { enabled: true, token });
    assert.equal(loadConfig({ WORKER_HEALTH_PORT: '9464' }).workerHealthPort, 9464);
  });

  it('refuses other values, naming the setting', () => {
    assert.throws(
      () => loadConfig({ METRICS: 'yes' }),
      (e: unknown) => e instanceof ConfigError && /METRICS must be on or off/.test(e.message),
    );
    for (const token of ['short', 'with spaces in the middle of it', 'quote"quote"quote"quote']) {
      assert.throws(
        () => loadConfig({ METRICS_TOKEN: token }),
        (e: unknown) => e instanceof ConfigError && /METRICS_TOKEN must be/.test(e.message),
      );
    }
    for (const port of ['0', '70000', 'abc']) {
      assert.throws(
        () => loadConfig({ WORKER_HEALTH_PORT: port }),
        (e: unknown) => e instanceof ConfigError && /WORKER_HEALTH_PORT/.test(e.message),
      );
    }
  });
});
