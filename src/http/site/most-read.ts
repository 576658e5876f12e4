import type { MostReadArticle, ReaderCounts } from '../../domains/analytics/index.ts';
import type { ContentService } from '../../domains/content/index.ts';
import { tag, type CacheTag } from '../../shared/cache-tags.ts';
import type { MostReadView } from '../../views/model.ts';

/** Articles per list in the box. */
const BOX_LENGTH = 10;

export interface MostReadBox {
  /** null when nothing has been counted yet: the box is left out. */
  view: MostReadView | null;
  /** Cache tags of the articles shown. */
  tags: CacheTag[];
  /** When the page must be rendered again to show fresher lists. */
  expiresAt: number;
}

/**
 * The 많이 본 뉴스 box of a page being rendered. The lists are the kept ones (read at most
 * every five minutes); each article is checked against what readers may open now, so one
 * unpublished since then drops out at once. The page carries the shown articles' tags (a
 * changed title refreshes it) and expires when the lists are due to be read again, so a
 * cached page never shows lists older than that.
 */
export async function mostReadBox(
  readers: Pick<ReaderCounts, 'mostReadBoard'>,
  content: Pick<ContentService, 'readableTitles'>,
): Promise<MostReadBox> {
  const board = await readers.mostReadBoard();
  const ids = [...new Set([...board.day, ...board.week].map((a) => a.articleId))];
  const titles = new Map((await content.readableTitles(ids)).map((t) => [t.id, t.title]));
  const shown = (list: MostReadArticle[]) =>
    list
      .flatMap((a) => {
        const title = titles.get(a.articleId);
        return title === undefined ? [] : [{ id: a.articleId, title }];
      })
      .slice(0, BOX_LENGTH);
  const view = { day: shown(board.day), week: shown(board.week) };
  const articleIds = new Set([...view.day, ...view.week].map((a) => a.id));
  return {
    view: articleIds.size === 0 ? null : view,
    tags: [...articleIds].map(tag.article),
    expiresAt: board.freshUntil,
  };
}
