import fs from 'node:fs';
import path from 'node:path';
import { ERROR_ARTICLES } from '../../src/domain/runs/error-articles.js';

export const ERRORS_DOC = path.join(import.meta.dirname, '../../docs/errors.md');

/**
 * docs/errors.md as the catalogue of error articles makes it: the same text the service serves at
 * each kbArticleLink. `npx tsx test/helpers/errors-doc.ts` writes it after the catalogue changed.
 */
export function renderErrorsDoc(): string {
  const sections = [...ERROR_ARTICLES.values()].map(
    (a) =>
      `## ${a.key}\n\n**${a.title}** (${a.of === 'run' ? "a run's `error.errorKey`" : "a task's `error.descriptionKey`"})\n\n` +
      `What happened: ${a.cause}\n\nWhat to do: ${a.action}\n`,
  );
  return `# Run and task errors

What each error key of a run or a task means and what to do about it. A run error's and a task
error's \`kbArticleLink\` points at the service's own page of its key,
\`{PUBLIC_URL}/synchronization/errors/{key}\` (HTML, no token needed), which says what this file
says. The catalogue is \`src/domain/runs/error-articles.ts\`; this file is written from it
(\`npx tsx test/helpers/errors-doc.ts\`), and a test checks both that it is current and that every
key the service can produce has an article.

${sections.join('\n')}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  fs.writeFileSync(ERRORS_DOC, renderErrorsDoc());
}
