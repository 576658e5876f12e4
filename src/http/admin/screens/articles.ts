import type { FastifyReply, FastifyRequest } from 'fastify';
import { bodyPhotos, withPhotoText } from '../../../domains/content/index.ts';
import {
  compareBodyHtml,
  compareText,
  STATUS_LABELS,
  type Actor,
  type EditableArticle,
  type PreviewPurpose,
} from '../../../domains/newsroom/index.ts';
import { AppError, invalidInput } from '../../../shared/errors.ts';
import { josa } from '../../../shared/josa.ts';
import { toKstDateTimeLocal } from '../../../shared/kst.ts';
import { isNoticeKind, type NoticeKind } from '../../../shared/notice-kinds.ts';
import {
  ARTICLE_ORIGINS,
  DEFAULT_ORIGIN,
  isArticleOrigin,
  ORIGIN_KEYS,
} from '../../../shared/article-origins.ts';
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
import { editablePhotos } from './photo-rights.ts';
import {
  renderArticleList,
  renderEditor,
  renderHistory,
  renderNoticeConfirm,
  renderPreview,
  renderRevision,
  type BylineOption,
  type EditorView,
  type PhotoChoice,
} from './articles.view.tsx';

/** The editor's save: a 2,000,000-character body is up to 6 MB in UTF-8, more when encoded. */
const EDITOR_BODY_LIMIT = 24 * 1024 * 1024;
const LIST_PAGE = 30;
/** Body photos offered as the featured photo; a photo story rarely has more. */
const MAX_PHOTO_CHOICES = 60;
/** Body photos whose text is read from and written to the library per save. */
const MAX_TEXT_SYNC = 100;

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
    // Left out (an older form or client), the article keeps its origin.
    ...(form.origin === undefined ? {} : { origin: field(form, 'origin') }),
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
    origin: field(form, 'origin') || DEFAULT_ORIGIN,
    tags: field(form, 'tags'),
    authorIds: fields(form, 'authorIds'),
    bylineAdd: field(form, 'bylineAdd'),
    newAuthorName: field(form, 'newAuthorName'),
    newAuthorTitle: field(form, 'newAuthorTitle'),
    featuredPhotoId: field(form, 'featuredPhotoId'),
    isPhotoStory: checked(form, 'isPhotoStory'),
    isBreaking: checked(form, 'isBreaking'),
    breakingUntil: field(form, 'breakingUntil'),
    seoTitle: field(form, 'seoTitle'),
    seoDescription: field(form, 'seoDescription'),
    embargoUntil: field(form, 'embargoUntil'),
  };
}

/**
 * The stored article as the editor shows it. The featured photo reads as "automatic" while
 * it is the first body photo, so it keeps following the body until someone picks another.
 */
function storedValues(a: EditableArticle, bodyHtml = a.bodyHtml): Values {
  const first = bodyPhotos(a.bodyHtml)[0]?.id ?? null;
  return {
    title: a.title,
    subtitle: a.subtitle,
    bodyHtml,
    sectionId: String(a.sectionId),
    origin: a.origin,
    tags: a.tags.join(', '),
    authorIds: a.authorIds.map(String),
    featuredPhotoId:
      a.featuredPhotoId === null || a.featuredPhotoId === first ? '' : String(a.featuredPhotoId),
    bylineAdd: '',
    newAuthorName: '',
    newAuthorTitle: '',
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

/** An author as the byline picker offers it; `label` is unique, for the search list. */
function bylineOptions(
  authors: readonly { id: number; name: string; email: string | null; title: string }[],
): BylineOption[] {
  const seen = new Set<string>();
  return authors.map((a) => {
    const detail = a.email ?? (a.title || '외부 필자');
    let label = `${a.name} (${detail})`;
    // Two outside writers of the same name and title: the number tells them apart.
    if (seen.has(label)) label = `${a.name} (${detail}, ${a.id}번)`;
    seen.add(label);
    return { value: String(a.id), label, name: a.name, detail: a.title || detail };
  });
}

/** The author picked in the search box: by its list label, or by a name only one has. */
function findByline(options: readonly BylineOption[], wanted: string): number | string {
  const text = wanted.replace(/\s+/g, ' ').trim();
  const exact = options.find((o) => o.label === text);
  if (exact !== undefined) return Number(exact.value);
  const named = options.filter((o) => o.name === text);
  if (named.length === 1 && named[0] !== undefined) return Number(named[0].value);
  if (named.length > 1)
    return `${josa(text, '이라는', '라는')} 필자가 여럿입니다. 목록에서 이메일이나 직함으로 골라 주세요.`;
  return `${josa(text, '은', '는')} 필자 목록에 없습니다. 목록에서 고르거나 '새 필자 추가'에 이름을 적으세요.`;
}

function editorPages(kit: AdminKit, deps: AdminDeps) {
  const { desk, content, photos, clock } = deps;

  /** The article's photos to choose the featured one from: the body's, then the chosen one. */
  async function photoChoices(bodyHtml: string, featured: string): Promise<PhotoChoice[]> {
    const ids = bodyPhotos(bodyHtml)
      .map((p) => p.id)
      .slice(0, MAX_PHOTO_CHOICES);
    const chosen = Number(featured);
    if (Number.isSafeInteger(chosen) && chosen > 0 && !ids.includes(chosen)) ids.push(chosen);
    const found = await Promise.all(ids.map((id) => photos.get(id)));
    return found.flatMap((p) =>
      p === null
        ? []
        : [
            {
              id: String(p.id),
              src: p.src,
              caption: p.caption,
              credit: p.credit,
              focus: `${Math.round(p.focalX * 100)},${Math.round(p.focalY * 100)}`,
            },
          ],
    );
  }

  /** Body photos whose library caption this staff member may not change, for the editor. */
  async function lockedPhotoIds(request: FastifyRequest, bodyHtml: string): Promise<string> {
    const placed = bodyPhotos(bodyHtml).slice(0, MAX_TEXT_SYNC);
    const found = (await Promise.all(placed.map((p) => photos.get(p.id)))).flatMap((p) =>
      p === null ? [] : [p],
    );
    const editable = await editablePhotos(request, kit, deps, found);
    return found
      .filter((p) => !editable.has(p.id))
      .map((p) => p.id)
      .join(',');
  }

  /**
   * The body as saved, with each library photo's caption and credit from the library: one
   * photo has one caption, whether it was last edited here or in 사진함.
   */
  async function editorValues(article: EditableArticle): Promise<Values> {
    const placed = bodyPhotos(article.bodyHtml).slice(0, MAX_TEXT_SYNC);
    const found = await Promise.all(placed.map((p) => photos.get(p.id)));
    const texts = new Map(
      found.flatMap((p) => (p === null ? [] : [[p.id, { caption: p.caption, credit: p.credit }]])),
    );
    return storedValues(article, withPhotoText(article.bodyHtml, texts));
  }

  /**
   * Writes the captions and credits typed under body photos to the library, for the photos
   * this staff member may describe there. The others keep the text in this article's body
   * only: a reporter must not rewrite the caption of a photo already out in someone else's
   * published article, and the desk's wording stays the library's.
   */
  async function saveBodyPhotoText(request: FastifyRequest, bodyHtml: string): Promise<void> {
    const placed = bodyPhotos(bodyHtml).slice(0, MAX_TEXT_SYNC);
    const found = (await Promise.all(placed.map((p) => photos.get(p.id)))).flatMap((p) =>
      p === null ? [] : [p],
    );
    const changed = found.filter((p) => {
      const typed = placed.find((t) => t.id === p.id);
      return typed !== undefined && (typed.caption !== p.caption || typed.credit !== p.credit);
    });
    if (changed.length === 0) return;
    const editable = await editablePhotos(request, kit, deps, changed);
    for (const photo of changed) {
      const typed = placed.find((t) => t.id === photo.id);
      if (typed === undefined || !editable.has(photo.id)) continue;
      await photos.updateText(photo.id, {
        caption: typed.caption,
        credit: typed.credit,
        alt: photo.alt,
      });
    }
  }

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
      authors: bylineOptions(authors),
    };
  }

  /**
   * The byline as saved: the chips still ticked, in their order, then the person picked in
   * the search box, then a new outside writer typed by name. Only a full save adds people;
   * autosave keeps the chips.
   */
  async function bylineIds(request: FastifyRequest, form: FormBody): Promise<number[]> {
    const ids = requiredIds(form, 'authorIds', '바이라인은 목록에서 고르세요.');
    const wanted = field(form, 'bylineAdd').trim();
    if (wanted !== '') {
      const found = findByline(bylineOptions(await content.authors()), wanted);
      if (typeof found === 'string') throw invalidInput(found, { fields: { authorIds: found } });
      ids.push(found);
    }
    const name = field(form, 'newAuthorName');
    if (name.trim() !== '')
      ids.push(
        await desk.addOutsideAuthor(kit.actor(request), {
          name,
          title: field(form, 'newAuthorTitle'),
        }),
      );
    return ids;
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
      photoChoices: await photoChoices(values.bodyHtml, values.featuredPhotoId),
      lockedPhotoIds: await lockedPhotoIds(request, values.bodyHtml),
      canAddAuthor: kit.allowed(request, 'byline.others'),
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
    const [choices, events, notices, lock, photoList, locked] = await Promise.all([
      options(),
      desk.events(actor, article.id),
      desk.notices(article.id),
      // Reading only: the mark is taken by the editor's first heartbeat (a POST), so
      // opening the page (or a prefetch of it) changes nothing.
      desk.editingBy(actor, article.id),
      photoChoices(
        values.bodyHtml,
        values.featuredPhotoId === '' && article.featuredPhotoId !== null
          ? String(article.featuredPhotoId)
          : values.featuredPhotoId,
      ),
      lockedPhotoIds(request, values.bodyHtml),
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
      photoChoices: photoList,
      lockedPhotoIds: locked,
      canAddAuthor: kit.allowed(request, 'byline.others'),
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

  /**
   * The focal point set on the featured photo in the editor (percent across and down),
   * stored on the photo for every card that crops it. Skipped when the photo is not this
   * staff member's to describe, as for its caption.
   */
  async function saveFeaturedFocus(request: FastifyRequest, form: FormBody): Promise<void> {
    const id = Number(field(form, 'featuredFocusPhotoId'));
    const percent = (name: string) => {
      const text = field(form, name);
      const n = Number(text);
      return text === '' || !Number.isFinite(n) ? null : n;
    };
    const x = percent('featuredFocusX');
    const y = percent('featuredFocusY');
    if (!Number.isSafeInteger(id) || id <= 0 || x === null || y === null) return;
    // Hidden fields the editor fills from a click; anything else is not a point to keep.
    if (x < 0 || x > 100 || y < 0 || y > 100) return;
    const photo = await photos.get(id);
    if (photo === null) return;
    if (
      Math.round(photo.focalX * 100) === Math.round(x) &&
      Math.round(photo.focalY * 100) === Math.round(y)
    )
      return;
    if (!(await editablePhotos(request, kit, deps, [photo])).has(id)) return;
    await photos.setFocus(id, { x: x / 100, y: y / 100 });
  }

  return {
    newArticle,
    existing,
    editorValues,
    saveBodyPhotoText,
    saveFeaturedFocus,
    bylineIds,
  };
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
    notice: '정정·반론보도를 게시했습니다.',
    'notice-edited': '고친 문구를 게시했습니다. 이전 문구는 기록에 남았습니다.',
    'preview-revoked': '미리보기 링크를 취소했습니다. 그 링크로는 더 열리지 않습니다.',
    'notice-withdrawn': '기사에서 거뒀습니다. 기록에는 남습니다.',
    'revision-restored': '이전 판으로 되돌렸습니다. 새 판으로 기록했습니다.',
  },
  routes(screen, kit, deps) {
    const { desk, clock } = deps;
    const pages = editorPages(kit, deps);

    screen.get('', async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      const status = LIST_FILTERS.find((f) => f.value !== '' && f.value === query.status)?.value;
      const filter = status === '' ? undefined : status;
      const origin = isArticleOrigin(query.origin) ? query.origin : undefined;
      const after = /^(\d{1,15})-(\d{1,10})$/.exec(query.after ?? '');
      const q = (query.q ?? '').slice(0, 100);
      const rows = await desk.list(kit.actor(request), {
        status: filter,
        origin,
        query: q,
        after: after ? { updatedAt: Number(after[1]), id: Number(after[2]) } : undefined,
        limit: LIST_PAGE,
      });
      const last = rows.at(-1);
      const params = new URLSearchParams();
      if (status) params.set('status', status);
      if (origin) params.set('origin', origin);
      if (q) params.set('q', q);
      if (last) params.set('after', `${last.updatedAt}-${last.id}`);
      const now = clock.now();
      return kit.html(
        reply,
        renderArticleList(kit.chrome(request), {
          heading: [
            '기사',
            ...(status ? [LIST_FILTERS.find((f) => f.value === status)?.label ?? ''] : []),
            ...(origin ? [ARTICLE_ORIGINS[origin]] : []),
          ].join(' · '),
          filters: LIST_FILTERS.map((f) => ({ ...f, current: (status ?? '') === f.value })),
          status: status ?? '',
          origins: ORIGIN_KEYS.map((key) => ({ value: key, label: ARTICLE_ORIGINS[key] })),
          origin: origin ?? '',
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
          const actor = kit.actor(request);
          const id = await desk.create(actor, {
            ...editorInput(form),
            authorIds: await pages.bylineIds(request, form),
          });
          await pages.saveBodyPhotoText(request, (await desk.get(actor, id)).bodyHtml);
          await pages.saveFeaturedFocus(request, form);
          return `/admin/articles/${id}?ok=created`;
        },
        (failure) =>
          pages.newArticle(request, reply, typedValues(form), editorErrors(failure), 400),
      );
    });

    screen.get('/:id', async (request, reply) => {
      const article = await desk.get(kit.actor(request), kit.id(request));
      return pages.existing(request, reply, article, await pages.editorValues(article), {});
    });

    screen.post('/:id', { bodyLimit: EDITOR_BODY_LIMIT }, async (request, reply) => {
      const id = kit.id(request);
      const form = asForm(request.body);
      return kit.form(
        reply,
        async () => {
          const saved = await desk.save(kit.actor(request), id, {
            ...editorInput(form),
            authorIds: await pages.bylineIds(request, form),
          });
          await pages.saveBodyPhotoText(request, saved.bodyHtml);
          await pages.saveFeaturedFocus(request, form);
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
        await pages.saveBodyPhotoText(request, saved.bodyHtml);
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
      run: (actor: Actor, id: number, form: FormBody, request: FastifyRequest) => Promise<string>,
    ) =>
      screen.post(`/:id/${path}`, async (request, reply) => {
        const id = kit.id(request);
        const flash = await run(kit.actor(request), id, asForm(request.body), request);
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
    /**
     * 정정·반론·추후보도 go live only from the confirmation page: the first post shows the
     * notice as readers will see it, the second (step=publish) posts it.
     */
    async function noticeStep(
      request: FastifyRequest,
      reply: FastifyReply,
      noticeId: number | null,
    ) {
      const id = kit.id(request);
      const form = asForm(request.body);
      const actor = kit.actor(request);
      const article = await desk.get(actor, id);
      const existing =
        noticeId === null ? undefined : (await desk.notices(id)).find((n) => n.id === noticeId);
      if (noticeId !== null && existing === undefined)
        throw new AppError('NOT_FOUND', '그 정정·반론보도를 찾을 수 없습니다.');
      const chosen = field(form, 'kind');
      const kind: NoticeKind = existing?.kind ?? (isNoticeKind(chosen) ? chosen : 'correction');
      const body = field(form, 'body');
      const confirm = (error?: string, status = 200) =>
        kit.html(
          reply,
          renderNoticeConfirm(kit.chrome(request), {
            articleId: id,
            articleTitle: article.title,
            noticeId,
            kind,
            body,
            at: existing?.createdAt ?? clock.now(),
            error,
          }),
          status,
        );
      if (field(form, 'step') !== 'publish') {
        // Refuse at the preview what the desk would refuse at posting (an empty text, a
        // piece not out), so the confirmation never shows something that cannot go live.
        if (body.trim() === '') return confirm('내용을 입력하세요.', 400);
        if (!desk.allowedActions(actor, article).addNotice)
          throw new AppError('CONFLICT', '출고된 기사에만 정정·반론보도를 붙일 수 있습니다.');
        return confirm();
      }
      return kit.form(
        reply,
        async () => {
          if (noticeId === null) await desk.addNotice(actor, id, kind, body);
          else await desk.editNotice(actor, id, noticeId, body);
          return `/admin/articles/${id}?ok=${noticeId === null ? 'notice' : 'notice-edited'}`;
        },
        (failure) => confirm(failure.message, failure.status),
      );
    }

    screen.post('/:id/notices', (request, reply) => noticeStep(request, reply, null));
    screen.post('/:id/notices/:notice', (request, reply) =>
      noticeStep(request, reply, kit.id(request, 'notice')),
    );
    workflow('notices/:notice/withdraw', async (actor, id, form, request) => {
      await desk.withdrawNotice(actor, id, kit.id(request, 'notice'), field(form, 'reason'));
      return 'notice-withdrawn';
    });

    // ---- 미리보기 --------------------------------------------------------------------

    async function previewPage(
      request: FastifyRequest,
      reply: FastifyReply,
      fresh: { token: string; expiresAt: number; purpose: PreviewPurpose } | null,
      status = 200,
    ) {
      const actor = kit.actor(request);
      const id = kit.id(request);
      const [article, links] = await Promise.all([
        desk.get(actor, id),
        deps.previews.active(actor, id),
      ]);
      return kit.html(
        reply,
        renderPreview(kit.chrome(request), {
          articleId: id,
          title: article.title,
          frameUrl: fresh?.purpose === 'desk' ? `/preview/${fresh.token}` : null,
          shareLink:
            fresh?.purpose === 'share'
              ? { url: `${deps.siteUrl}/preview/${fresh.token}`, expiresAt: fresh.expiresAt }
              : null,
          links,
        }),
        status,
      );
    }

    screen.get('/:id/preview', (request, reply) => previewPage(request, reply, null));

    // The desk's look (two hours, shown here at phone and desktop width) or a link to send
    // to a source (three days); the token is shown once, only its hash is kept.
    screen.post('/:id/preview', async (request, reply) => {
      const purpose: PreviewPurpose =
        field(asForm(request.body), 'purpose') === 'share' ? 'share' : 'desk';
      const issued = await deps.previews.issue(kit.actor(request), kit.id(request), purpose);
      return previewPage(request, reply, { ...issued, purpose });
    });

    screen.post('/:id/preview/:link/revoke', async (request, reply) => {
      const id = kit.id(request);
      await deps.previews.revoke(kit.actor(request), id, kit.id(request, 'link'));
      return kit.back(reply, `/admin/articles/${id}/preview?ok=preview-revoked`);
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
