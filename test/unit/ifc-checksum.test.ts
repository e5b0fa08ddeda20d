import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { type Placement, productChecksum, productDataJson } from '../../src/connectors/ifc/element-props.js';
import { CONVERTER_REVISION } from '../../src/connectors/ifc/provenance.js';
import type { IfcObjectData } from '../../src/connectors/ifc/read-data.js';
import type { IfcProduct } from '../../src/connectors/ifc/read-ifc.js';

/**
 * A product's checksum is stored with its element and compared on every re-sync: a change in how it
 * is computed would make every element of every iModel look changed once. It is computed from the
 * product's data as JSON kept from the schema's reading (a re-sync then reads the data once); these
 * pin it to the formula it has always had, written out here independently.
 */
function checksumAsWritten(product: IfcProduct, data: IfcObjectData, placement: Placement): string {
  const facts = [
    CONVERTER_REVISION,
    product.ifcClass,
    product.name,
    product.container,
    placement.parentIdentifier,
    placement.containerIdentifier,
    placement.typeIdentifier ?? null,
    placement.parentElementId ?? null,
    placement.typeElementId ?? null,
    placement.containerElementId ?? null,
    { ...data, typeId: undefined },
    product.geometryKey,
  ];
  return createHash('sha256').update(JSON.stringify(facts)).digest('hex');
}

const product: IfcProduct = {
  expressId: 50,
  ifcClass: 'IfcWall',
  globalId: '2O2Fr$t4X7Zf8NOew3FLOH',
  name: 'Mur « porteur » 1',
  container: 'Étage 1',
  containerId: 95,
  aggregateId: null,
  typeId: 60,
  hasShape: true,
  geometryKey: 'a1b2c3',
};
const data: IfcObjectData = {
  description: null,
  objectType: 'Basic Wall:200mm',
  tag: '348579',
  propertySets: [
    { name: 'Pset_WallCommon', quantities: false, properties: [{ name: 'IsExternal', value: true }] },
    {
      name: 'Qto_WallBaseQuantities',
      quantities: true,
      properties: [
        { name: 'Length', value: 4.25, kind: 'LENGTHUNIT' },
        { name: 'Layers', value: [1, 'two', false] },
      ],
    },
  ],
  materials: [],
  classifications: [],
  typeId: 60,
};

describe('IFC product checksum', () => {
  const placements: Placement[] = [
    { parentElementId: undefined, parentIdentifier: null, containerIdentifier: null },
    {
      parentElementId: '0x20000000012',
      parentIdentifier: '1hOSvn6df7F8_7GcBWlRGQ',
      containerIdentifier: '3Sa3dTJGn0H8TQIGiuGQd5',
      typeElementId: '0x20000000009',
      typeIdentifier: '0fA8bc$Lz1QwRT5uVxYz9K',
      containerElementId: '0x20000000004',
    },
  ];

  it('from the data or from its kept JSON, is the checksum stored elements carry', () => {
    for (const placement of placements) {
      const expected = checksumAsWritten(product, data, placement);
      assert.equal(productChecksum(product, data, placement), expected);
      assert.equal(productChecksum(product, productDataJson(data), placement), expected);
    }
    const unnamed = { ...product, name: null, container: null };
    assert.equal(productChecksum(unnamed, productDataJson(data), placements[0]!), checksumAsWritten(unnamed, data, placements[0]!));
  });

  it('changes with what it covers, and not with the type id the type identifier stands for', () => {
    const base = productChecksum(product, data, placements[1]!);
    assert.notEqual(productChecksum({ ...product, geometryKey: 'a1b2c4' }, data, placements[1]!), base);
    assert.notEqual(productChecksum(product, { ...data, tag: '348580' }, placements[1]!), base);
    assert.notEqual(productChecksum(product, data, { ...placements[1]!, containerIdentifier: null }), base);
    assert.equal(productChecksum(product, { ...data, typeId: 61 }, placements[1]!), base);
  });
});
