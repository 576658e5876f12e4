import { randomBytes } from 'node:crypto';
import type { TestApp } from './app.ts';
import type { StaffSession } from './admin-session.ts';

export interface UploadFile {
  field: string;
  filename: string;
  type: string;
  bytes: Buffer;
}

/** A multipart/form-data body as a browser sends a form with a file input. */
export function multipartBody(
  fields: Record<string, string>,
  files: readonly UploadFile[] = [],
): { payload: Buffer; contentType: string } {
  const boundary = `----tamna${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
    );
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.bytes,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Posts a multipart form as a signed-in staff member, with the CSRF token in the body. */
export function postMultipart(
  app: TestApp,
  session: StaffSession,
  url: string,
  fields: Record<string, string>,
  files: readonly UploadFile[] = [],
) {
  const body = multipartBody({ _csrf: session.csrf, ...fields }, files);
  return app.http.inject({
    method: 'POST',
    url,
    headers: { cookie: session.cookie, 'content-type': body.contentType },
    payload: body.payload,
  });
}
