import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import { statusOf } from './errors.ts';

describe('statusOf', () => {
  it('answers domain errors with their status and, below 500, their message', () => {
    expect(statusOf(new AppError('FORBIDDEN', '권한이 없습니다.'))).toEqual({
      status: 403,
      detail: '권한이 없습니다.',
      kind: 'domain',
    });
    expect(statusOf(new AppError('UNAVAILABLE', 'db down'))).toEqual({
      status: 503,
      detail: null,
      kind: 'server',
    }); // Written for people: a media store that does not answer says so.
    expect(
      statusOf(new AppError('UNAVAILABLE', '미디어 저장소(S3)가 응답하지 않아', { public: true })),
    ).toEqual({ status: 503, detail: '미디어 저장소(S3)가 응답하지 않아', kind: 'domain' });
  });

  it('keeps Fastify’s client errors client errors, without their English text', () => {
    const fastify = (statusCode: number, code = 'FST_ERR') =>
      Object.assign(new Error('x'), { statusCode, code });
    expect(statusOf(fastify(413))).toMatchObject({
      status: 413,
      kind: 'body-too-large',
      detail: null,
    });
    expect(statusOf(fastify(413, 'FST_REQ_FILE_TOO_LARGE'))).toMatchObject({
      kind: 'file-too-large',
    });
    expect(statusOf(fastify(404))).toMatchObject({ status: 404, kind: 'not-found' });
    expect(statusOf(fastify(415))).toMatchObject({ status: 400, kind: 'bad-request' });
    expect(statusOf(new Error('boom'))).toEqual({ status: 500, detail: null, kind: 'server' });
  });
});
