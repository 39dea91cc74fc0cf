/** The error taxonomy: what workers retry, and the one answer each kind of error gets at the HTTP edge. */
import net from 'node:net';
import type { FastifyError } from 'fastify';
import { EngineClient, EngineError } from '../../core/engine/client';
import {
  BusinessError,
  ConcurrentUpdateError,
  ConflictError,
  EngineUnavailableError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  isTransient,
} from '../../core/errors';
import { refusalOf } from '../../server/plugins/errors';

const answerTo = (e: Error) => refusalOf(e as FastifyError);
/** An error as pg or TypeORM raise it: a code of the network or of PostgreSQL, on the error or its driverError. */
const dbError = (code: string, wrapped = false) => Object.assign(new Error(`db ${code}`), wrapped ? { driverError: { code } } : { code });

describe('workers: transient or not', () => {
  it('an unreachable engine and a concurrent update are retried; a refusal and a business outcome are not', () => {
    expect(isTransient(new EngineUnavailableError('down'))).toBe(true);
    expect(isTransient(new ConcurrentUpdateError('locked'))).toBe(true);
    expect(isTransient(dbError('ECONNREFUSED'))).toBe(true);
    expect(isTransient(new NotFoundError('id', '不存在', 'not found'))).toBe(false);
    expect(isTransient(new BusinessError('noUnit', 'no unit'))).toBe(false);
    expect(isTransient(new EngineError(400, 'InvalidRequestException', 'bad'))).toBe(false);
  });

  it('the engine client reports a refused connection as EngineUnavailableError', async () => {
    // a port nothing listens on: one the system just gave out and took back
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const err = await new EngineClient(`http://127.0.0.1:${port}/engine-rest`).task('any').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineUnavailableError);
    expect((err as Error).message).toContain('ECONNREFUSED');
    expect(isTransient(err)).toBe(true);
  });
});

describe('the HTTP edge: one code per kind', () => {
  it.each([
    ['ValidationError 400', new ValidationError('address', '地址不能为空', 'address is required', 400), 400, 'invalid_input', 'address'],
    ['ValidationError 422', new ValidationError('variables.x', '无效', 'invalid'), 422, 'invalid_input', 'variables.x'],
    ['ForbiddenError', new ForbiddenError('无权', 'not yours'), 403, 'forbidden', undefined],
    ['NotFoundError', new NotFoundError('id', '工单不存在', 'work order not found'), 404, 'not_found', 'id'],
    ['ConflictError', new ConflictError('assignee', '已签收', 'claimed'), 409, 'conflict', 'assignee'],
    ['EngineUnavailableError', new EngineUnavailableError('connect ECONNREFUSED'), 503, 'engine_unavailable', undefined],
    ['ConcurrentUpdateError', new ConcurrentUpdateError('OptimisticLockingException'), 409, 'conflict', undefined],
    ['engine 404', new EngineError(404, 'RestException', 'no task'), 404, 'not_found', undefined],
    ['engine 400', new EngineError(400, 'InvalidRequestException', 'not claimable'), 409, 'conflict', undefined],
    ['engine TaskAlreadyClaimed', new EngineError(500, 'TaskAlreadyClaimedException', 'claimed'), 409, 'conflict', undefined],
    ['pg ECONNREFUSED', dbError('ECONNREFUSED'), 503, 'database_unavailable', undefined],
    ['pg 57P01 (admin shutdown)', dbError('57P01', true), 503, 'database_unavailable', undefined],
    ['pg connection terminated', new Error('Connection terminated unexpectedly'), 503, 'database_unavailable', undefined],
    ['pg 23505 (unique key)', dbError('23505', true), 409, 'conflict', undefined],
    ['multipart without a boundary', new Error('Multipart: Boundary not found'), 400, 'invalid_multipart', 'file'],
    ['multipart cut short', new Error('Unexpected end of multipart data'), 400, 'invalid_multipart', 'file'],
    ['multipart part cut short', new Error('Part terminated early due to unexpected end of multipart data'), 400, 'invalid_multipart', 'file'],
  ] as const)('%s → %i %s', (_label, err, status, code, field) => {
    const answer = answerTo(err);
    expect(answer?.status).toBe(status);
    expect(answer?.body.error).toEqual({ code, ...(field ? { field } : {}), message: { zh: expect.any(String), en: expect.any(String) } });
  });

  it('a refusal may carry a more specific code and data beside the error', () => {
    const answer = answerTo(
      new ConflictError('confirm', '请确认', 'confirm', { code: 'confirmation_required', extra: { impacts: [{ elementId: 'dispatch' }] } }),
    );
    expect(answer).toEqual({
      status: 409,
      body: { error: { code: 'confirmation_required', field: 'confirm', message: { zh: '请确认', en: 'confirm' } }, impacts: [{ elementId: 'dispatch' }] },
    });
  });

  it('a fault of ours, and the engine failing inside, are no refusal (500/502)', () => {
    expect(answerTo(new TypeError('x is undefined'))).toBeUndefined();
    expect(answerTo(new EngineError(500, 'ProcessEngineException', 'script failed'))).toBeUndefined();
    expect(answerTo(dbError('42P01', true))).toBeUndefined();
  });
});
