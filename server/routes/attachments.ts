import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AttachmentEntity } from '../../core/db/entities';
import { NotFoundError, ValidationError } from '../../core/errors';
import type { AppDeps } from '../app';
import { CaseIdParams, ResponseObject, Type, type Static } from '../schemas';
import { visibleCase } from '../visibility';

/** What a feedback may carry (R5.4): the leader-signed document and photos of the work. */
const MAX_BYTES = 10 * 1024 * 1024;
const TYPES: { mime: string; magic: number[]; label: string; ext: string }[] = [
  { mime: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46], label: 'PDF', ext: 'pdf' },
  { mime: 'image/jpeg', magic: [0xff, 0xd8, 0xff], label: 'JPEG', ext: 'jpg' },
  { mime: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47], label: 'PNG', ext: 'png' },
];

/** The client's name, made safe, with the extension of the type its content has (never the one the client claimed). */
function storedName(clientName: string, ext: string): string {
  const base =
    clientName
      .replace(/[\\/\p{Cc}]/gu, '_')
      .replace(/\.[^.]*$/, '')
      .slice(0, 190) || '附件';
  return `${base}.${ext}`;
}

const MB = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

const AttachmentSchema = ResponseObject({
  id: Type.String(),
  caseId: Type.String(),
  filename: Type.String(),
  mimeType: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  uploadedBy: Type.String(),
  uploadedAt: Type.String(),
});

const AttachmentIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * Attachments of a work order: uploaded by whoever may see it, type checked by content (the stored name takes the
 * content's extension), size limited, within a quota per work order and per user per day (ATTACHMENT_BYTES_PER_CASE,
 * ATTACHMENT_BYTES_PER_USER_DAY); every download is audited before it is sent.
 */
export default async function attachmentRoutes(app: FastifyInstance, { ds, cases }: AppDeps) {
  const repo = ds.getRepository(AttachmentEntity);

  app.post<{ Params: Static<typeof CaseIdParams> }>(
    '/api/cases/:id/attachments',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['附件'],
        summary: '上传附件（PDF、JPEG、PNG，10 MB 以内）',
        security: [{ bearer: [] }],
        consumes: ['multipart/form-data'],
        params: CaseIdParams,
        response: { 201: AttachmentSchema },
      },
    },
    async (req, reply) => {
      const c = await visibleCase(ds, cases, req.params.id, req.currentUser);
      if (!req.isMultipart()) throw new ValidationError('file', '请以 multipart/form-data 上传文件', 'upload the file as multipart/form-data', 400);
      const file = await req.file({ limits: { fileSize: MAX_BYTES, files: 1 } });
      if (!file) throw new ValidationError('file', '缺少文件', 'file is required', 400);
      const content = await file.toBuffer().catch(() => {
        throw new ValidationError('file', '文件超过 10 MB', 'file is larger than 10 MB', 400);
      });
      const type = TYPES.find((t) => t.magic.every((b, i) => content[i] === b));
      if (!type) throw new ValidationError('file', '只接受 PDF、JPEG、PNG 文件', 'only PDF, JPEG and PNG files are accepted', 400);
      const filename = storedName(file.filename, type.ext);
      const [{ perCase, perUser }] = (await ds.query(
        `SELECT coalesce(sum(size_bytes) FILTER (WHERE case_id = $1), 0)::bigint AS "perCase",
                coalesce(sum(size_bytes) FILTER (WHERE uploaded_by = $2 AND uploaded_at > now() - interval '1 day'), 0)::bigint AS "perUser"
           FROM attachments WHERE case_id = $1 OR (uploaded_by = $2 AND uploaded_at > now() - interval '1 day')`,
        [c.id, req.currentUser.username],
      )) as { perCase: string; perUser: string }[];
      const { attachmentBytesPerCase: caseQuota, attachmentBytesPerUserDay: userQuota } = app.privacy;
      if (Number(perCase) + content.length > caseQuota) {
        throw new ValidationError('file', `该工单的附件已达上限（共 ${MB(caseQuota)}）`, `the work order's attachments would exceed ${caseQuota} bytes`, 422, {
          code: 'quota_exceeded',
        });
      }
      if (Number(perUser) + content.length > userQuota) {
        throw new ValidationError(
          'file',
          `您 24 小时内上传的附件已达上限（${MB(userQuota)}）`,
          `your uploads in the last 24 hours would exceed ${userQuota} bytes`,
          422,
          { code: 'quota_exceeded' },
        );
      }
      const saved = await repo.save({
        caseId: c.id,
        filename,
        mimeType: type.mime,
        sizeBytes: content.length,
        sha256: createHash('sha256').update(content).digest('hex'),
        content,
        uploadedBy: req.currentUser.username,
      });
      await cases.apply(c.id, {
        type: 'attachment',
        actor: req.currentUser.username,
        data: { attachmentId: saved.id, filename, mimeType: type.mime, sizeBytes: content.length },
      });
      const { content: _omit, ...meta } = saved;
      return reply.code(201).send(meta);
    },
  );

  app.get<{ Params: Static<typeof AttachmentIdParams> }>(
    '/api/attachments/:id',
    {
      onRequest: app.authenticate,
      schema: { tags: ['附件'], summary: '下载或预览附件', security: [{ bearer: [] }], params: AttachmentIdParams },
    },
    async (req, reply) => {
      const meta = await repo.findOneBy({ id: req.params.id });
      if (!meta) throw new NotFoundError('id', '附件不存在', 'attachment not found');
      const c = await visibleCase(ds, cases, meta.caseId, req.currentUser);
      await app.audit(req, {
        action: 'attachment.download',
        resource: 'cases',
        resourceId: c.id,
        detail: { attachmentId: meta.id, filename: meta.filename, code: c.code },
      });
      const row = await repo.createQueryBuilder('a').addSelect('a.content').where('a.id = :id', { id: meta.id }).getOneOrFail();
      return reply
        .header('content-type', meta.mimeType)
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(meta.filename)}`)
        .header('x-content-type-options', 'nosniff')
        .send(row.content);
    },
  );
}
