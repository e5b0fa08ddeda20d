import type { AuditRecord, ElementRecord, ReportData } from '../../domain/reports/report-data.js';
import type { ConversionWarning } from './warnings.js';

/** What each kind of warning is about, as the report's categories group them. */
const CATEGORIES: Record<string, string> = {
  ProductWithoutTriangles: 'Geometry',
  DanglingReference: 'File structure',
  DuplicateStepId: 'File structure',
  ContentAfterEnd: 'File structure',
  DuplicateGlobalId: 'Identity',
  NotRead: 'Data',
  Geolocation: 'Geolocation',
  IdentityChanged: 'Identity',
  ProjectExtents: 'Geometry',
};

/** Why a product was left out of the iModel, by the warning that says so. */
const LEFT_OUT: Record<string, string> = {
  ProductWithoutTriangles: 'Its representation has no triangles (nothing to show): the product was left out of the iModel.',
};

/**
 * The converter's diagnostic report (docs/reports.md): one Info issue with what was converted, one
 * Warning issue per warning kept (tasks keep the first 100, warnings.ts), each naming its IFC
 * entities by STEP id and, where the entity has one, by GlobalId; the products left out as element
 * records with the reason; and how many warnings were not listed.
 */
export function ifcDiagnostics(input: {
  fileName: string;
  summary: string;
  warnings: readonly ConversionWarning[];
  /** Warnings counted and not kept (Warnings.unlisted). */
  unlisted: number;
  /** STEP id → GlobalId, of the file's products, spatial elements and types. */
  globalIds: ReadonlyMap<number, string>;
}): ReportData {
  const { fileName } = input;
  const named = (ids: readonly string[]) => ids.map((id) => ({ stepId: id, globalId: globalIdOf(id, input.globalIds) }));
  const auditrecords: AuditRecord[] = [
    { auditinfo: { issueid: 'Converted', level: 'Info', category: 'Conversion', type: 'Converted', message: input.summary, fileName } },
  ];
  const elementRecords: ElementRecord[] = [];
  for (const warning of input.warnings) {
    const entities = named(warning.ifcIds);
    auditrecords.push({
      auditinfo: {
        issueid: warning.code,
        level: 'Warning',
        category: CATEGORIES[warning.code] ?? 'Conversion',
        type: warning.code,
        message: warning.message,
        fileName,
      },
      ...(entities.length > 0 && {
        elementinfo: { sourceid: entities.map((e) => e.globalId ?? e.stepId).join(', '), entities },
      }),
    });
    const reason = LEFT_OUT[warning.code];
    if (reason) for (const e of entities) elementRecords.push({ elementids: e.stepId, reason, ...(e.globalId && { globalId: e.globalId }) });
  }
  const { unlisted } = input;
  if (unlisted > 0) {
    auditrecords.push({
      auditinfo: {
        issueid: 'MoreWarnings',
        level: 'Info',
        category: 'Conversion',
        type: 'MoreWarnings',
        message: `${unlisted} more warnings were counted and not listed (a report lists the first ${input.warnings.length}).`,
        fileName,
      },
    });
  }
  return { filerecords: [{ auditrecords }], ...(elementRecords.length > 0 && { elementRecords }) };
}

function globalIdOf(id: string, globalIds: ReadonlyMap<number, string>): string | undefined {
  const step = /^#(\d+)$/.exec(id);
  const globalId = step ? globalIds.get(Number(step[1])) : undefined;
  // read-structure.ts gives an entity without a GlobalId its STEP id instead: that is no GlobalId.
  return globalId === undefined || globalId.startsWith('#') ? undefined : globalId;
}
