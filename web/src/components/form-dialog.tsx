import { Button, Flex, Modal, ModalButtonBar, ModalContent } from '@itwin/itwinui-react';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { Problem } from './problem';

/**
 * A modal form: Enter submits, Escape closes, the service's answer to a refused request is shown in
 * the dialog (its own words and details), and the dialog closes only once the request succeeded.
 */
export function FormDialog({
  title,
  isOpen,
  onClose,
  submitLabel,
  onSubmit,
  canSubmit = true,
  children,
}: {
  title: string;
  isOpen: boolean;
  onClose: () => void;
  submitLabel: string;
  onSubmit: () => Promise<void>;
  canSubmit?: boolean;
  children: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const form = useRef<HTMLFormElement>(null);
  // The dialog focuses itself as it opens; a person typing expects the first field to have the focus.
  useEffect(() => {
    if (!isOpen) return;
    const timer = setTimeout(() => form.current?.querySelector<HTMLElement>('input:not([type="hidden"]), select, textarea')?.focus(), 0);
    return () => clearTimeout(timer);
  }, [isOpen]);
  const close = () => {
    if (busy) return;
    setError(undefined);
    onClose();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!canSubmit || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit();
      setBusy(false);
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Modal title={title} isOpen={isOpen} onClose={close} closeOnExternalClick={false}>
      <form ref={form} onSubmit={submit} aria-label={title}>
        <ModalContent>
          <Flex flexDirection="column" alignItems="stretch" gap="m">
            {children}
            <Problem error={error} />
          </Flex>
        </ModalContent>
        <ModalButtonBar>
          <Button type="submit" styleType="high-visibility" disabled={!canSubmit || busy} loading={busy}>
            {submitLabel}
          </Button>
          <Button type="button" onClick={close} disabled={busy}>
            Cancel
          </Button>
        </ModalButtonBar>
      </form>
    </Modal>
  );
}
