import type { FastifyInstance } from 'fastify';
import { AttachmentEntity } from '../../core/db/entities';
import { NotFoundError, ValidationError } from '../../core/errors';
import type { AppDeps } from '../app';
import { CaseIdParams, ResponseObject, Type, type Static } from '../schemas';
import { readOneFile, safeFileName } from '../uploads';
import { visibleCase } from '../visibility';

/** What a feedback may carry (R5.4): the leader-signed document and photos of the work. */
const MAX_BYTES = 10 * 1024 * 1024;
const TYPES: { mime: string; magic: number[]; label: string; ext: string }[] = [
  { mime: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46], label: 'PDF', ext: 'pdf' },
  { mime: 'image/jpeg', magic: [0xff, 0xd8, 0xff], label: 'JPEG', ext: 'jpg' },
  { mime: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47], label: 'PNG', ext: 'png' },
];

/** The client's name, made safe, with the extension of the type its content has (never the one the client claimed). */
const storedName = (clientName: string, ext: string): string => `${safeFileName(clientName.replace(/\.[^.]*$/, ''), 190, 'start', '附件')}.${ext}`;

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
export default async function attachmentRoutes(app: FastifyInstance, { ds, cases, operations }: AppDeps) {
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
      const { filename: clientName, content } = await readOneFile(req, MAX_BYTES);
      const type = TYPES.find((t) => t.magic.every((b, i) => content[i] === b));
      if (!type) throw new ValidationError('file', '只接受 PDF、JPEG、PNG 文件', 'only PDF, JPEG and PNG files are accepted', 400);
      const { attachmentBytesPerCase: perCase, attachmentBytesPerUserDay: perUserDay } = app.privacy;
      const saved = await operations.attachFile(
        { caseId: c.id, filename: storedName(clientName, type.ext), mimeType: type.mime, content, uploadedBy: req.currentUser.username },
        { perCase, perUserDay },
      );
      return reply.code(201).send(saved);
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
