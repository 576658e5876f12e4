import type { FastifyRequest } from 'fastify';

/** `Sec-Purpose`, `Purpose`, `X-Purpose`, `X-Moz`: set when the browser only speculates. */
export function purposeOf(request: FastifyRequest): string | undefined {
  const h = request.headers;
  const parts = [h['sec-purpose'], h.purpose, h['x-purpose'], h['x-moz']];
  let out: string | undefined;
  for (const part of parts) {
    if (part === undefined) continue;
    const text = Array.isArray(part) ? part.join(' ') : part;
    out = out === undefined ? text : `${out} ${text}`;
  }
  return out;
}
