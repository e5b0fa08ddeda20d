import { Button, FileEmptyCard, FileUpload, Flex, ProgressLinear, Text } from '@itwin/itwinui-react';
import { useId, useRef, useState } from 'react';
import { uploadFile } from '../api/uploads';
import { describeError } from './problem';
import { bytes } from './time';

interface Upload {
  key: string;
  name: string;
  total: number;
  sent: number;
  state: 'waiting' | 'uploading' | 'done' | 'failed';
  error?: string;
}

/** Uploads of this user streaming at once: the service allows 4 per user (UPLOADS_PER_CALLER); the page keeps one for other tabs. */
const AT_ONCE = 2;

/**
 * Drop files here (or choose them): each is created in the folder, sent with its progress shown
 * (large ones in blocks), and completed. `onUploaded` is told each storage file id once it is complete.
 */
export function UploadZone({ folderId, onUploaded }: { folderId: string; onUploaded: (fileId: string, name: string) => void }) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const queue = useRef<{ upload: Upload; file: File }[]>([]);
  const running = useRef(0);

  const update = (key: string, change: Partial<Upload>) => setUploads((all) => all.map((u) => (u.key === key ? { ...u, ...change } : u)));

  const pump = () => {
    while (running.current < AT_ONCE && queue.current.length > 0) {
      const { upload, file } = queue.current.shift()!;
      running.current++;
      update(upload.key, { state: 'uploading' });
      uploadFile(folderId, file, (progress) => update(upload.key, { sent: progress.sent }))
        .then((fileId) => {
          update(upload.key, { state: 'done', sent: file.size });
          onUploaded(fileId, file.name);
        })
        .catch((error: unknown) => update(upload.key, { state: 'failed', error: describeError(error) }))
        .finally(() => {
          running.current--;
          pump();
        });
    }
  };

  const add = (files: FileList | File[]) => {
    const added = [...files].map((file) => ({
      upload: { key: `${Date.now()}-${Math.random()}`, name: file.name, total: file.size, sent: 0, state: 'waiting' as const },
      file,
    }));
    if (added.length === 0) return;
    setUploads((all) => [...all, ...added.map((a) => a.upload)]);
    queue.current.push(...added);
    pump();
  };

  return (
    <Flex flexDirection="column" alignItems="stretch" gap="s">
      <FileUpload onFileDropped={(files) => add(files)} dragContent="Drop the files to upload them">
        <FileEmptyCard>
          <FileEmptyCard.Icon />
          <FileEmptyCard.Text>
            <Text>Drag files here, or</Text>
            <Button size="small" onClick={() => input.current?.click()} aria-controls={inputId}>
              Choose files…
            </Button>
            <input
              ref={input}
              id={inputId}
              type="file"
              multiple
              aria-label="Files to upload"
              className="ts-visually-hidden"
              onChange={(event) => {
                if (event.target.files) add(event.target.files);
                event.target.value = '';
              }}
            />
          </FileEmptyCard.Text>
        </FileEmptyCard>
      </FileUpload>
      {uploads.length > 0 && (
        <ul className="ts-uploads" aria-label="Uploads">
          {uploads.map((upload) => {
            const percent = upload.total === 0 ? 100 : Math.round((upload.sent / upload.total) * 100);
            return (
              <li key={upload.key} data-upload-state={upload.state}>
                <ProgressLinear
                  role="progressbar"
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={percent}
                  value={percent}
                  status={upload.state === 'done' ? 'positive' : upload.state === 'failed' ? 'negative' : undefined}
                  labels={[
                    upload.name,
                    upload.state === 'failed'
                      ? `Failed: ${upload.error}`
                      : upload.state === 'done'
                        ? `Uploaded, ${bytes(upload.total)}`
                        : upload.state === 'waiting'
                          ? 'Waiting'
                          : `${bytes(upload.sent)} of ${bytes(upload.total)}`,
                  ]}
                  aria-label={`Upload of ${upload.name}`}
                />
              </li>
            );
          })}
        </ul>
      )}
    </Flex>
  );
}
