/** Exactly the 17 values the API's own 422 message lists: the authoritative list (docs/api-contract.md). */
export const CONNECTOR_TYPES = [
  'AUTOPLANT',
  'CIVIL',
  'CIVIL3D',
  'DACQJSON',
  'DWG',
  'GEOSPATIAL',
  'IFC',
  'INTELLIPID',
  'MSTN',
  'NWD',
  'OBD',
  'OPENTOWER',
  'PROSTRUCTURES',
  'PSEXCEL',
  'REVIT',
  'SPPID',
  'SPXREVIEW',
] as const;

export type ConnectorType = (typeof CONNECTOR_TYPES)[number];

const BY_UPPER = new Map<string, ConnectorType>(CONNECTOR_TYPES.map((t) => [t, t]));

/** Matched case-insensitively, stored upper-case. */
export function parseConnectorType(value: string): ConnectorType | undefined {
  return BY_UPPER.get(value.toUpperCase());
}

export const CONNECTOR_TYPE_MESSAGE = `connectorType must be one of: ${CONNECTOR_TYPES.map((t) => `'${t}'`).join(', ')}.`;
