/** The upload endpoint's success answer (data-upload-url). */
export interface UploadedPhoto {
  id: string | number;
  src: string;
  srcset: string | null;
  sizes: string | null;
  width: number | null;
  height: number | null;
  alt: string;
  caption: string;
  credit: string;
}

/** An upload that failed, with a message meant for the writer. */
export class UploadError extends Error {
  override readonly name = 'UploadError';
}

export interface UploadOptions {
  url: string;
  file: File;
  csrfToken: string;
  /** Fraction of the request body sent so far, 0..1. */
  onProgress: (fraction: number) => void;
}

/**
 * Posts one photo as multipart/form-data (field `file`). XMLHttpRequest rather than
 * fetch because only it reports upload progress, which matters for 10 MB camera files on
 * a newsroom's slow uplink.
 */
export function uploadPhoto({
  url,
  file,
  csrfToken,
  onProgress,
}: UploadOptions): Promise<UploadedPhoto> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.responseType = 'text';
    xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => {
      const body = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) {
        const photo = toUploadedPhoto(body);
        if (photo) resolve(photo);
        else reject(new UploadError('서버 응답을 이해하지 못했습니다. 잠시 뒤 다시 시도하세요.'));
        return;
      }
      reject(new UploadError(errorMessage(xhr.status, body)));
    });
    xhr.addEventListener('error', () =>
      reject(new UploadError('네트워크 오류로 사진을 올리지 못했습니다. 연결을 확인하세요.')),
    );
    xhr.addEventListener('abort', () => reject(new UploadError('사진 올리기를 취소했습니다.')));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const optionalText = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : null;
const size = (value: unknown): number | null =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;

export function toUploadedPhoto(body: unknown): UploadedPhoto | null {
  if (!isRecord(body) || typeof body.src !== 'string' || body.src === '') return null;
  return {
    id: typeof body.id === 'number' ? body.id : text(body.id),
    src: body.src,
    srcset: optionalText(body.srcset),
    sizes: optionalText(body.sizes),
    width: size(body.width),
    height: size(body.height),
    alt: text(body.alt),
    caption: text(body.caption),
    credit: text(body.credit),
  };
}

function errorMessage(status: number, body: unknown): string {
  // The server's own Korean message is the most precise; the rest covers proxies and
  // gateways that answer before the app does.
  if (isRecord(body) && typeof body.error === 'string' && body.error.trim() !== '') {
    return body.error;
  }
  if (status === 413) return '사진이 너무 큽니다.';
  if (status === 401 || status === 403) {
    return '로그인이 끝났거나 권한이 없습니다. 페이지를 새로 고친 뒤 다시 시도하세요.';
  }
  if (status === 415) return '올릴 수 없는 파일 형식입니다. 사진 파일을 골라 주세요.';
  return `사진을 올리지 못했습니다 (HTTP ${status}). 잠시 뒤 다시 시도하세요.`;
}
