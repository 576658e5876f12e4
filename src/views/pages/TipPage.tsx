import { withRo } from '../../shared/josa.ts';
import { raw, renderDocument } from '../jsx/jsx-runtime.ts';
import type { Child } from '../jsx/jsx-runtime.ts';
import type { ChromeView } from '../model.ts';
import { policyPath, tipPath } from '../urls.ts';
import { PolicyLayout } from './PolicyPage.tsx';

export interface TipFormView {
  /** The 기사제보 page's text, edited by admins (cleaned when stored). */
  introHtml: string;
  /** The signed timestamp of this render. */
  token: string;
  values: { name: string; contact: string; body: string; consent: boolean };
  /** The refusal to show above the form, and the field it is about. */
  error?: { message: string; fields: Record<string, string> };
  /** Files were sent with a refused form: the browser cannot keep them, say so. */
  filesDropped?: boolean;
  rules: {
    maxNameChars: number;
    maxContactChars: number;
    minBodyChars: number;
    maxBodyChars: number;
    maxPhotos: number;
    maxFileMb: number;
  };
  retentionDays: number;
}

function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  children?: Child;
}) {
  return (
    <div class={error ? 'tip-field has-error' : 'tip-field'}>
      <label for={`tip-${id}`}>{label}</label>
      {hint ? (
        <p class="tip-hint" id={`tip-${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children}
      {error ? (
        <p class="tip-error" id={`tip-${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** aria-describedby for a field: its hint and its error, whichever it has. */
const describedBy = (id: string, hint: boolean, error: string | undefined) =>
  [hint ? `tip-${id}-hint` : '', error ? `tip-${id}-error` : ''].filter(Boolean).join(' ') ||
  undefined;

/** 기사제보: the paper's text, then the form. Never cached: it carries a fresh timestamp. */
export function renderTipForm(props: { chrome: ChromeView; form: TipFormView }): string {
  const { form } = props;
  const e = form.error?.fields ?? {};
  const v = form.values;
  return renderDocument(
    <PolicyLayout
      chrome={props.chrome}
      current="tip"
      meta={{
        title: '기사제보',
        description: `${props.chrome.publisher.name}에 기사를 제보해 주세요. 제보자의 신원을 철저히 보호합니다.`,
        path: tipPath,
        type: 'website',
      }}
    >
      <article class="policy tip-page">
        <h1 class="policy-title">기사제보</h1>
        <div class="policy-body article-body">{raw(form.introHtml)}</div>
        <form
          class="tip-form"
          method="post"
          action={tipPath}
          enctype="multipart/form-data"
          aria-labelledby="tip-form-title"
        >
          <h2 id="tip-form-title" class="tip-form-title">
            제보하기
          </h2>
          {form.error ? (
            // Focused on arrival: the page opens at the message, not at the paper's text above.
            <p class="tip-alert" role="alert" tabindex={-1} autofocus>
              {form.error.message}
              {form.filesDropped ? ' 첨부 파일은 다시 골라 주세요.' : null}
            </p>
          ) : null}
          <input type="hidden" name="form_token" value={form.token} />
          {/* Left empty by people, who never see it; filled by scripts that fill everything. */}
          <div class="tip-trap" aria-hidden="true">
            <label for="tip-homepage">홈페이지 주소 (비워 두세요)</label>
            <input id="tip-homepage" name="homepage" tabindex={-1} autocomplete="off" />
          </div>
          <Field id="name" label="이름" error={e.name}>
            <input
              id="tip-name"
              name="name"
              value={v.name}
              required
              maxlength={form.rules.maxNameChars}
              autocomplete="name"
              aria-invalid={e.name ? 'true' : undefined}
              aria-describedby={describedBy('name', false, e.name)}
            />
          </Field>
          <Field
            id="contact"
            label="연락처"
            hint="기자가 사실을 확인할 때 연락드릴 전화번호나 이메일 주소"
            error={e.contact}
          >
            <input
              id="tip-contact"
              name="contact"
              value={v.contact}
              required
              maxlength={form.rules.maxContactChars}
              autocomplete="tel"
              aria-invalid={e.contact ? 'true' : undefined}
              aria-describedby={describedBy('contact', true, e.contact)}
            />
          </Field>
          <Field
            id="body"
            label="제보 내용"
            hint="언제, 어디서, 무슨 일이 있었는지 적어 주세요."
            error={e.body}
          >
            <textarea
              id="tip-body"
              name="body"
              rows={9}
              required
              minlength={form.rules.minBodyChars}
              maxlength={form.rules.maxBodyChars}
              aria-invalid={e.body ? 'true' : undefined}
              aria-describedby={describedBy('body', true, e.body)}
            >
              {v.body}
            </textarea>
          </Field>
          <Field
            id="files"
            label="사진 또는 PDF (선택)"
            hint={`사진은 ${form.rules.maxPhotos}장까지, 또는 PDF 문서 한 개. 파일마다 ${form.rules.maxFileMb}MB 이하. 사진 속 촬영 위치 정보는 지우고 받습니다.`}
            error={e.files}
          >
            <input
              id="tip-files"
              type="file"
              name="files"
              multiple
              accept="image/jpeg,image/png,image/webp,application/pdf"
              aria-invalid={e.files ? 'true' : undefined}
              aria-describedby={describedBy('files', true, e.files)}
            />
          </Field>
          <fieldset class={e.consent ? 'tip-consent has-error' : 'tip-consent'}>
            <legend>개인정보 수집·이용 동의</legend>
            <ul>
              <li>받는 항목: 이름, 연락처, 제보 내용, 첨부 파일</li>
              <li>쓰는 곳: 제보 내용의 확인과 취재를 위한 연락</li>
              <li>
                보관 기간: 이름, 연락처, 첨부 파일은 {String(form.retentionDays)}일 뒤 자동으로
                지웁니다.
              </li>
              <li>동의하지 않으실 수 있으나, 그러면 이 양식으로는 제보를 받을 수 없습니다.</li>
            </ul>
            <p>
              자세한 내용은 <a href={policyPath('privacy')}>개인정보처리방침</a>에 있습니다.
            </p>
            <label class="tip-check">
              <input
                type="checkbox"
                name="consent"
                value="1"
                required
                checked={v.consent}
                aria-invalid={e.consent ? 'true' : undefined}
                aria-describedby={e.consent ? 'tip-consent-error' : undefined}
              />{' '}
              위 내용에 동의합니다
            </label>
            {e.consent ? (
              <p class="tip-error" id="tip-consent-error">
                {e.consent}
              </p>
            ) : null}
          </fieldset>
          <p class="tip-submit">
            <button type="submit" class="button">
              제보 보내기
            </button>
          </p>
        </form>
      </article>
    </PolicyLayout>,
  );
}

export function renderTipReceived(props: {
  chrome: ChromeView;
  receipt: string | null;
  retentionDays: number;
}): string {
  const { chrome } = props;
  return renderDocument(
    <PolicyLayout
      chrome={chrome}
      current="tip"
      meta={{
        title: '제보 접수',
        description: '기사제보가 접수되었습니다.',
        path: `${tipPath}/received`,
        type: 'website',
        robots: 'noindex',
      }}
    >
      <section class="policy tip-received">
        <h1 class="policy-title">제보가 접수되었습니다</h1>
        {props.receipt === null ? null : (
          <p class="tip-receipt">
            접수번호 <strong>{props.receipt}</strong>
          </p>
        )}
        <p>
          보내 주셔서 고맙습니다. 기자가 내용을 확인한 뒤 필요하면 남겨 주신 연락처로 연락드립니다.
          제보에 대해 문의하실 때는 접수번호를 알려 주세요.
        </p>
        <p>
          보내 주신 이름, 연락처, 첨부 파일은 {String(props.retentionDays)}일 뒤 자동으로
          지워집니다. 급한 일은 {withRo(chrome.publisher.phone)} 전화해 주세요.
        </p>
        <p>
          <a class="button" href="/">
            첫 화면으로
          </a>
        </p>
      </section>
    </PolicyLayout>,
  );
}
