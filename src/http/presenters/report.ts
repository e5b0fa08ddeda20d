import type { ListedReport } from '../../domain/reports/get-reports.js';

/** The report's signed download URL: the content route with the grant's expiry and signature. */
export function reportFileUrl(publicUrl: string, r: Pick<ListedReport, 'iModelId' | 'id' | 'download'>): string {
  const { expires, signature } = r.download;
  return `${publicUrl}/synchronization/reports/files/${r.iModelId}/${r.id}?expires=${expires}&signature=${encodeURIComponent(signature)}`;
}

export function presentReport(publicUrl: string, r: ListedReport) {
  return {
    id: r.id,
    imodelId: r.iModelId,
    runId: r.runId,
    taskId: r.taskId,
    sasUri: reportFileUrl(publicUrl, r),
    createdTimeStamp: r.createdAt,
  };
}
