import { errors } from '../../../domain/errors.js';
import { ERROR_ARTICLES } from '../../../domain/runs/error-articles.js';
import { type App, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { errorResponses } from '../../schemas/common.js';
import { ErrorArticleParams } from '../../schemas/report.js';
import { articlePage } from './article-html.js';

/**
 * The page a run or task error's `kbArticleLink` points at: what the error means and what to do, as
 * HTML for people (no bearer token: it says nothing about any user's data). The same text is in
 * docs/errors.md. An unknown key is 404 ErrorArticleNotFound.
 */
export function getErrorArticleRoute(app: App): void {
  const operation = operations.getErrorArticle;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get Error Article',
      description: 'twinsync only: the page of an error key (a run’s errorKey or a task’s descriptionKey), as text/html. No Authorization.',
      tags: ['Diagnostic Reports'],
      params: ErrorArticleParams,
      response: { 200: { description: 'The article (text/html).' }, ...errorResponses(404, 429) },
    },
    handler: async (request, reply) => {
      const article = ERROR_ARTICLES.get(request.params.errorKey);
      if (!article) throw errors.errorArticleNotFound();
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
        .send(articlePage(article));
    },
  });
}
