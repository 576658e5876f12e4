import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Policies } from '../../domains/policies/index.ts';
import { TIP_RULES, type Ticket, type TipFileInput, type Tips } from '../../domains/tips/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { isAppError } from '../../shared/errors.ts';
import type { ChromeView } from '../../views/model.ts';
import { renderTipForm, renderTipReceived, type TipFormView } from '../../views/pages/TipPage.tsx';
import { tipPath } from '../../views/urls.ts';
import { buildUncachedPage, sendPage } from '../cache/serve.ts';

export interface TipRouteDeps {
  tips: Tips;
  policies: Policies;
  clock: Clock;
  /** The configured public URL: a post from its origin is ours. */
  siteUrl: string;
  chrome: (request: FastifyRequest) => Promise<ChromeView>;
  /** The public pages' security headers. */
  headers: Readonly<Record<string, string>>;
}

/**
 * Tip posts being read at once, from all addresses; each may hold up to 60 MB of files
 * while it is checked. Above one address's hourly share, so one sender never meets it.
 */
const MAX_IN_FLIGHT = 8;
const RECEIPT = /^\d{6}-[A-Z2-9]{6}$/;

type Values = TipFormView['values'];
const EMPTY: Values = { name: '', contact: '', body: '', consent: false };

declare module 'fastify' {
  interface FastifyRequest {
    /** The counted attempt of a tip post (admitted before its body was read). */
    tipTicket: Ticket | null;
  }
}

/**
 * Whether a post comes from a page of this site: a browser names the page's origin (or at
 * least whether it is same-origin) on every form post, so another site cannot make a
 * reader's browser send us a tip (CSRF). Our origin is the configured site URL, or the one
 * the request itself was sent to, which a cross-site page cannot choose.
 */
export function fromThisSite(request: FastifyRequest, siteUrl: string): boolean {
  const ours = new Set([new URL(siteUrl).origin, `${request.protocol}://${request.host}`]);
  const origin = request.headers.origin;
  if (origin !== undefined) return ours.has(origin);
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  const referer = request.headers.referer;
  if (referer !== undefined) return ours.has(URL.parse(referer)?.origin ?? '');
  // No browser sends none of the three with a form post; scripts are the honeypot's and
  // the limits' business.
  return true;
}

/**
 * 기사제보 on the public site: the form (never cached: it carries a signed timestamp, and a
 * refused post shows the sender's own words), the post, and the receipt. A post is turned
 * away before its body is read when it comes from another site, when too many are being
 * read, or when its address has sent its share.
 */
export async function registerTipRoutes(app: FastifyInstance, deps: TipRouteDeps): Promise<void> {
  const { tips, policies, clock } = deps;
  const rules = {
    maxNameChars: TIP_RULES.maxNameChars,
    maxContactChars: TIP_RULES.maxContactChars,
    minBodyChars: TIP_RULES.minBodyChars,
    maxBodyChars: TIP_RULES.maxBodyChars,
    maxPhotos: TIP_RULES.maxPhotos,
    maxFileMb: TIP_RULES.maxFileBytes / 1024 / 1024,
  };

  function send(request: FastifyRequest, reply: FastifyReply, status: number, html: string) {
    const now = clock.now();
    return sendPage(request, reply, buildUncachedPage(status, html, now), {
      headers: deps.headers,
      now,
      cacheable: false,
    });
  }

  async function sendForm(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    form: { values?: Values; error?: TipFormView['error']; filesDropped?: boolean } = {},
  ) {
    const [chrome, intro, token] = await Promise.all([
      deps.chrome(request),
      policies.page('tip'),
      tips.formToken(),
    ]);
    const html = renderTipForm({
      chrome,
      form: {
        introHtml: intro.bodyHtml,
        token,
        values: form.values ?? EMPTY,
        ...(form.error === undefined ? {} : { error: form.error }),
        filesDropped: form.filesDropped ?? false,
        rules,
        retentionDays: tips.retentionDays,
      },
    });
    return send(request, reply, status, html);
  }

  const refusal = (message: string, fields: Record<string, string> = {}) => ({ message, fields });

  app.get(tipPath, (request, reply) => sendForm(request, reply, 200));

  app.get(`${tipPath}/received`, async (request, reply) => {
    const r = (request.query as { r?: unknown }).r;
    const receipt = typeof r === 'string' && RECEIPT.test(r) ? r : null;
    const html = renderTipReceived({
      chrome: await deps.chrome(request),
      receipt,
      retentionDays: tips.retentionDays,
    });
    return send(request, reply, 200, html);
  });

  await app.register(async (scope) => {
    let inFlight = 0;
    scope.decorateRequest('tipTicket', null);
    await scope.register(fastifyMultipart, {
      limits: {
        fileSize: TIP_RULES.maxFileBytes,
        // One more than allowed, so "6 photos" gets its own message instead of a cut-off.
        files: TIP_RULES.maxPhotos + 1,
        fields: 10,
        fieldSize: 64 * 1024,
        parts: 20,
        headerPairs: 100,
      },
      throwFileSizeLimit: true,
    });

    scope.addHook('onRequest', async (request, reply) => {
      if (!fromThisSite(request, deps.siteUrl))
        return sendForm(request, reply, 403, {
          error: refusal(
            '다른 사이트에서 보낸 제보는 받지 않습니다. 이 페이지에서 다시 보내 주세요.',
          ),
        });
      if (!(request.headers['content-type'] ?? '').startsWith('multipart/form-data'))
        return sendForm(request, reply, 400, {
          error: refusal('제보 양식으로 보내 주세요.'),
        });
      const admission = await tips.admit(request.ip);
      if (!admission.ok) {
        const minutes = Math.ceil(admission.retryAfterMs / 60_000);
        reply.header('retry-after', String(Math.ceil(admission.retryAfterMs / 1000)));
        return sendForm(request, reply, 429, {
          error: refusal(
            `같은 곳에서 제보가 많이 와서 잠시 받지 않고 있습니다. ${minutes}분 뒤에 다시 보내 주시거나 전화로 알려 주세요.`,
          ),
        });
      }
      // Counted and reserved in the same turn of the event loop: a burst cannot overrun it.
      if (inFlight >= MAX_IN_FLIGHT) {
        await tips.release(admission.ticket);
        reply.header('retry-after', '30');
        return sendForm(request, reply, 503, {
          error: refusal('지금 제보가 한꺼번에 몰려 받지 못했습니다. 잠시 뒤에 다시 보내 주세요.'),
        });
      }
      inFlight++;
      reply.raw.once('close', () => {
        inFlight--;
      });
      request.tipTicket = admission.ticket;
      return undefined;
    });

    scope.post(tipPath, async (request, reply) => {
      const ticket = request.tipTicket;
      if (ticket === null) throw new Error('tip post without a ticket');
      const form: Record<string, string> = {};
      const files: TipFileInput[] = [];
      let truncated = false;
      try {
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            const bytes = await part.toBuffer();
            if (part.fieldname === 'files') files.push({ bytes, filename: part.filename });
          } else if (form[part.fieldname] === undefined) {
            form[part.fieldname] = typeof part.value === 'string' ? part.value : '';
            if (part.valueTruncated) truncated = true;
          }
        }
      } catch (error) {
        await tips.release(ticket);
        const { code } = error as { code?: unknown };
        const message =
          code === 'FST_REQ_FILE_TOO_LARGE'
            ? `첨부 파일은 하나에 ${rules.maxFileMb}MB까지 보낼 수 있습니다.`
            : code === 'FST_FILES_LIMIT'
              ? `사진은 ${rules.maxPhotos}장까지 보낼 수 있습니다.`
              : '보낸 내용을 읽지 못했습니다. 다시 보내 주세요.';
        request.log.info({ code }, 'tip post refused while reading');
        return sendForm(request, reply, code === 'FST_REQ_FILE_TOO_LARGE' ? 413 : 400, {
          values: valuesOf(form),
          error: refusal(message, { files: message }),
          filesDropped: true,
        });
      }
      const values = valuesOf(form);
      const filesDropped = files.some((f) => f.bytes.length > 0);
      if (truncated) {
        await tips.release(ticket);
        return sendForm(request, reply, 400, {
          values,
          error: refusal('입력한 내용이 너무 깁니다. 줄여서 다시 보내 주세요.'),
          filesDropped,
        });
      }
      // The honeypot: a field people never see. Whoever filled it keeps their count.
      if ((form.homepage ?? '') !== '')
        return sendForm(request, reply, 400, {
          values,
          error: refusal(
            '제보를 보내지 못했습니다. 다시 보내 주시거나 전화나 이메일로 알려 주세요.',
          ),
          filesDropped,
        });
      const timing = await tips.checkFormToken(form.form_token ?? '');
      if (timing !== 'ok') {
        if (timing === 'expired') await tips.release(ticket);
        const message = {
          'too-fast':
            '양식을 연 지 너무 빨리 보내셨습니다. 내용을 한 번 더 확인하시고 몇 초 뒤에 다시 보내 주세요.',
          expired: '양식을 연 지 오래되었습니다. 내용을 확인하시고 다시 보내 주세요.',
          invalid: '제보를 보내지 못했습니다. 이 페이지에서 다시 보내 주세요.',
        }[timing];
        return sendForm(request, reply, 400, { values, error: refusal(message), filesDropped });
      }
      try {
        const stored = await tips.submit(
          {
            name: values.name,
            contact: values.contact,
            body: values.body,
            consent: values.consent,
            files,
          },
          ticket,
        );
        return reply.redirect(`${tipPath}/received?r=${stored.receipt}`, 303);
      } catch (error) {
        if (!isAppError(error) || error.code !== 'INVALID_INPUT') throw error;
        const fields = (error.details as { fields?: Record<string, string> } | undefined)?.fields;
        return sendForm(request, reply, 400, {
          values,
          error: refusal(error.message, fields ?? {}),
          filesDropped,
        });
      }
    });
  });
}

function valuesOf(form: Record<string, string>): Values {
  return {
    name: form.name ?? '',
    contact: form.contact ?? '',
    body: form.body ?? '',
    consent: form.consent === '1' || form.consent === 'on',
  };
}
