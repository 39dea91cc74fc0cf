import type { FastifyInstance } from 'fastify';
import { NotFoundError, ValidationError } from '../../core/errors';
import { templateCsv } from '../../core/imports/rows';
import { decodeUtf8, fileTypeOf, UnreadableFile } from '../../core/imports/table';
import { IMPORT_COLUMNS, IMPORT_STAGES, IMPORT_STATUSES } from '../../core/vocabulary';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';
import { readOneFile, safeFileName } from '../uploads';
import { DateTime, Nullable, ResponseObject, StringEnum, Type, type Static } from '../schemas';

/** The largest file a history import takes. */
export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;
const ACCEPTED_EXTENSIONS = /\.(csv|txt|xlsx)$/i;

const admin = (app: FastifyInstance) => ({ onRequest: app.authenticate, preHandler: requireGroup('administration') });
const common = { tags: ['历史工单导入'], security: [{ bearer: [] }] };

const ImportIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Message = Type.Object({ zh: Type.String(), en: Type.String() });

const ImportJobSchema = ResponseObject({
  id: Type.String(),
  status: StringEnum(IMPORT_STATUSES),
  stage: StringEnum(IMPORT_STAGES),
  fileName: Type.String(),
  fileType: Type.String(),
  sizeBytes: Type.Integer(),
  total: Type.Integer(),
  processed: Type.Integer(),
  imported: Type.Integer(),
  rejected: Type.Array(ResponseObject({ row: Type.Integer(), column: Nullable(StringEnum(IMPORT_COLUMNS)), message: Message })),
  rejectedRows: Type.Integer(),
  message: Nullable(Message),
  createdBy: Type.String(),
  startedAt: DateTime,
  finishedAt: Nullable(DateTime),
});

/**
 * 历史工单导入 (admins): a city's closed work orders from its old platform, as CSV or XLSX. The upload answers 202
 * with the job's id; the import runs in the background (core/operations/history-import.ts) and any server answers
 * its progress. A file with any bad row imports nothing and lists every fault.
 */
export default async function importRoutes(app: FastifyInstance, { operations }: AppDeps) {
  app.post(
    '/api/imports/cases',
    {
      ...admin(app),
      schema: {
        ...common,
        summary: '上传历史工单（CSV 或 XLSX，50 MB 以内），后台导入为已办结工单（管理员）',
        consumes: ['multipart/form-data'],
        response: { 202: Type.Object({ id: Type.String() }) },
      },
    },
    async (req, reply) => {
      const file = await readOneFile(req, IMPORT_MAX_BYTES);
      const content = file.content;
      const name = safeFileName(file.filename, 200, 'end', '导入文件');
      const type = fileTypeOf(content);
      if (!type || (/\.[^.]+$/.test(name) && !ACCEPTED_EXTENSIONS.test(name)))
        throw new ValidationError('file', '只接受 CSV（UTF-8）或 XLSX 文件', 'only CSV (UTF-8) and XLSX files are accepted');
      if (type === 'csv') {
        try {
          decodeUtf8(content);
        } catch (e) {
          if (e instanceof UnreadableFile) throw new ValidationError('file', e.zh, e.en);
          throw e;
        }
      }
      const { id } = await operations.imports.start({ name, type, content }, { username: req.currentUser.username, roles: req.currentUser.roles, ip: req.ip });
      req.auditNote = {
        action: 'history-import.start',
        resource: 'imports',
        resourceId: id,
        detail: { fileName: name, fileType: type, sizeBytes: content.length },
      };
      return reply.code(202).send({ id });
    },
  );

  app.get(
    '/api/imports/template',
    {
      ...admin(app),
      schema: { ...common, summary: '下载历史工单导入模板（CSV，UTF-8，中文列名；列名也可用英文）' },
    },
    async (_req, reply) =>
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="history-import-template.csv"; filename*=UTF-8''${encodeURIComponent('历史工单导入模板.csv')}`)
        .send(templateCsv()),
  );

  app.get<{ Params: Static<typeof ImportIdParams> }>(
    '/api/imports/:id',
    {
      ...admin(app),
      schema: {
        ...common,
        summary: '历史工单导入进度与结果：状态、行数、已导入数、被拒绝的行（管理员）',
        params: ImportIdParams,
        response: { 200: ImportJobSchema },
      },
    },
    async (req) => {
      const job = await operations.imports.get(req.params.id);
      if (!job) throw new NotFoundError('id', '导入任务不存在', 'import not found');
      return job;
    },
  );
}
