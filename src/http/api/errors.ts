/**
 * An answer of the content API other than 200: its status, a stable machine-readable code
 * and a Korean message for the developer reading it. Sent as `{ "error": { code, message } }`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 429 | 500 | 503,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface AjvIssue {
  instancePath?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

const TYPES: Readonly<Record<string, string>> = {
  integer: '정수',
  number: '숫자',
  string: '문자열 하나',
  boolean: 'true 또는 false',
};

/** A Korean sentence for the first problem Fastify's validator found in a request. */
export function validationMessage(issues: readonly AjvIssue[], context: string | undefined) {
  const issue = issues[0] ?? {};
  const params = issue.params ?? {};
  const name =
    (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') ||
    (typeof params.missingProperty === 'string' ? params.missingProperty : '') ||
    (context === 'params' ? '주소' : '요청');
  const limit = String(params.limit ?? '');
  const detail: Record<string, string> = {
    type: `${TYPES[String(params.type)] ?? String(params.type)}여야 합니다`,
    minimum: `${limit} 이상이어야 합니다`,
    maximum: `${limit} 이하여야 합니다`,
    minLength: `${limit}자 이상이어야 합니다`,
    maxLength: `${limit}자 이하여야 합니다`,
    pattern: '형식이 맞지 않습니다',
    format: '형식이 맞지 않습니다',
    enum: `다음 중 하나여야 합니다: ${
      Array.isArray(params.allowedValues) ? params.allowedValues.join(', ') : ''
    }`,
    required: '값이 필요합니다',
  };
  return `잘못된 요청입니다: ${name} — ${detail[issue.keyword ?? ''] ?? '값이 올바르지 않습니다'}.`;
}
