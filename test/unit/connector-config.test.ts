import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  ConnectorsConfigError,
  DEFAULT_COMMAND_TIMEOUT_MS,
  defaultConnectorsConfig,
  parseConnectorsConfig,
  type CommandSettings,
  type EmulateSettings,
} from '../../src/connectors/config.js';
import { createConnectorResolver } from '../../src/connectors/registry.js';
import { CONNECTOR_TYPES } from '../../src/domain/connector-types.js';

describe('connector configuration', () => {
  it('defaults every type to a 200 ms emulator with no outcome rules, frozen', () => {
    const config = defaultConnectorsConfig();
    for (const type of CONNECTOR_TYPES) assert.deepEqual(config.types[type], { kind: 'emulate', durationMs: 200, outcomes: [], recordSettings: false });
    assert.equal(config.types.DWG, config.default, 'unnamed types share the default object');
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.types) && Object.isFrozen(config.default));
    assert.deepEqual(parseConnectorsConfig({}, 'CONNECTORS'), config);
  });

  it('names types case-insensitively and fills command defaults', () => {
    const config = parseConnectorsConfig(
      { default: { durationMs: 0 }, types: { ifc: { kind: 'command', command: 'bin/convert' }, Dwg: { kind: 'command', command: 'dwgconv' } } },
      'CONNECTORS',
    );
    const ifc = config.types.IFC as CommandSettings;
    assert.equal(ifc.kind, 'command');
    assert.equal(ifc.command, path.resolve('bin/convert'), 'a relative path is fixed against the server directory');
    assert.deepEqual(ifc.args, ['{input}', '{output}']);
    assert.equal(ifc.timeoutMs, DEFAULT_COMMAND_TIMEOUT_MS);
    assert.equal(ifc.killGraceMs, 5000);
    assert.deepEqual(ifc.env, {});
    assert.deepEqual(ifc.permanentExitCodes, []);
    assert.equal((config.types.DWG as CommandSettings).command, 'dwgconv', 'a bare name is left for PATH');
    assert.deepEqual(config.types.REVIT, { kind: 'emulate', durationMs: 0, outcomes: [], recordSettings: false }, 'kind defaults to emulate');
  });

  it('lets an emulator record the settings it is given', () => {
    const config = parseConnectorsConfig({ default: { kind: 'emulate', recordSettings: true } }, 'test');
    assert.equal((config.default as { recordSettings: boolean }).recordSettings, true);
  });

  it('parses every outcome rule kind', () => {
    const config = parseConnectorsConfig(
      {
        types: {
          DWG: {
            kind: 'emulate',
            durationMs: 10,
            outcomes: [
              { fileName: '*.ok', result: 'Success', message: 'fine' },
              { connectorType: 'ifc', result: 'warning', durationMs: 0 },
              { fileName: 'bad-?', result: 'Error', errorCode: 'X_1', message: 'broken', retryable: false },
              { result: 'Flaky', failAttempts: 2 },
            ],
          },
        },
      },
      'test',
    );
    const dwg = config.types.DWG as EmulateSettings;
    assert.deepEqual(dwg.outcomes, [
      { fileName: '*.ok', result: 'Success', message: 'fine', retryable: true },
      { connectorType: 'IFC', result: 'Warning', durationMs: 0, retryable: true },
      { fileName: 'bad-?', result: 'Error', errorCode: 'X_1', message: 'broken', retryable: false },
      { result: 'Flaky', failAttempts: 2, retryable: true },
    ]);
  });

  it('parses command options', () => {
    const config = parseConnectorsConfig(
      {
        default: {
          kind: 'command',
          command: '/opt/x',
          args: ['--in={input}', '{output}', '{type}', '{fileName}', '{"json":1}'],
          timeoutMs: 1000,
          killGraceMs: 0,
          env: { LICENSE: 'a', EMPTY: '' },
          permanentExitCodes: [2, 3],
        },
      },
      'test',
    );
    assert.deepEqual(config.types.IFC, {
      kind: 'command',
      command: '/opt/x',
      args: ['--in={input}', '{output}', '{type}', '{fileName}', '{"json":1}'],
      timeoutMs: 1000,
      killGraceMs: 0,
      env: { LICENSE: 'a', EMPTY: '' },
      permanentExitCodes: [2, 3],
    });
  });

  const bad: Array<[unknown, RegExp]> = [
    [[], /^SRC: the value must be a JSON object, got \[\]/],
    [{ connectors: {} }, /SRC: connectors is not a known field \(known: default, types\)/],
    [{ types: { DXF: {} } }, /types\.DXF is not a connector type/],
    [{ types: { dwg: {}, DWG: {} } }, /types\.DWG names DWG a second time/],
    [{ default: { kind: 'builtin' } }, /default\.kind "builtin" converts IFC only: name it under types\.IFC, got "builtin"/],
    [{ types: { IFC: { kind: 'convert' } } }, /types\.IFC\.kind must be "emulate", "command" or "builtin", got "convert"/],
    [{ default: { durationMs: -1 } }, /default\.durationMs must be a whole number from 0/],
    [{ default: { durationMs: '200' } }, /default\.durationMs must be a whole number .*got "200"/],
    [{ default: { duration: 1 } }, /default\.duration is not a known field/],
    [{ default: { outcomes: {} } }, /default\.outcomes must be a JSON array/],
    [{ default: { outcomes: [{}] } }, /default\.outcomes\[0\]\.result is required/],
    [{ default: { outcomes: [{ result: 'Eror' }] } }, /default\.outcomes\[0\]\.result must be one of Success, Warning, Error, Flaky, got "Eror"/],
    [{ default: { outcomes: [{ result: 'Flaky' }] } }, /outcomes\[0\]\.failAttempts is required for result Flaky/],
    [{ default: { outcomes: [{ result: 'Flaky', failAttempts: 0 }] } }, /failAttempts must be a whole number from 1/],
    [{ default: { outcomes: [{ result: 'Success', failAttempts: 1 }] } }, /failAttempts applies only to result Flaky/],
    [{ default: { outcomes: [{ result: 'Warning', errorCode: 'X' }] } }, /errorCode applies only to result Error or Flaky/],
    [{ default: { outcomes: [{ result: 'Flaky', failAttempts: 1, retryable: false }] } }, /retryable applies only to result Error/],
    [{ default: { outcomes: [{ result: 'Error', errorCode: 'has space' }] } }, /errorCode must be 1-100 letters/],
    [{ default: { outcomes: [{ result: 'Error', connectorType: 'DXF' }] } }, /outcomes\[0\]\.connectorType must be one of AUTOPLANT/],
    [{ default: { outcomes: [{ result: 'Error', fileName: '' }] } }, /fileName must not be empty/],
    [{ default: { outcomes: [{ result: 'Error', retryable: 'no' }] } }, /retryable must be true or false/],
    [{ default: { kind: 'command' } }, /default\.command is required for kind "command"/],
    [{ default: { kind: 'command', command: 5 } }, /default\.command must be a string, got 5/],
    [{ default: { kind: 'command', command: 'x', args: '{input}' } }, /default\.args must be a JSON array/],
    [{ default: { kind: 'command', command: 'x', args: [1] } }, /default\.args\[0\] must be a string/],
    [{ default: { kind: 'command', command: 'x', args: ['{inptu}'] } }, /args\[0\] uses the unknown placeholder \{inptu\}/],
    [{ default: { kind: 'command', command: 'x', timeoutMs: 0 } }, /default\.timeoutMs must be a whole number from 1/],
    [{ default: { kind: 'command', command: 'x', env: { 'A-B': 'x' } } }, /env\.A-B is not a valid environment variable name/],
    [{ default: { kind: 'command', command: 'x', env: { TWINSYNC_ACTION: 'x' } } }, /env\.TWINSYNC_ACTION is reserved/],
    [{ default: { kind: 'command', command: 'x', env: { A: 1 } } }, /env\.A must be a string/],
    [{ default: { kind: 'command', command: 'x', permanentExitCodes: [0] } }, /permanentExitCodes\[0\] must be a whole number from 1/],
    [{ default: { kind: 'command', command: 'x', durationMs: 1 } }, /default\.durationMs is not a known field/],
    [{ default: { kind: 'emulate', recordSettings: 'yes' } }, /default\.recordSettings/],
    [{ default: { kind: 'command', command: 'x', recordSettings: true } }, /default\.recordSettings is not a known field/],
  ];
  for (const [value, message] of bad) {
    it(`rejects ${JSON.stringify(value)}`, () => {
      assert.throws(
        () => parseConnectorsConfig(value, 'SRC'),
        (e: unknown) => e instanceof ConnectorsConfigError && message.test(e.message),
      );
    });
  }
});

describe('connector resolver', () => {
  it('gives each type its configured connector, sharing the default instance', () => {
    const resolve = createConnectorResolver(
      parseConnectorsConfig({ types: { IFC: { kind: 'command', command: '/bin/true' }, DWG: { durationMs: 5 } } }, 'test'),
      os.tmpdir(),
    );
    assert.equal(resolve('IFC').kind, 'command');
    assert.equal(resolve('DWG').kind, 'emulate');
    assert.equal(resolve('REVIT').kind, 'emulate');
    assert.equal(resolve('REVIT'), resolve('MSTN'), 'unnamed types share one instance');
    assert.notEqual(resolve('REVIT'), resolve('DWG'));
  });
});
