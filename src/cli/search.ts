import pino from 'pino';
import { createNewsroom } from '../app.ts';
import type { Config } from '../config/index.ts';
import type { CliIo } from './run.ts';

export type SearchCommand =
  { action: 'reindex' } | { action: 'query'; q: string; json: boolean } | { usage: string };

const USAGE =
  'search needs "reindex" or "query <words> [--json]", e.g. tamna search query "한라산 탐방로" --json';

export function parseSearchCommand(positionals: string[], json: boolean): SearchCommand {
  const [action, ...rest] = positionals;
  if (action === 'reindex' && rest.length === 0 && !json) return { action: 'reindex' };
  if (action === 'query' && rest.length > 0) return { action: 'query', q: rest.join(' '), json };
  return { usage: USAGE };
}

/**
 * `tamna search reindex`: rebuilds every article's search document, with a progress line.
 * `tamna search query "<q>" [--json]`: the ranked hits, best first, as the site ranks them.
 */
export async function searchCommand(
  config: Config,
  command: Exclude<SearchCommand, { usage: string }>,
  io: CliIo,
): Promise<number> {
  const app = await createNewsroom(config, { logger: pino({ level: 'silent' }) });
  try {
    const { search } = app.services;
    if (command.action === 'reindex') {
      const started = Date.now();
      let shown = 0;
      const total = await search.reindex((done, all) => {
        // One line per 5% (and the last): readable in a terminal and in a log file.
        if (done === all || done - shown >= Math.max(500, all / 20)) {
          shown = done;
          io.out(
            `Indexed ${done} of ${all} articles (${Math.round((done / Math.max(all, 1)) * 100)}%)`,
          );
        }
      });
      io.out(
        `Search index rebuilt: ${total} articles in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
      );
      return 0;
    }
    const hits = await search.rank(command.q);
    if (command.json) {
      io.out(JSON.stringify(hits));
    } else if (hits.length === 0) {
      io.out(`No published article matches "${command.q}".`);
    } else {
      hits.forEach((h, i) =>
        io.out(`${String(i + 1).padStart(2)}. #${h.id} ${h.title} (score ${h.score})`),
      );
    }
    return 0;
  } finally {
    await app.close();
  }
}
