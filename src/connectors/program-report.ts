import fs from 'node:fs';
import path from 'node:path';
import type { SynchronizationReport } from './connector.js';

/** Larger than any honest report; bounds what a misbehaving program can make us read. */
const MAX_REPORT_BYTES = 64 * 1024;
const MAX_COUNT = 2_147_483_647;
const ACTIONS = ['None', 'Warning', 'Error'] as const;
const COUNT_FIELDS = ['totalErrorsCount', 'totalWarningsCount', 'totalOtherIssuesCount'] as const;

export type ProgramReport = { kind: 'none' } | { kind: 'valid'; report: SynchronizationReport; summary?: string } | { kind: 'invalid'; problem: string };

/**
 * Reads `report.json` a command connector may leave in its output folder: either the
 * synchronizationReport fields at the top level, or `{ "synchronizationReport": {…}, "summary": "…" }`
 * (the shape the emulate connector writes). Every field is optional; unknown fields are ignored,
 * since programs write what they like. An invalid report is described, not thrown: the program
 * succeeded, and its exit code is what decides the task.
 */
export async function readProgramReport(outputDir: string): Promise<ProgramReport> {
  const file = path.join(outputDir, 'report.json');
  let text: string;
  try {
    const stat = await fs.promises.stat(file);
    if (stat.size > MAX_REPORT_BYTES) return { kind: 'invalid', problem: `report.json is larger than ${MAX_REPORT_BYTES} bytes` };
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'invalid', problem: `report.json could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'invalid', problem: 'report.json is not valid JSON' };
  }
  if (!isObject(value)) return { kind: 'invalid', problem: 'report.json must hold a JSON object' };
  const fields = value.synchronizationReport === undefined ? value : value.synchronizationReport;
  if (!isObject(fields)) return { kind: 'invalid', problem: 'report.json: synchronizationReport must be an object' };

  const badCount = COUNT_FIELDS.find((name) => !isCount(fields[name] ?? 0));
  if (badCount) return { kind: 'invalid', problem: `report.json: ${badCount} must be a whole number from 0` };
  const [totalErrorsCount, totalWarningsCount, totalOtherIssuesCount] = COUNT_FIELDS.map((name) => Number(fields[name] ?? 0)) as [number, number, number];
  const message = fields.message ?? '';
  if (typeof message !== 'string') return { kind: 'invalid', problem: 'report.json: message must be a string' };
  const action = fields.suggestedAction ?? (totalErrorsCount > 0 ? 'Error' : totalWarningsCount > 0 ? 'Warning' : 'None');
  if (!(ACTIONS as readonly unknown[]).includes(action)) {
    return { kind: 'invalid', problem: `report.json: suggestedAction must be one of ${ACTIONS.join(', ')}` };
  }
  const summary = typeof value.summary === 'string' && value.summary.trim() ? value.summary.trim().slice(0, 500) : undefined;
  return {
    kind: 'valid',
    report: {
      suggestedAction: action as SynchronizationReport['suggestedAction'],
      message: message.slice(0, 4000),
      totalErrorsCount,
      totalWarningsCount,
      totalOtherIssuesCount,
    },
    ...(summary !== undefined && { summary }),
  };
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_COUNT;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
