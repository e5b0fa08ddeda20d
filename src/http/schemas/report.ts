import { Type } from 'typebox';

export const DiagnosticReport = Type.Object({
  id: Type.String({ description: 'The report id (43 characters of base64url).' }),
  imodelId: Type.String({ format: 'uuid' }),
  runId: Type.String({ format: 'uuid' }),
  taskId: Type.String({ format: 'uuid' }),
  sasUri: Type.String({ description: 'Signed URL of the report content (JSON, no Authorization); it expires.' }),
  createdTimeStamp: Type.String({ format: 'date-time', description: 'When the task completed with its report.' }),
});

export const DiagnosticReportList = Type.Object({ reports: Type.Array(DiagnosticReport) });

export const DiagnosticReportsQuery = Type.Object({
  iModelId: Type.Optional(Type.String({ description: 'iModel id (required; the name is matched in any case, e.g. imodelId).' })),
  runId: Type.Optional(Type.String({ description: 'Run id (required).' })),
  taskId: Type.Optional(Type.String({ description: 'Task id: only that task’s report.' })),
});

export const ReportFileParams = Type.Object({ iModelId: Type.String(), reportId: Type.String() });
export const ReportFileQuery = Type.Object({ expires: Type.Optional(Type.String()), signature: Type.Optional(Type.String()) });

export const ErrorArticleParams = Type.Object({ errorKey: Type.String() });
