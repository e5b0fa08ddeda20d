import type { ConnectorType } from '../domain/connector-types.js';
import { BuiltinIfcConnector } from './builtin-ifc.js';
import { CommandConnector } from './command.js';
import type { ConnectorSettings, ConnectorsConfig } from './config.js';
import type { Connector, ConnectorResolver } from './connector.js';
import { EmulateConnector } from './emulate.js';
import { ProcessSlots, UNLIMITED_PROCESSES } from './process-slots.js';

/**
 * One connector per distinct settings object, built up front so a bad setting shows at start,
 * not at the first task. Types that share the default share its instance. Its close() closes them
 * (the builtin IFC connector keeps converter processes between tasks). `processes`: how many
 * connector processes all of them run at once (CONNECTOR_PROCESSES; process-slots.ts), no limit
 * when left out.
 */
export function createConnectorResolver(config: ConnectorsConfig, dataDir: string, processes?: number): ConnectorResolver {
  const slots = processes === undefined ? UNLIMITED_PROCESSES : new ProcessSlots(processes);
  const built = new Map<ConnectorSettings, Connector>();
  const byType = new Map<ConnectorType, Connector>();
  for (const [type, settings] of Object.entries(config.types) as Array<[ConnectorType, ConnectorSettings]>) {
    let connector = built.get(settings);
    if (!connector) {
      connector = createConnector(settings, dataDir, slots);
      built.set(settings, connector);
    }
    byType.set(type, connector);
  }
  const resolve: ConnectorResolver = (type) => {
    const connector = byType.get(type);
    if (!connector) throw new Error(`No connector configured for connector type ${type}`);
    return connector;
  };
  let closing: Promise<void> | undefined;
  resolve.close = () => (closing ??= Promise.all([...built.values()].map((c) => c.close?.())).then(() => undefined));
  if (processes !== undefined) resolve.processes = () => slots.counts;
  return resolve;
}

/** `dataDir`: where the builtin connector keeps the iModels it writes (`imodels/`). */
export function createConnector(settings: ConnectorSettings, dataDir: string, slots: ProcessSlots = UNLIMITED_PROCESSES): Connector {
  switch (settings.kind) {
    case 'builtin':
      return new BuiltinIfcConnector(settings, dataDir, slots);
    case 'emulate':
      return new EmulateConnector(settings);
    case 'command':
      return new CommandConnector(settings, process.env, slots);
  }
}
