import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  compareBodyHtml,
  compareText,
  STATUS_LABELS,
  type Actor,
  type EditableArticle,
} from '../../../domains/newsroom/index.ts';
import { AppError } from '../../../shared/errors.ts';
import { toKstDateTimeLocal } from '../../../shared/kst.ts';
import type { FieldErrors } from '../../../views/admin/model.ts';
import type { AdminDeps } from '../deps.ts';
import {
  asForm,
  checked,
  field,
  fields,
  optionalId,
  optionalKstTime,
  requiredId,
  requiredIds,
  tagList,
  type FormBody,
} from '../forms.ts';
import { formFailure, type AdminKit, type FormFailure } from '../kit.ts';
import type { AdminScreen } from '../screen.ts';
import { articleRow } from './article-rows.ts';
import {
  renderArticleList,
  renderEditor,
  renderHistory,
  renderRevision,
  type EditorView,
} from './articles.view.tsx';

/** The editor's save: a 2,000,000-character body is up to 6 MB in UTF-8, more when encoded. */
const EDITOR_BODY_LIMIT = 24 * 1024 * 1024;
const LIST_PAGE = 30;

const LIST_FILTERS = [
  { value: '', label: '전체' },
  { value: 'draft', label: '작성 중' },
  { value: 'submitted', label: '데스크 대기' },
  { value: 'scheduled', label: '예약 송고' },
  { value: 'published', label: '출고' },
  { value: 'unpublished', label: '출고 취소' },
  { value: 'trashed', label: '휴지통' },
] as const;

const EVENT_LABELS: Record<string, string> = {
  created: '작성',
  submitted: '데스크로 보냄',
  sent_back: '반려',
  published: '출고',
  scheduled: '예약 송고',
  unpublished: '출고 취소',
  trashed: '휴지통',
  restored: '복원',
  edited: '수정',
  imported: '가져오기',
  notice: '정정·반론',
  byline: '바이라인 변경',
};

const NO_ACTIONS: EditorView['actions'] = {
  edit: true,
  submit: false,
  sendBack: false,
  publish: false,
  unpublish: false,
  trash: false,
  restore: false,
  addNotice: false,
};

type Values = EditorView['values'];

/** The editor's fields from a posted form, typed for the desk. */
function editorInput(form: FormBody) {
  return {
    sectionId: requiredId(form, 'sectionId', '섹션을 고르세요.'),
    title: field(form, 'title'),
    subtitle: field(form, 'subtitle'),
    bodyHtml: field(form, 'bodyHtml'),
    tags: tagList(field(form, 'tags')),
    authorIds: requiredIds(form, 'authorIds', '바이라인은 목록에서 고르세요.'),
    featuredPhotoId: optionalId(form, 'featuredPhotoId', '대표 사진 번호'),
    isPhotoStory: checked(form, 'isPhotoStory'),
    isBreaking: checked(form, 'isBreaking'),
    breakingUntil: optionalKstTime(form, 'breakingUntil'),
    seoTitle: field(form, 'seoTitle'),
    seoDescription: field(form, 'seoDescription'),
    embargoUntil: optionalKstTime(form, 'embargoUntil'),
  };
}

/** What was typed, to show again beside the errors. */
function typedValues(form: FormBody): Values {
  return {
    title: field(form, 'title'),
    subtitle: field(form, 'subtitle'),
    bodyHtml: field(form, 'bodyHtml'),
    sectionId: field(form, 'sectionId'),
    tags: field(form, 'tags'),
    authorIds: fields(form, 'authorIds'),
    featuredPhotoId: field(form, 'featuredPhotoId'),
    isPhotoStory: checked(form, 'isPhotoStory'),
    isBreaking: checked(form, 'isBreaking'),
    breakingUntil: field(form, 'breakingUntil'),
    seoTitle: field(form, 'seoTitle'),
    seoDescription: field(form, 'seoDescription'),
    embargoUntil: field(form, 'embargoUntil'),
  };
}

function storedValues(a: EditableArticle): Values {
  return {
    title: a.title,
    subtitle: a.subtitle,
    bodyHtml: a.bodyHtml,
    sectionId: String(a.sectionId),
    tags: a.tags.join(', '),
    authorIds: a.authorIds.map(String),
    featuredPhotoId: a.featuredPhotoId === null ? '' : String(a.featuredPhotoId),
    isPhotoStory: a.isPhotoStory,
    isBreaking: a.isBreaking,
    breakingUntil: a.breakingUntil === null ? '' : toKstDateTimeLocal(a.breakingUntil),
    seoTitle: a.seoTitle,
    seoDescription: a.seoDescription,
    embargoUntil: a.embargoUntil === null ? '' : toKstDateTimeLocal(a.embargoUntil),
  };
}

/** Field errors for the editor; a refusal without fields shows at the top of the form. */
const editorErrors = (failure: FormFailure): FieldErrors =>
  Object.keys(failure.fields).length > 0 ? failure.fields : { form: failure.message };

function editorPages(kit: AdminKit, deps: AdminDeps) {
  const { desk, content, photos, clock } = deps;

  async function options() {
    const [sections, authors] = await Promise.all([
      content.allSectionsForDesk(),
      content.authors(),
    ]);
    return {
      sections: sections.map((s) => ({
        value: String(s.id),
        label: s.parentName ? `${s.parentName} › ${s.name}` : s.name,
      })),
      authors: authors.map((a) => ({ value: String(a.id), label: `${a.name} <${a.email}>` })),
    };
  }

  async function newArticle(
    request: FastifyRequest,
    reply: FastifyReply,
    values: Values,
    errors: FieldErrors,
    status = 200,
  ) {
    const view: EditorView = {
      mode: 'new',
      id: null,
      status: null,
      statusLabel: null,
      values,
      errors,
      ...(await options()),
      featuredPhoto: null,
      actions: NO_ACTIONS,
      publishedAt: null,
      publishAtValue: '',
      publicUrl: null,
      editingBy: null,
      lastComment: null,
      notices: [],
    };
    return kit.html(reply, renderEditor(kit.chrome(request), view), status);
  }

  async function existing(
    request: FastifyRequest,
    reply: FastifyReply,
    article: EditableArticle,
    values: Values,
    errors: FieldErrors,
    status = 200,
  ) {
    const actor = kit.actor(request);
    const now = clock.now();
    const [choices, events, notices, lock, photo] = await Promise.all([
      options(),
      desk.events(actor, article.id),
      desk.notices(article.id),
      // Reading only: the mark is taken by the editor's first heartbeat (a POST), so
      // opening the page (or a prefetch of it) changes nothing.
      desk.editingBy(actor, article.id),
      article.featuredPhotoId === null ? null : photos.get(article.featuredPhotoId),
    ]);
    const scheduled =
      article.status === 'published' && article.publishedAt !== null && article.publishedAt > now;
    const statusKey = scheduled ? 'scheduled' : article.status;
    const sentBack =
      article.status === 'draft'
        ? events.find((e) => e.kind === 'sent_back' || e.kind === 'submitted')
        : undefined;
    const view: EditorView = {
      mode: 'edit',
      id: article.id,
      status: statusKey,
      statusLabel: STATUS_LABELS[statusKey],
      values,
      errors,
      ...choices,
      featuredPhoto: photo === null ? null : { src: photo.src, caption: photo.caption },
      actions: desk.allowedActions(actor, article),
      publishedAt: article.publishedAt,
      publishAtValue:
        scheduled && article.publishedAt !== null ? toKstDateTimeLocal(article.publishedAt) : '',
      publicUrl: article.status === 'published' && !scheduled ? `/news/${article.id}` : null,
      editingBy: lock?.name ?? null,
      lastComment:
        sentBack?.kind === 'sent_back'
          ? { text: sentBack.comment, by: sentBack.userName, at: sentBack.at }
          : null,
      notices,
      breaking:
        article.breakingUntil === null
          ? null
          : { until: article.breakingUntil, canEnd: kit.allowed(request, 'front.arrange') },
    };
    return kit.html(reply, renderEditor(kit.chrome(request), view), status);
  }

  return { newArticle, existing };
}

/** 기사: the list, the editor, the desk's workflow buttons and each article's history. */
export const articlesScreen: AdminScreen = {
  name: 'articles',
  prefix: '/articles',
  permission: null,
  nav: { label: '기사', order: 20 },
  flash: {
    saved: '저장했습니다.',
    created: '기사를 만들었습니다.',
    submitted: '데스크로 보냈습니다.',
    'sent-back': '반려했습니다.',
    published: '출고했습니다.',
    scheduled: '예약 송고를 걸었습니다.',
    unpublished: '출고를 취소했습니다.',
    trashed: '휴지통으로 옮겼습니다.',
    restored: '복원했습니다.',
    notice: '정정·반론보도를 붙였습니다.',
    'revision-restored': '이전 판으로 되돌렸습니다. 새 판으로 기록했습니다.',
  },
  routes(screen, kit, deps) {
    const { desk, clock } = deps;
    const pages = editorPages(kit, deps);

    screen.get('', async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      const status = LIST_FILTERS.find((f) => f.value !== '' && f.value === query.status)?.value;
      const filter = status === '' ? undefined : status;
      const after = /^(\d{1,15})-(\d{1,10})$/.exec(query.after ?? '');
      const q = (query.q ?? '').slice(0, 100);
      const rows = await desk.list(kit.actor(request), {
        status: filter,
        query: q,
        after: after ? { updatedAt: Number(after[1]), id: Number(after[2]) } : undefined,
        limit: LIST_PAGE,
      });
      const last = rows.at(-1);
      const params = new URLSearchParams();
      if (status) params.set('status', status);
      if (q) params.set('q', q);
      if (last) params.set('after', `${last.updatedAt}-${last.id}`);
      const now = clock.now();
      return kit.html(
        reply,
        renderArticleList(kit.chrome(request), {
          heading: status
            ? `기사 · ${LIST_FILTERS.find((f) => f.value === status)?.label ?? ''}`
            : '기사',
          filters: LIST_FILTERS.map((f) => ({ ...f, current: (status ?? '') === f.value })),
          query: q,
          rows: rows.map((r) => articleRow(r, now)),
          nextHref: rows.length === LIST_PAGE ? `/admin/articles?${params.toString()}` : null,
          canCreate: kit.allowed(request, 'article.create'),
        }),
      );
    });

    screen.get('/new', async (request, reply) => {
      const staff = kit.require(request, 'article.create');
      const authorId = staff.user.authorId;
      return pages.newArticle(
        request,
        reply,
        {
          ...typedValues({}),
          authorIds: authorId === null ? [] : [String(authorId)],
        },
        {},
      );
    });

    screen.post('', { bodyLimit: EDITOR_BODY_LIMIT }, async (request, reply) => {
      kit.require(request, 'article.create');
      const form = asForm(request.body);
      return kit.form(
        reply,
        async () => {
          const id = await desk.create(kit.actor(request), editorInput(form));
          return `/admin/articles/${id}?ok=created`;
        },
        (failure) =>
          pages.newArticle(request, reply, typedValues(form), editorErrors(failure), 400),
      );
    });

    screen.get('/:id', async (request, reply) => {
      const article = await desk.get(kit.actor(request), kit.id(request));
      return pages.existing(request, reply, article, storedValues(article), {});
    });

    screen.post('/:id', { bodyLimit: EDITOR_BODY_LIMIT }, async (request, reply) => {
      const id = kit.id(request);
      const form = asForm(request.body);
      return kit.form(
        reply,
        async () => {
          await desk.save(kit.actor(request), id, editorInput(form));
          return `/admin/articles/${id}?ok=saved`;
        },
        async (failure) => {
          const article = await desk.get(kit.actor(request), id);
          return pages.existing(
            request,
            reply,
            article,
            typedValues(form),
            editorErrors(failure),
            400,
          );
        },
      );
    });

    screen.post('/:id/autosave', { bodyLimit: EDITOR_BODY_LIMIT }, async (request, reply) => {
      const id = kit.id(request);
      try {
        const saved = await desk.save(kit.actor(request), id, editorInput(asForm(request.body)), {
          autosave: true,
        });
        return reply.send({ ok: true, savedAt: toKstDateTimeLocal(saved.updatedAt).slice(11) });
      } catch (error) {
        const failure = formFailure(error);
        if (failure === null) throw error;
        return reply
          .code(failure.status)
          .send({ ok: false, error: failure.message, fields: editorErrors(failure) });
      }
    });

    screen.post('/:id/heartbeat', async (request, reply) => {
      const other = await desk.heartbeat(kit.actor(request), kit.id(request));
      return reply.send({ editingBy: other?.name ?? null });
    });

    /** A workflow button: the desk decides whether it is allowed; the page says what happened. */
    const workflow = (
      path: string,
      run: (actor: Actor, id: number, form: FormBody) => Promise<string>,
    ) =>
      screen.post(`/:id/${path}`, async (request, reply) => {
        const id = kit.id(request);
        const flash = await run(kit.actor(request), id, asForm(request.body));
        return kit.back(reply, `/admin/articles/${id}?ok=${flash}`);
      });

    workflow('submit', async (actor, id) => {
      await desk.submit(actor, id);
      return 'submitted';
    });
    workflow('send-back', async (actor, id, form) => {
      await desk.sendBack(actor, id, field(form, 'comment'));
      return 'sent-back';
    });
    workflow('publish', async (actor, id, form) => {
      const at = optionalKstTime(form, 'publishAt');
      await desk.publish(actor, id, at);
      return at === null ? 'published' : 'scheduled';
    });
    workflow('unpublish', async (actor, id) => {
      await desk.unpublish(actor, id);
      return 'unpublished';
    });
    workflow('trash', async (actor, id) => {
      await desk.trash(actor, id);
      return 'trashed';
    });
    workflow('restore', async (actor, id) => {
      await desk.restore(actor, id);
      return 'restored';
    });
    workflow('notices', async (actor, id, form) => {
      const kind = field(form, 'kind') === 'reply' ? 'reply' : 'correction';
      await desk.addNotice(actor, id, kind, field(form, 'body'));
      return 'notice';
    });

    screen.get('/:id/history', async (request, reply) => {
      const actor = kit.actor(request);
      const id = kit.id(request);
      const article = await desk.get(actor, id);
      const [events, revisions] = await Promise.all([
        desk.events(actor, id),
        desk.revisions(actor, id),
      ]);
      return kit.html(
        reply,
        renderHistory(kit.chrome(request), {
          id,
          title: article.title,
          events: events.map((e) => ({ ...e, label: EVENT_LABELS[e.kind] ?? e.kind })),
          revisions,
          canRestore: desk.allowedActions(actor, article).edit,
        }),
      );
    });

    screen.get('/:id/revisions/:rev', async (request, reply) => {
      const actor = kit.actor(request);
      const id = kit.id(request);
      const revId = kit.id(request, 'rev');
      const article = await desk.get(actor, id);
      const list = await desk.revisions(actor, id);
      const index = list.findIndex((r) => r.id === revId);
      if (index === -1) throw new AppError('NOT_FOUND', '그 판을 찾을 수 없습니다.');
      const rev = await desk.revision(actor, id, revId);
      const previousSummary = list[index + 1];
      const previous =
        previousSummary === undefined ? null : await desk.revision(actor, id, previousSummary.id);
      return kit.html(
        reply,
        renderRevision(kit.chrome(request), {
          articleId: id,
          revisionId: revId,
          label: index === 0 ? '현재 판' : `${list.length - index}판`,
          createdAt: rev.createdAt,
          userName: rev.userName,
          comparedWith: previous === null ? '빈 기사' : '바로 앞 판',
          diffs: [
            compareText('제목', previous?.title ?? '', rev.title),
            compareText('부제', previous?.subtitle ?? '', rev.subtitle),
            compareBodyHtml('본문', previous?.bodyHtml ?? '', rev.bodyHtml),
          ],
          canRestore: index !== 0 && desk.allowedActions(actor, article).edit,
        }),
      );
    });

    screen.post('/:id/revisions/:rev/restore', async (request, reply) => {
      const id = kit.id(request);
      await desk.restoreRevision(kit.actor(request), id, kit.id(request, 'rev'));
      return kit.back(reply, `/admin/articles/${id}?ok=revision-restored`);
    });
  },
};
