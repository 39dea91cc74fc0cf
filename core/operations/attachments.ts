/**
 * Attaching a file to a work order: the file, its timeline event and the quota check are one transaction, so a
 * crash or a refusal leaves neither an attachment without its event nor an event without its file. The work
 * order's row is held (apply locks it) and the uploader's quota is taken under a lock of its own, so concurrent
 * uploads cannot together pass a quota each passes alone.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { CaseRepository } from '../cases/repository';
import { AttachmentEntity, type Attachment } from '../db/entities';
import { lockNamed } from '../db/lock';
import { ValidationError } from '../errors';

export interface NewAttachment {
  caseId: string;
  filename: string;
  mimeType: string;
  content: Buffer;
  uploadedBy: string;
}

/** Bytes a work order may hold in attachments, and a user may upload in 24 hours. */
export interface AttachmentQuotas {
  perCase: number;
  perUserDay: number;
}

const MB = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

export async function attachFile({ cases }: { cases: CaseRepository }, quotas: AttachmentQuotas, file: NewAttachment): Promise<Omit<Attachment, 'content'>> {
  const meta = {
    id: randomUUID(),
    caseId: file.caseId,
    filename: file.filename,
    mimeType: file.mimeType,
    sizeBytes: file.content.length,
    sha256: createHash('sha256').update(file.content).digest('hex'),
    uploadedBy: file.uploadedBy,
  };
  let uploadedAt = new Date();
  await cases.apply(
    file.caseId,
    {
      type: 'attachment',
      actor: file.uploadedBy,
      data: { attachmentId: meta.id, filename: meta.filename, mimeType: meta.mimeType, sizeBytes: meta.sizeBytes },
    },
    undefined,
    async (tx) => {
      await lockNamed(tx, `attachments:${file.uploadedBy}`);
      const [{ perCase, perUser }] = (await tx.query(
        `SELECT coalesce(sum(size_bytes) FILTER (WHERE case_id = $1), 0)::bigint AS "perCase",
                coalesce(sum(size_bytes) FILTER (WHERE uploaded_by = $2 AND uploaded_at > now() - interval '1 day'), 0)::bigint AS "perUser"
           FROM attachments WHERE case_id = $1 OR (uploaded_by = $2 AND uploaded_at > now() - interval '1 day')`,
        [file.caseId, file.uploadedBy],
      )) as { perCase: string; perUser: string }[];
      if (Number(perCase) + meta.sizeBytes > quotas.perCase)
        throw new ValidationError(
          'file',
          `该工单的附件已达上限（共 ${MB(quotas.perCase)}）`,
          `the work order's attachments would exceed ${quotas.perCase} bytes`,
          422,
          { code: 'quota_exceeded' },
        );
      if (Number(perUser) + meta.sizeBytes > quotas.perUserDay)
        throw new ValidationError(
          'file',
          `您 24 小时内上传的附件已达上限（${MB(quotas.perUserDay)}）`,
          `your uploads in the last 24 hours would exceed ${quotas.perUserDay} bytes`,
          422,
          { code: 'quota_exceeded' },
        );
      const saved = await tx.getRepository(AttachmentEntity).save({ ...meta, content: file.content });
      uploadedAt = saved.uploadedAt;
    },
  );
  return { ...meta, uploadedAt };
}
