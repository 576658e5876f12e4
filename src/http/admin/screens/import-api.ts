import { AppError } from '../../../shared/errors.ts';
import type { AdminScreen } from '../screen.ts';

/** NDJSON sent to the import API. */
const IMPORT_BODY_LIMIT = 50 * 1024 * 1024;

/** POST /admin/api/import: the same import as `tamna import`, for a migration script. */
export const importApiScreen: AdminScreen = {
  name: 'import-api',
  prefix: '/api/import',
  permission: 'import.run',
  enabled: (deps) => deps.importRecords !== undefined,
  routes(api, kit, { importRecords }) {
    if (importRecords === undefined) return;
    // The import API takes NDJSON as text, and only this route parses it.
    api.addContentTypeParser(
      ['application/x-ndjson', 'text/plain'],
      { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    api.post('', async (request, reply) => {
      if (typeof request.body !== 'string')
        throw new AppError(
          'INVALID_INPUT',
          '본문은 NDJSON(한 줄에 기사 하나)이어야 합니다. Content-Type: application/x-ndjson',
        );
      return reply.send(await importRecords(request.body, kit.actor(request)));
    });
  },
};
