import type { ErrorArticle } from '../../../domain/runs/error-articles.js';
import { escapeHtml } from '../authorization/consent-html.js';

/** `code` spans of the catalogue's text as <code>, everything else escaped. */
function inline(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** One article as a self-contained page (inline style, no script, nothing external). */
export function articlePage(article: ErrorArticle): string {
  const where = article.of === 'run' ? 'a run’s <code>error.errorKey</code>' : 'a task’s <code>error.descriptionKey</code>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(article.key)} · twinsync</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1d21}
main{max-width:40rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.3rem;margin-top:0}
h2{font-size:1.05rem}
code{background:#eef0f3;padding:0 .25em;border-radius:3px;word-break:break-all}
.small{color:#5c6370;font-size:.85rem}
</style>
</head>
<body><main>
<h1 id="${escapeHtml(article.key)}">${escapeHtml(article.title)}</h1>
<p class="small"><code>${escapeHtml(article.key)}</code>: ${where}</p>
<h2>What happened</h2>
<p>${inline(article.cause)}</p>
<h2>What to do</h2>
<p>${inline(article.action)}</p>
</main></body>
</html>
`;
}
