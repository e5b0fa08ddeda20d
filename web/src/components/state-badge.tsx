import { Badge } from '@itwin/itwinui-react';

/**
 * A run's, job's or task's state or result as a badge: the word is always written (colour is never
 * the only sign), in the design system's status colours.
 */
const COLOURS: Record<string, 'positive' | 'negative' | 'warning' | 'informational' | 'primary' | undefined> = {
  Success: 'positive',
  PartialSuccess: 'warning',
  Error: 'negative',
  TimedOut: 'negative',
  Cancelled: 'warning',
  Skipped: undefined,
  Executing: 'informational',
  Finalizing: 'informational',
  WaitingToRetry: 'warning',
  WaitingToExecute: 'primary',
  NotStarted: undefined,
  Completed: 'positive',
};

/** `PartialSuccess` → `Partial success`. */
export function words(value: string): string {
  const spaced = value.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

export function StateBadge({ value, label }: { value: string; label?: string }) {
  const colour = COLOURS[value];
  return (
    <Badge backgroundColor={colour} title={label ? `${label}: ${words(value)}` : undefined} data-state={value}>
      {words(value)}
    </Badge>
  );
}

/** The one badge that says most about a run: its result once it completed, else its state. */
export function RunBadge({ state, result }: { state: string; result: string }) {
  return state === 'Completed' ? <StateBadge value={result} label="Result" /> : <StateBadge value={state} label="State" />;
}
