import type { App, AppContext } from '../../context.js';
import { getErrorArticleRoute } from './get-error-article.js';

/** The pages kbArticleLink points at (docs/errors.md). */
export function errorArticleRoutes(app: App, _ctx: AppContext): void {
  getErrorArticleRoute(app);
}
