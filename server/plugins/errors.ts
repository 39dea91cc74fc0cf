/**
 * The one error handler and the one mapping of the error taxonomy (core/errors.ts) onto HTTP. Every refusal
 * is JSON in Chinese and English and names the field at fault: { error: { code, field?, message: { zh, en } } }.
 * Only a fault of ours is a 500, and it says nothing internal.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ConcurrentUpdateError, EngineUnavailableError, Refusal, isDatabaseConflict, isDatabaseUnreachable } from '../../core/errors';
import { EngineError } from '../../core/engine/client';
import { ApiErrorRef, ApiErrorSchema, type ApiErrorBody } from '../schemas';

/** The body of a refusal; also for a plugin that must answer outside the error handler. */
export function apiError(code: string, zh: string, en: string, field?: string): ApiErrorBody {
  return { error: { code, ...(field ? { field } : {}), message: { zh, en } } };
}

interface AjvIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Turns the first schema violation into a field name and a message a person can act on. */
function describe(issue: AjvIssue, context: string | undefined): { field: string; zh: string; en: string } {
  const base = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const join = (child: unknown) => [base, String(child)].filter(Boolean).join('.');
  const where = context && context !== 'body' ? `${context}.` : '';
  // The value at fault; the whole body or query when the fault is at its top.
  const self = where + base || (context ?? 'body');
  switch (issue.keyword) {
    case 'required':
      return {
        field: where + join(issue.params.missingProperty),
        zh: `缺少必填字段 ${where + join(issue.params.missingProperty)}`,
        en: `${where + join(issue.params.missingProperty)} is required`,
      };
    case 'additionalProperties':
      return {
        field: where + join(issue.params.additionalProperty),
        zh: `不允许的字段 ${where + join(issue.params.additionalProperty)}`,
        en: `${where + join(issue.params.additionalProperty)} is not allowed`,
      };
    case 'enum':
      return {
        field: self,
        zh: `字段 ${self} 的取值无效，可选值：${(issue.params.allowedValues as unknown[]).join('、')}`,
        en: `${self} must be one of ${(issue.params.allowedValues as unknown[]).join(', ')}`,
      };
    case 'maxLength':
      return {
        field: self,
        zh: `字段 ${self} 过长（最多 ${String(issue.params.limit)} 个字符）`,
        en: `${self} is longer than ${String(issue.params.limit)} characters`,
      };
    case 'minLength':
      return { field: self, zh: `字段 ${self} 不能为空`, en: `${self} must not be empty` };
    case 'pattern':
    case 'format':
      return { field: self, zh: `字段 ${self} 格式不正确`, en: `${self} is not well formed` };
    case 'minProperties':
      return { field: self, zh: `${self} 至少须包含一个字段`, en: `${self} must carry at least one field` };
    default:
      return { field: self, zh: `字段 ${self} 不符合要求：${issue.message ?? ''}`, en: `${self} ${issue.message ?? 'is invalid'}` };
  }
}

export interface Answer {
  status: number;
  body: ApiErrorBody;
}

const answer = (status: number, code: string, zh: string, en: string, field?: string): Answer => ({ status, body: apiError(code, zh, en, field) });

/** The code of a refusal raised by fastify or a plugin with only a status. */
const CODE_OF_STATUS: Record<number, string> = {
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'body_too_large',
  415: 'unsupported_media_type',
};

/** What @fastify/busboy says of a multipart body it cannot read. */
const MALFORMED_MULTIPART =
  /^(Multipart: Boundary not found|Unexpected end of multipart data|Malformed part header)|terminated early due to unexpected end of multipart data$/;

/** The refusal an error stands for, or undefined for a fault of ours (a bug). */
export function refusalOf(err: FastifyError): Answer | undefined {
  if (err.validation && err.validation.length > 0) {
    const issue = err.validation[0] as AjvIssue;
    // A body that is JSON but not an object ([], "x", null): the body is the field.
    if (issue.instancePath === '' && issue.keyword === 'type' && (err.validationContext ?? 'body') === 'body')
      return answer(400, 'invalid_input', '请求内容须为 JSON 对象', 'the body must be a JSON object', 'body');
    const d = describe(issue, err.validationContext);
    return answer(400, 'invalid_input', d.zh, d.en, d.field);
  }
  if (err instanceof Refusal) return { status: err.statusCode, body: { ...apiError(err.code, err.zh, err.en, err.field), ...err.extra } };
  if (err instanceof EngineUnavailableError)
    return answer(503, 'engine_unavailable', '流程引擎暂时无法访问，请稍后重试', 'the process engine is unavailable; try again later');
  if (err instanceof ConcurrentUpdateError)
    return answer(409, 'conflict', '数据已被他人同时修改，请刷新后重试', 'changed by someone else at the same time; reload and try again');
  if (err instanceof EngineError) {
    if (err.status === 404) return answer(404, 'not_found', '流程引擎中不存在该对象（可能已办理完毕）', err.message);
    // A claim race ends as the engine's 500 TaskAlreadyClaimedException; other 4xx: the state has moved on.
    if (err.status < 500 || /TaskAlreadyClaimed/.test(err.type))
      return answer(409, 'conflict', '流程引擎拒绝了该操作（任务可能已被他人签收或办理）', err.message);
    return undefined;
  }
  if (isDatabaseUnreachable(err)) return answer(503, 'database_unavailable', '数据库暂时无法访问，请稍后重试', 'the database is unavailable; try again later');
  if (isDatabaseConflict(err))
    return answer(409, 'conflict', '数据已被他人同时修改，请刷新后重试', 'changed by someone else at the same time; reload and try again');
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return answer(413, 'body_too_large', '请求内容过大', 'request body too large', 'body');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return answer(415, 'unsupported_media_type', '请求格式应为 JSON', 'content-type must be application/json', 'body');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return answer(400, 'invalid_json', '请求内容不是有效的 JSON', 'body is not valid JSON', 'body');
  }
  // A multipart body its parser cannot read (plain errors of @fastify/busboy): the client's fault, not ours.
  if (!err.statusCode && MALFORMED_MULTIPART.test(err.message))
    return answer(400, 'invalid_multipart', '上传的表单格式不正确（multipart 无法解析）', `malformed multipart body: ${err.message}`, 'file');
  if (err.statusCode === 429) return answer(429, 'rate_limited', '请求过于频繁，请稍后再试', 'too many requests, try again later');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
    return answer(err.statusCode, CODE_OF_STATUS[err.statusCode] ?? 'bad_request', '请求无效', err.message);
  return undefined;
}

export default fp(async function errors(app: FastifyInstance) {
  // The error shape is declared once; every API route's refusals (4xx, 503) point to it.
  app.addSchema(ApiErrorSchema);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const schema = (route.schema ??= {});
    schema.response = { '4xx': ApiErrorRef, 503: ApiErrorRef, ...(schema.response as Record<string, unknown> | undefined) };
  });

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(apiError('not_found', `未找到 ${req.method} ${req.url}`, `no route ${req.method} ${req.url}`));
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const refusal = refusalOf(err);
    if (refusal) {
      if (refusal.status >= 500) req.log.warn({ err }, refusal.body.error.code);
      return reply.code(refusal.status).send(refusal.body);
    }
    req.log.error({ err }, 'unhandled error');
    // The engine failing inside (a 5xx of its own) is still a fault, but of the engine behind us: 502.
    return reply.code(err instanceof EngineError ? 502 : 500).send(apiError('internal', '系统内部错误，请稍后重试或联系管理员', 'internal error'));
  });
});
