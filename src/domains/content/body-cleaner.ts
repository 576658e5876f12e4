import { Worker } from 'node:worker_threads';
import { cleanBodyHtml } from './body-html.ts';
import { bodyError, checkBodyStructure } from './body-structure.ts';

/**
 * Cleans article bodies without holding up readers. Bodies up to `inlineMaxChars` (a long
 * article is 20–30 KB) are cleaned at once; longer ones go to a worker thread, because the
 * sanitizer needs about 150 ms per megabyte, and a public page must never wait behind a
 * staff member's save for more than 100 ms. A worker that has not answered within
 * `timeoutMs` is stopped and the save refused; the worker also stops after `idleMs`
 * without work, so a site that never sees a long body never keeps one.
 */
export interface BodyCleaner {
  clean(html: string): Promise<string>;
  close(): Promise<void>;
}

export interface BodyCleanerOptions {
  inlineMaxChars?: number;
  timeoutMs?: number;
  idleMs?: number;
}

interface Job {
  id: number;
  html: string;
  resolve: (html: string) => void;
  reject: (error: Error) => void;
}

const WORKER_FILE = new URL('./body-clean-worker.ts', import.meta.url);

export function createBodyCleaner(options: BodyCleanerOptions = {}): BodyCleaner {
  const inlineMaxChars = options.inlineMaxChars ?? 64 * 1024;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const idleMs = options.idleMs ?? 30_000;
  let worker: Worker | null = null;
  let current: Job | null = null;
  let deadline: NodeJS.Timeout | null = null;
  let idle: NodeJS.Timeout | null = null;
  const queue: Job[] = [];
  let nextId = 1;

  async function stopWorker(): Promise<void> {
    const w = worker;
    worker = null;
    if (w !== null) await w.terminate();
  }

  function settle(job: Job, outcome: { html?: string; error?: Error }): void {
    if (deadline !== null) clearTimeout(deadline);
    deadline = null;
    current = null;
    if (outcome.error !== undefined) job.reject(outcome.error);
    else job.resolve(outcome.html ?? '');
    pump();
  }

  function start(): Worker {
    const w = new Worker(WORKER_FILE);
    w.unref();
    w.on('message', (message: { id: number; html?: string; error?: string }) => {
      const job = current;
      if (job === null || message.id !== job.id) return;
      if (message.error !== undefined) settle(job, { error: new Error(message.error) });
      else settle(job, { html: message.html ?? '' });
    });
    w.on('error', (error) => {
      if (worker === w) worker = null;
      const job = current;
      if (job !== null) settle(job, { error });
    });
    w.on('exit', () => {
      if (worker === w) worker = null;
    });
    return w;
  }

  function pump(): void {
    if (current !== null) return;
    const job = queue.shift();
    if (job === undefined) {
      if (idle !== null) clearTimeout(idle);
      idle = setTimeout(() => void stopWorker(), idleMs);
      idle.unref();
      return;
    }
    if (idle !== null) clearTimeout(idle);
    idle = null;
    current = job;
    worker ??= start();
    deadline = setTimeout(() => {
      void stopWorker();
      settle(job, {
        error: bodyError('본문을 정리하는 데 너무 오래 걸립니다. 기사를 나누어 저장하세요.'),
      });
    }, timeoutMs);
    deadline.unref();
    worker.postMessage({ id: job.id, html: job.html });
  }

  return {
    async clean(html: string): Promise<string> {
      checkBodyStructure(html);
      if (html.length <= inlineMaxChars) return cleanBodyHtml(html);
      return new Promise<string>((resolve, reject) => {
        queue.push({ id: nextId++, html, resolve, reject });
        pump();
      });
    },
    async close(): Promise<void> {
      if (idle !== null) clearTimeout(idle);
      if (deadline !== null) clearTimeout(deadline);
      idle = deadline = null;
      // The job in the worker is answered too: a save in progress must not wait forever.
      const pending = [...(current === null ? [] : [current]), ...queue.splice(0)];
      current = null;
      for (const job of pending) job.reject(new Error('body cleaner closed'));
      await stopWorker();
    },
  };
}
