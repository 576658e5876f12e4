import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  EVENT_LABELS,
  WEBHOOK_EVENTS,
  type EndpointInput,
  type Webhooks,
} from '../../../domains/webhooks/index.ts';
import { asForm, field, fields } from '../forms.ts';
import type { AdminKit } from '../kit.ts';
import type { AdminScreen } from '../screen.ts';
import { renderWebhookDetail, renderWebhooks, type WebhookFormValues } from './webhooks.view.tsx';

const EVENT_CHOICES = WEBHOOK_EVENTS.map((type) => [type, EVENT_LABELS[type]] as const);

const formValues = (request: FastifyRequest): WebhookFormValues & EndpointInput => {
  const form = asForm(request.body);
  return {
    url: field(form, 'url').trim(),
    description: field(form, 'description'),
    events: fields(form, 'events'),
  };
};

function webhookRoutes(
  screen: Parameters<AdminScreen['routes']>[0],
  kit: AdminKit,
  webhooks: Webhooks,
) {
  const common = {
    eventLabels: EVENT_CHOICES,
    typeLabels: EVENT_LABELS,
    allowPrivate: webhooks.allowPrivateAddresses,
  };

  async function list(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { secret?: string; error?: string; values?: WebhookFormValues } = {},
    status = 200,
  ) {
    const endpoints = await webhooks.list();
    return kit.html(
      reply,
      renderWebhooks(kit.chrome(request), { ...common, endpoints, ...extra }),
      status,
    );
  }

  async function detail(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { secret?: string; error?: string; values?: WebhookFormValues } = {},
    status = 200,
  ) {
    const id = kit.id(request);
    const [endpoint, deliveries] = await Promise.all([webhooks.get(id), webhooks.deliveries(id)]);
    return kit.html(
      reply,
      renderWebhookDetail(kit.chrome(request), {
        ...common,
        endpoint,
        deliveries,
        retryHours: Math.round(webhooks.policy.retryForMs / 3_600_000),
        ...extra,
      }),
      status,
    );
  }

  screen.get('', (request, reply) => list(request, reply));

  // The secret is on this answer only: no redirect, and admin pages are never cached.
  screen.post('', async (request, reply) => {
    const values = formValues(request);
    return kit.form(
      reply,
      async () => {
        const { secret } = await webhooks.create(values, kit.staff(request).user.id);
        return list(request, reply, { secret });
      },
      (failure) => list(request, reply, { error: failure.message, values }, failure.status),
    );
  });

  screen.get('/:id', (request, reply) => detail(request, reply));

  screen.post('/:id', async (request, reply) => {
    const values = formValues(request);
    const id = kit.id(request);
    return kit.form(
      reply,
      async () => {
        await webhooks.update(id, values);
        return `/admin/webhooks/${id}?ok=webhook-saved`;
      },
      (failure) => detail(request, reply, { error: failure.message, values }, failure.status),
    );
  });

  const action = (path: string, run: (id: number) => Promise<string>) =>
    screen.post(`/:id/${path}`, async (request, reply) => {
      const id = kit.id(request);
      return kit.back(reply, `/admin/webhooks/${id}?ok=${await run(id)}`);
    });
  action('ping', async (id) => {
    await webhooks.ping(id);
    return 'webhook-ping';
  });
  action('disable', async (id) => {
    await webhooks.setEnabled(id, false);
    return 'webhook-off';
  });
  action('enable', async (id) => {
    await webhooks.setEnabled(id, true);
    return 'webhook-on';
  });

  screen.post('/:id/rotate', async (request, reply) => {
    const secret = await webhooks.rotateSecret(kit.id(request));
    return detail(request, reply, { secret });
  });

  screen.post('/:id/delete', async (request, reply) => {
    await webhooks.remove(kit.id(request));
    return kit.back(reply, '/admin/webhooks?ok=webhook-deleted');
  });

  screen.post('/:id/deliveries/:delivery/redeliver', async (request, reply) => {
    const id = kit.id(request);
    await webhooks.redeliver(id, kit.id(request, 'delivery'));
    return kit.back(reply, `/admin/webhooks/${id}?ok=webhook-redeliver`);
  });
}

/** 웹훅: endpoints that hear of the desk's publications, with their delivery logs. */
export const webhooksScreen: AdminScreen = {
  name: 'webhooks',
  prefix: '/webhooks',
  permission: 'api.manage',
  nav: { label: '웹훅', order: 96 },
  flash: {
    'webhook-saved': '웹훅 설정을 저장했습니다.',
    'webhook-ping': '테스트 전송을 대기열에 넣었습니다. 몇 초 뒤 전송 기록에 나타납니다.',
    'webhook-off': '웹훅을 껐습니다.',
    'webhook-on': '웹훅을 다시 켰습니다. 기다리던 전송을 바로 보냅니다.',
    'webhook-deleted': '웹훅을 삭제했습니다.',
    'webhook-redeliver': '다시 보내도록 대기열에 넣었습니다.',
  },
  enabled: (deps) => deps.webhooks !== undefined,
  routes(screen, kit, deps) {
    if (deps.webhooks !== undefined) webhookRoutes(screen, kit, deps.webhooks);
  },
};
