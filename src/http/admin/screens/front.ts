import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  checkArrangement,
  FRONT_AREAS,
  pinnedIds,
  SECTION_BOX_PLACES,
  type FrontArrangement,
} from '../../../domains/newsroom/index.ts';
import { invalidInput } from '../../../shared/errors.ts';
import { asForm, field, type FormBody } from '../forms.ts';
import type { AdminScreen } from '../screen.ts';
import { renderFrontDesk, renderPreviewRefusal, type FrontAreaView } from './front.view.tsx';

const ID_PATTERN = /^\d{1,12}$/;

/** An area's fields in order, the empty ones too: a place's position is its index. */
function placeFields(form: FormBody, area: string): string[] {
  const v = form[area];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).slice(0, 50);
}

/** One area's places as posted: a field per place, in order ('' leaves it to the rule). */
function postedArrangement(form: FormBody, areas: readonly string[]): FrontArrangement {
  const out: FrontArrangement = {};
  for (const area of areas) {
    const typed = placeFields(form, area);
    out[area] = typed.map((raw) => {
      const text = raw.trim().replace(/번$/, '');
      if (text === '') return null;
      if (!ID_PATTERN.test(text))
        throw invalidInput(`기사 번호는 숫자로 적습니다: "${raw.slice(0, 20)}"`);
      return Number(text);
    });
  }
  return out;
}

/** 첫 화면 편집: which published pieces lead the front page, in which order. */
export const frontScreen: AdminScreen = {
  name: 'front',
  prefix: '/front',
  permission: 'front.arrange',
  nav: { label: '첫 화면', order: 40 },
  flash: {
    arranged: '첫 화면 편집을 저장했습니다.',
    restored: '예전 편집으로 되돌렸습니다.',
    breakingEnded: '속보를 해제했습니다.',
  },
  routes(screen, kit, { front, content, clock, previewFront }) {
    /** The areas the desk arranges now: the two leads and each list section's box. */
    async function areaList(): Promise<{ key: string; label: string; places: number }[]> {
      const navigation = await content.navigation();
      return [
        { key: 'headline', label: '머리기사', places: FRONT_AREAS.headline },
        { key: 'top', label: '주요 기사', places: FRONT_AREAS.top },
        ...navigation
          .filter((s) => s.layout === 'list')
          .map((s) => ({
            key: `section:${s.id}`,
            label: `${s.name} 상자`,
            places: SECTION_BOX_PLACES,
          })),
      ];
    }

    async function page(
      request: FastifyRequest,
      reply: FastifyReply,
      failure?: {
        message: string;
        status: number;
        typed: Record<string, string[]>;
      },
    ) {
      const [areas, pins, shown, breaking, history, candidates, version] = await Promise.all([
        areaList(),
        front.arrangement(),
        content.frontPage(),
        front.breakingNow(),
        front.history(),
        front.search(''),
        front.currentVersion(),
      ]);
      const historyIds = history.flatMap((v) => pinnedIds(v.arrangement));
      const titles = new Map<number, string>();
      for (const c of candidates) titles.set(c.id, c.title);
      const wanted = [...pinnedIds(pins), ...historyIds].filter((id) => !titles.has(id));
      for (const t of await content.titles([...new Set(wanted)])) titles.set(t.id, t.title);
      const filledBy = (key: string): ({ id: number; title: string } | null)[] => {
        if (key === 'headline') return [shown.headline];
        if (key === 'top') return shown.topStories;
        return shown.sectionBoxes.find((b) => `section:${b.section.id}` === key)?.articles ?? [];
      };
      const areaViews: FrontAreaView[] = areas.map((a) => {
        const filled = filledBy(a.key);
        return {
          area: a.key,
          label: a.label,
          places: Array.from({ length: a.places }, (_, i) => {
            const pinned = pins[a.key]?.[i] ?? null;
            const auto = filled[i] ?? null;
            return {
              typed: failure?.typed[a.key]?.[i] ?? (pinned === null ? '' : String(pinned)),
              pinned:
                pinned === null
                  ? null
                  : { id: pinned, title: titles.get(pinned) ?? '(출고되지 않은 기사)' },
              showing: auto === null ? null : { id: auto.id, title: auto.title },
            };
          }),
        };
      });
      const labels = new Map(areas.map((a) => [a.key, a.label]));
      return kit.html(
        reply.header('content-security-policy', framingSelf(reply)),
        renderFrontDesk(kit.chrome(request), {
          areas: areaViews,
          // After a refused save the form carries the colleague's version: saving again is
          // a deliberate overwrite, made knowing theirs (it stays in the history).
          version,
          candidates,
          breaking,
          now: clock.now(),
          history: history.map((v, i) => ({
            id: v.id,
            at: v.at,
            userName: v.userName,
            restoredFrom: v.restoredFrom,
            current: i === 0,
            pinned: Object.entries(v.arrangement).flatMap(([area, places]) =>
              places.flatMap((id, place) =>
                id === null
                  ? []
                  : [
                      {
                        area: labels.get(area) ?? '없어진 섹션 상자',
                        place: place + 1,
                        id,
                        title: titles.get(id) ?? '',
                      },
                    ],
              ),
            ),
          })),
          ...(failure !== undefined ? { error: failure.message } : {}),
        }),
        failure?.status ?? 200,
      );
    }

    screen.get('', (request, reply) => page(request, reply));

    screen.post('', async (request, reply) => {
      const form = asForm(request.body);
      const areas = (await areaList()).map((a) => a.key);
      return kit.form(
        reply,
        async () => {
          // The screen's form says which version it started from; a post without it (a
          // script of the paper's own) saves without the check.
          const version = field(form, 'version').trim();
          await front.arrange(
            kit.actor(request),
            postedArrangement(form, areas),
            form.version === undefined
              ? {}
              : { basedOn: ID_PATTERN.test(version) ? Number(version) : null },
          );
          return '/admin/front?ok=arranged';
        },
        (failure) =>
          page(request, reply, {
            message: failure.message,
            status: failure.status,
            typed: Object.fromEntries(areas.map((a) => [a, placeFields(form, a)])),
          }),
      );
    });

    /** The search inside the screen: published articles by title or number, as JSON. */
    screen.get('/search', async (request, reply) => {
      const q = (request.query as Record<string, unknown>).q;
      const text = typeof q === 'string' ? q : '';
      return reply.header('cache-control', 'no-store').send({ articles: await front.search(text) });
    });

    /**
     * The real front page with an unsaved arrangement, shown in the screen's frames (a GET
     * shows the saved one). Only for the desk, never stored anywhere, never indexed.
     */
    const preview = async (
      request: FastifyRequest,
      reply: FastifyReply,
      pins?: FrontArrangement,
    ) => {
      if (previewFront === undefined) return reply.code(404).send('미리보기를 쓸 수 없습니다.');
      const html = await previewFront(request, pins ?? (await front.arrangement()));
      return reply
        .header('cache-control', 'no-store')
        .header('x-robots-tag', 'noindex, nofollow')
        .header('x-frame-options', 'SAMEORIGIN')
        .header(
          'content-security-policy',
          String(reply.getHeader('content-security-policy') ?? '').replace(
            "frame-ancestors 'none'",
            "frame-ancestors 'self'",
          ),
        )
        .type('text/html; charset=utf-8')
        .send(html);
    };
    screen.get('/preview', (request, reply) => preview(request, reply));
    screen.post('/preview', async (request, reply) => {
      const form = asForm(request.body);
      const areas = (await areaList()).map((a) => a.key);
      let pins: FrontArrangement;
      try {
        pins = checkArrangement(postedArrangement(form, areas));
      } catch (error) {
        const message = error instanceof Error ? error.message : '편집 내용을 읽을 수 없습니다.';
        return reply
          .code(400)
          .header('x-frame-options', 'SAMEORIGIN')
          .header(
            'content-security-policy',
            "default-src 'none'; style-src 'self'; frame-ancestors 'self'",
          )
          .type('text/html; charset=utf-8')
          .send(renderPreviewRefusal(message));
      }
      return preview(request, reply, pins);
    });

    screen.post('/restore/:id', async (request, reply) => {
      const id = kit.id(request);
      return kit.form(
        reply,
        async () => {
          await front.restore(kit.actor(request), id);
          return '/admin/front?ok=restored';
        },
        (failure) => page(request, reply, { ...failure, typed: {} }),
      );
    });

    /** 속보 해제, from this screen or from the article editor (back=editor). */
    screen.post('/breaking/:id/end', async (request, reply) => {
      const id = kit.id(request);
      await front.endBreaking(kit.actor(request), id);
      const back = field(asForm(request.body), 'back');
      return kit.back(
        reply,
        back === 'editor'
          ? `/admin/articles/${id}?ok=breakingEnded`
          : '/admin/front?ok=breakingEnded',
      );
    });
  },
};

/** The admin's policy with this screen's own frames allowed (the preview). */
function framingSelf(reply: FastifyReply): string {
  return String(reply.getHeader('content-security-policy') ?? '').replace(
    'frame-src ',
    "frame-src 'self' ",
  );
}
