import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { AppError } from '../../shared/errors.ts';
import {
  assertSafeKey,
  contentTypeOf,
  digestsOf,
  MEDIA_CACHE_CONTROL,
  MEDIA_PATH_PREFIX,
  type MediaObjectInfo,
  type MediaStorage,
} from './storage.ts';

/** An S3-compatible bucket (AWS S3, Cloudflare R2, MinIO, NCP/NHN/KT object storage, …). */
export interface S3MediaOptions {
  bucket: string;
  region: string;
  /** The service's URL; null for AWS S3 itself. */
  endpoint: string | null;
  /** Bucket in the path (`https://host/bucket/key`) instead of the host name. */
  forcePathStyle: boolean;
  /** null: the SDK's own chain (AWS_* variables, a profile, an instance or task role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  /** Put before every key (`tamna/`), so one bucket can hold several papers; '' for none. */
  prefix: string;
  /** Where the bucket's objects are public (a CDN), as `<base>/<prefix><key>`; null: this server. */
  publicBaseUrl: string | null;
  /** The longest one storage call may take, retries included. */
  timeoutMs: number;
  /** Tries per call (transient failures only). Default 3. */
  maxAttempts?: number;
}

export interface S3MediaStorage extends MediaStorage {
  readonly kind: 's3';
}

/** What the SDK's errors carry that tells one failure from another. */
interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const CONFIG_ERRORS = new Set([
  'AccessDenied',
  'Forbidden',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'NoSuchBucket',
  'CredentialsProviderError',
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
  'InvalidBucketName',
]);

const isMissing = (e: SdkError) =>
  e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;

const isSdkError = (error: unknown): error is SdkError =>
  typeof error === 'object' && error !== null;

export function createS3MediaStorage(options: S3MediaOptions): S3MediaStorage {
  const { bucket, prefix, timeoutMs } = options;
  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint ?? undefined,
    forcePathStyle: options.forcePathStyle,
    credentials: options.credentials ?? undefined,
    maxAttempts: options.maxAttempts ?? 3,
    // The SDK's newer default (CRC checksums, chunked trailers) is refused by many
    // S3-compatible services; Content-MD5 below checks each upload instead.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: Math.min(timeoutMs, 5_000),
      requestTimeout: timeoutMs,
      throwOnRequestTimeout: true,
      // An answer that stops half way must not hold a reader's request open forever.
      socketTimeout: timeoutMs,
    },
  });
  const where = `bucket ${bucket}${prefix === '' ? '' : ` (prefix ${prefix})`} at ${options.endpoint ?? `AWS S3 ${options.region}`}`;
  const objectKey = (key: string) => {
    assertSafeKey(key);
    return prefix + key;
  };
  const publicBase = options.publicBaseUrl;

  function reasonOf(error: unknown): string {
    if (!isSdkError(error)) return String(error);
    if (error.name === 'AbortError' || error.name === 'TimeoutError')
      return `no answer within ${timeoutMs} ms`;
    const status = error.$metadata?.httpStatusCode;
    const name = error.name ?? error.code ?? 'Error';
    switch (name) {
      case 'NoSuchBucket':
        return `the bucket ${bucket} does not exist`;
      case 'AccessDenied':
      case 'Forbidden':
        return 'access denied: check the keys and the bucket policy';
      case 'InvalidAccessKeyId':
        return 'the access key ID is not known to the service';
      case 'SignatureDoesNotMatch':
        return 'the secret access key is wrong';
      case 'CredentialsProviderError':
        return 'no credentials: set TAMNA_MEDIA_S3_ACCESS_KEY_ID and TAMNA_MEDIA_S3_SECRET_ACCESS_KEY';
      case 'PermanentRedirect':
      case 'AuthorizationHeaderMalformed':
        return `the bucket is in another region than ${options.region}`;
    }
    const code = error.code ?? '';
    const message = error.message ?? '';
    if (code !== '' && code !== name) return `${code}: ${message}`;
    return `${name}${status === undefined ? '' : ` (HTTP ${status})`}${message === '' || message === name ? '' : `: ${message}`}`;
  }

  /** A failed call as an AppError: Korean for the newsroom, the English reason for operators. */
  function failure(operation: 'save' | 'read' | 'delete' | 'list', key: string, error: unknown) {
    const name = isSdkError(error) ? (error.name ?? '') : '';
    const misconfigured = CONFIG_ERRORS.has(name);
    const verb = { save: '저장하지', read: '읽지', delete: '지우지', list: '찾지' }[operation];
    return new AppError(
      'UNAVAILABLE',
      misconfigured
        ? `미디어 저장소(S3) 설정에 문제가 있어 파일을 ${verb} 못했습니다. 관리자에게 알려 주세요.`
        : `미디어 저장소(S3)가 응답하지 않아 파일을 ${verb} 못했습니다. 잠시 후 다시 시도하세요.`,
      {
        public: true,
        store: 's3',
        operation,
        key,
        reason:
          key === '' ? reasonOf(error) : `${reasonOf(error)} (${operation} ${key} in ${where})`,
      },
      { cause: error },
    );
  }

  /** One bounded call: retries and all, it ends within timeoutMs. */
  const deadline = () => ({ abortSignal: AbortSignal.timeout(timeoutMs) });

  function infoOf(
    output: Pick<GetObjectCommandOutput, 'ContentLength' | 'ETag' | 'LastModified' | 'Metadata'>,
    size?: number,
  ): MediaObjectInfo {
    return {
      size: size ?? output.ContentLength ?? 0,
      etag: output.ETag ?? '""',
      lastModified: output.LastModified?.getTime() ?? 0,
      sha256: output.Metadata?.sha256 ?? null,
    };
  }

  async function stat(key: string): Promise<MediaObjectInfo | null> {
    const Key = objectKey(key);
    try {
      return infoOf(await client.send(new HeadObjectCommand({ Bucket: bucket, Key }), deadline()));
    } catch (error) {
      if (isSdkError(error) && isMissing(error)) return null;
      throw failure('read', key, error);
    }
  }

  return {
    kind: 's3',
    localRoot: null,
    where,
    async put(key, bytes) {
      const Key = objectKey(key);
      const { md5, sha256 } = digestsOf(bytes);
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key,
            Body: bytes,
            ContentLength: bytes.length,
            ContentType: contentTypeOf(key),
            CacheControl: MEDIA_CACHE_CONTROL,
            // The service refuses bytes damaged on the way; sha256 lets `media copy` and
            // operators compare objects whatever form the service's ETag takes.
            ContentMD5: Buffer.from(md5, 'hex').toString('base64'),
            Metadata: { sha256 },
          }),
          deadline(),
        );
      } catch (error) {
        throw failure('save', key, error);
      }
    },
    async exists(key) {
      return (await stat(key)) !== null;
    },
    async read(key) {
      const Key = objectKey(key);
      try {
        const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key }), deadline());
        if (output.Body === undefined) return Buffer.alloc(0);
        return Buffer.from(await output.Body.transformToByteArray());
      } catch (error) {
        if (isSdkError(error) && isMissing(error)) return null;
        throw failure('read', key, error);
      }
    },
    stat,
    async open(key, request = {}) {
      const Key = objectKey(key);
      // One range only, as the local server honours; anything else gets the whole file.
      let range =
        request.range !== undefined && /^bytes=(\d+-\d*|-\d+)$/.test(request.range.trim())
          ? request.range.trim()
          : undefined;
      if (range?.startsWith('bytes=-') === true) {
        // The last n bytes: not every S3-compatible service reads a suffix range right
        // (s3rver sends the first n), so it becomes an ordinary one from the size.
        const info = await stat(key);
        if (info === null) return null;
        const wanted = Number(range.slice('bytes=-'.length));
        if (wanted === 0 || info.size === 0) return { status: 416, size: info.size };
        range = `bytes=${Math.max(0, info.size - wanted)}-${info.size - 1}`;
      }
      let output: GetObjectCommandOutput;
      try {
        // No overall deadline: a large file may take longer to stream than to start. The
        // connection and idle timeouts still end a call the service stops answering.
        output = await client.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key,
            Range: range,
            IfNoneMatch: request.ifNoneMatch,
            IfModifiedSince:
              request.ifNoneMatch === undefined && request.ifModifiedSince !== undefined
                ? validDate(request.ifModifiedSince)
                : undefined,
          }),
        );
      } catch (error) {
        if (isSdkError(error)) {
          const status = error.$metadata?.httpStatusCode;
          if (status === 304) {
            const etag = request.ifNoneMatch?.includes(',') ? null : (request.ifNoneMatch ?? null);
            return { status: 304, etag, lastModified: null };
          }
          if (status === 416 || error.name === 'InvalidRange')
            return { status: 416, size: (await stat(key))?.size ?? null };
          if (isMissing(error)) return null;
        }
        throw failure('read', key, error);
      }
      const body = output.Body instanceof Readable ? output.Body : Readable.from([] as Buffer[]);
      const contentRange = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(output.ContentRange ?? '');
      const partial = range !== undefined && contentRange !== null;
      return {
        status: partial ? 206 : 200,
        info: infoOf(output, partial ? Number(contentRange[3]) : undefined),
        contentType: contentTypeOf(key),
        body,
        range: partial ? { start: Number(contentRange[1]), end: Number(contentRange[2]) } : null,
      };
    },
    async delete(key) {
      const Key = objectKey(key);
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }), deadline());
      } catch (error) {
        if (isSdkError(error) && isMissing(error)) return;
        throw failure('delete', key, error);
      }
    },
    async *list() {
      let token: string | undefined;
      do {
        let page;
        try {
          page = await client.send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: prefix === '' ? undefined : prefix,
              ContinuationToken: token,
            }),
            deadline(),
          );
        } catch (error) {
          throw failure('list', '', error);
        }
        for (const object of page.Contents ?? []) {
          if (object.Key === undefined) continue;
          yield { key: object.Key.slice(prefix.length), size: object.Size ?? 0 };
        }
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
    },
    url: (key) => (publicBase === null ? MEDIA_PATH_PREFIX + key : `${publicBase}/${prefix}${key}`),
    sitePath: (key) => MEDIA_PATH_PREFIX + key,
    async check() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }), deadline());
      } catch (error) {
        // HEAD has no body: a missing bucket is only a 404, a refused key only a 403.
        const status = isSdkError(error) ? error.$metadata?.httpStatusCode : undefined;
        const named =
          status === 404
            ? Object.assign(new Error('no bucket'), { name: 'NoSuchBucket' })
            : status === 403
              ? Object.assign(new Error('denied'), { name: 'AccessDenied' })
              : status === 301
                ? Object.assign(new Error('moved'), { name: 'PermanentRedirect' })
                : error;
        const wrapped = failure('list', '', named);
        throw new AppError(wrapped.code, wrapped.message, wrapped.details, { cause: error });
      }
    },
    close() {
      client.destroy();
    },
  };
}

function validDate(value: string): Date | undefined {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
