import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** TAMNA_MEDIA_S3_* for an app that keeps its media in this bucket. */
  env: Record<string, string>;
  /** Where s3rver keeps the bucket's files (to look at or damage them). */
  directory: string;
  close(): Promise<void>;
}

/**
 * A real S3-compatible server (s3rver speaks the S3 REST protocol, signatures included)
 * on a free port with its own temporary folder and one empty bucket.
 */
export async function startS3(bucket = 'tamna-media'): Promise<TestS3> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'tamna-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    directory,
    env: {
      TAMNA_MEDIA_S3_ENDPOINT: endpoint,
      TAMNA_MEDIA_S3_BUCKET: bucket,
      TAMNA_MEDIA_S3_REGION: 'us-east-1',
      // s3rver's fixed credentials.
      TAMNA_MEDIA_S3_ACCESS_KEY_ID: 'S3RVER',
      TAMNA_MEDIA_S3_SECRET_ACCESS_KEY: 'S3RVER',
      TAMNA_MEDIA_S3_FORCE_PATH_STYLE: '1',
    },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * An endpoint that takes connections and never answers: a store that has stopped
 * responding, which must end in a timeout rather than a hung upload.
 */
export async function startSilentEndpoint(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A local port nothing listens on (connections are refused at once). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
