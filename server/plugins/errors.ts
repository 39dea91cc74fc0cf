/**
 * The one error handler. Every refusal is JSON in Chinese and English and names the field at fault:
 * { error: { code, field?, message: { zh, en } } }. Only a fault of ours is a 500, and it says nothing internal.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ForbiddenError, ValidationError } from '../../core/errors';
import { EngineError } from '../../core/engine/client';

export interface ApiError {
  error: { code: string; field?: string; message: { zh: string; en: string } };
}

export function apiError(code: string, zh: string, en: string, field?: string): ApiError {
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
  switch (issue.keyword) {
    case 'required':
      return { field: where + join(issue.params.missingProperty), zh: `缺少必填字段 ${where + join(issue.params.missingProperty)}`, en: `${where + join(issue.params.missingProperty)} is required` };
    case 'additionalProperties':
      return { field: where + join(issue.params.additionalProperty), zh: `不允许的字段 ${where + join(issue.params.additionalProperty)}`, en: `${where + join(issue.params.additionalProperty)} is not allowed` };
    case 'enum':
      return { field: where + base, zh: `字段 ${where + base} 的取值无效，可选值：${(issue.params.allowedValues as unknown[]).join('、')}`, en: `${where + base} must be one of ${(issue.params.allowedValues as unknown[]).join(', ')}` };
    case 'maxLength':
      return { field: where + base, zh: `字段 ${where + base} 过长（最多 ${String(issue.params.limit)} 个字符）`, en: `${where + base} is longer than ${String(issue.params.limit)} characters` };
    case 'minLength':
      return { field: where + base, zh: `字段 ${where + base} 不能为空`, en: `${where + base} must not be empty` };
    case 'pattern':
    case 'format':
      return { field: where + base, zh: `字段 ${where + base} 格式不正确`, en: `${where + base} is not well formed` };
    default:
      return { field: where + base, zh: `字段 ${where + base} 不符合要求：${issue.message ?? ''}`, en: `${where + base} ${issue.message ?? 'is invalid'}` };
  }
}

export default fp(async function errors(app: FastifyInstance) {
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(apiError('not_found', `未找到 ${req.method} ${req.url}`, `no route ${req.method} ${req.url}`));
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation && err.validation.length > 0) {
      const d = describe(err.validation[0] as AjvIssue, err.validationContext);
      return reply.code(400).send(apiError('invalid_input', d.zh, d.en, d.field));
    }
    if (err instanceof ValidationError) return reply.code(err.statusCode).send(apiError('invalid_input', err.zh, err.en, err.field));
    if (err instanceof ForbiddenError) return reply.code(403).send(apiError('forbidden', err.zh, err.en));
    if (err instanceof EngineError && err.status === 404) return reply.code(404).send(apiError('not_found', '流程引擎中不存在该对象（可能已办理完毕）', err.message));
    if (err instanceof EngineError && err.status < 500) return reply.code(409).send(apiError('engine_conflict', '流程引擎拒绝了该操作', err.message));
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.code(413).send(apiError('body_too_large', '请求内容过大', 'request body too large', 'body'));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.code(415).send(apiError('unsupported_media_type', '请求格式应为 JSON', 'content-type must be application/json', 'body'));
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return reply.code(400).send(apiError('invalid_json', '请求内容不是有效的 JSON', 'body is not valid JSON', 'body'));
    }
    if (err.statusCode === 429) return reply.code(429).send(apiError('rate_limited', '请求过于频繁，请稍后再试', 'too many requests, try again later'));
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send(apiError('bad_request', '请求无效', err.message));
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(err instanceof EngineError ? 502 : 500).send(apiError('internal', '系统内部错误，请稍后重试或联系管理员', 'internal error'));
  });
});
