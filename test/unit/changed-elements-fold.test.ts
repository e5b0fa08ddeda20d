import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldChanges } from '../../src/domain/changed-elements/fold.js';
import { type ElementChange, Opcode } from '../../src/domain/changed-elements/model.js';

function change(elementId: string, opcode: Opcode, extra: Partial<ElementChange> = {}): ElementChange {
  return {
    elementId,
    classId: '0x10',
    opcode,
    type: 0,
    modelId: '0x20',
    parentId: '0',
    parentClassId: '0',
    properties: [],
    oldChecksums: [],
    newChecksums: [],
    ...extra,
  };
}

describe('folding element changes over a range of changesets', () => {
  it('inserted then updated is inserted as it is at the end; inserted then deleted is nothing', () => {
    const folded = foldChanges([
      [change('0x1', Opcode.Inserted), change('0x2', Opcode.Inserted)],
      [
        change('0x1', Opcode.Updated, { type: 1, classId: '0x11', properties: ['userLabel'], oldChecksums: [1], newChecksums: [2] }),
        change('0x2', Opcode.Deleted),
      ],
    ]);
    assert.deepEqual(folded, [change('0x1', Opcode.Inserted, { classId: '0x11' })]);
  });

  it('updated then updated merges flags and properties (old checksum of the first, new of the last); updated then deleted is deleted', () => {
    const folded = foldChanges([
      [change('0x1', Opcode.Updated, { type: 1, properties: ['a'], oldChecksums: [1], newChecksums: [2] }), change('0x2', Opcode.Updated, { type: 2 })],
      [change('0x1', Opcode.Updated, { type: 4, properties: ['a', 'b'], oldChecksums: [2, 5], newChecksums: [3, 6] }), change('0x2', Opcode.Deleted)],
    ]);
    assert.deepEqual(folded, [
      change('0x1', Opcode.Updated, { type: 5, properties: ['a', 'b'], oldChecksums: [1, 5], newChecksums: [3, 6] }),
      change('0x2', Opcode.Deleted),
    ]);
  });

  it('deleted then inserted again under the same id is updated, every aspect rewritten; untouched changesets add nothing', () => {
    const folded = foldChanges([[change('0x1', Opcode.Deleted)], [], [change('0x1', Opcode.Inserted)], [change('0x3', Opcode.Deleted)]]);
    assert.deepEqual(folded, [change('0x1', Opcode.Updated, { type: 7 }), change('0x3', Opcode.Deleted)]);
  });
});
