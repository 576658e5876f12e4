/**
 * The sanitizer off the event loop, for long bodies (see body-cleaner.ts). Node runs this
 * file itself (type stripping), so it uses erasable TypeScript only.
 */
import { parentPort } from 'node:worker_threads';
import { cleanBodyHtml } from './body-html.ts';

parentPort?.on('message', (message: { id: number; html: string }) => {
  try {
    parentPort?.postMessage({ id: message.id, html: cleanBodyHtml(message.html) });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: String(error) });
  }
});
