/**
 * The application's tables as TypeORM entity schemas. Schema changes are made only by the
 * migrations in `migrations/`; these schemas describe the tables to the ORM and nothing more.
 */
import { EntitySchema } from 'typeorm';

import type { CaseFlag, CaseStatus, Category, Channel, Role, SupervisionLevel, UnitKind, UnitLevel } from '../vocabulary';

export { CASE_STATUSES, CATEGORIES, CHANNELS, PHONE_PATTERN as PHONE, ROLES } from '../vocabulary';
export type { CaseStatus, Category, Channel, Role, SupervisionLevel, UnitKind, UnitLevel } from '../vocabulary';

export interface Unit {
  id: string;
  name: string;
  level: UnitLevel;
  kind: UnitKind;
  parentId: string | null;
  sort: number;
}

export interface User {
  id: string;
  username: string;
  passwordHash: string;
  displayName: string;
  roles: Role[];
  unitId: string | null;
  active: boolean;
  /** Carried in the user's tokens; logging out increments it, so earlier tokens stop working. */
  tokenVersion: number;
  /** Set by an admin's reset to a generated password: until the user sets their own, nothing else is allowed. */
  mustChangePassword: boolean;
  passwordChangedAt: Date | null;
  createdAt: Date;
}

export interface WorkOrder {
  id: string;
  code: string;
  status: CaseStatus;
  channel: Channel;
  citizenName: string;
  citizenPhone: string;
  address: string;
  content: string;
  category: Category | null;
  suggestedCategory: Category | null;
  /** The lead unit suggested at intake, and what suggested it (`model:<version>` or `catalogue`), for 建议采纳率. */
  suggestedUnitId: string | null;
  suggestionSource: string | null;
  leadUnitId: string | null;
  processInstanceId: string | null;
  dueAt: Date | null;
  dueBasis: string | null;
  dueProvisional: boolean;
  supervisionLevel: SupervisionLevel;
  overdue: boolean;
  dispatchCount: number;
  coUnitIds: string[];
  /** 四 D: 突发性、敏感性、群体性, marked at intake (CASE_FLAG). */
  flags: CaseFlag[];
  delegatedUnitId: string | null;
  extensionCount: number;
  closeReason: string | null;
  dispatchedAt: Date | null;
  /** The clock the deadline was computed with, kept so it can be recomputed when a holiday year is loaded. */
  /** The clock the deadline came from; `dueBy` when a 领导批示件's own due date set it instead. */
  dueRule: { clockUnit: string; clockAmount: number; clockLabel?: string; from: string; dueBy?: string } | null;
  createdBy: string;
  /** The intake request's Idempotency-Key, unique per `createdBy`: a request sent again finds this work order. */
  intakeKey: string | null;
  /** SHA-256 of the intake request that carried `intakeKey` (what it asked, in a canonical form). */
  intakeDigest: string | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  /** Brought over from an old platform (历史工单导入): closed history, no process, outside deadline and satisfaction indicators. */
  imported: boolean;
}

export interface CaseEvent {
  id: string;
  caseId: string;
  type: string;
  actor: string;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus | null;
  data: Record<string, unknown>;
  /** Set by at-least-once writers (workers, task completion) so a redelivery writes nothing twice. */
  dedupeKey: string | null;
  occurredAt: Date;
}

export interface SupervisionNotice {
  id: string;
  caseId: string;
  number: string;
  level: Exclude<SupervisionLevel, 'none'>;
  trigger: string;
  reason: string;
  unitId: string | null;
  replyDueAt: Date | null;
  dedupeKey: string;
  issuedAt: Date;
}

export interface Attachment {
  id: string;
  caseId: string;
  filename: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  content: Buffer;
  uploadedBy: string;
  uploadedAt: Date;
}

export type CalendarDayKind = 'holiday' | 'workday';

export interface CalendarDay {
  day: string;
  kind: CalendarDayKind;
  name: string;
}

export interface CalendarYear {
  year: number;
  source: string;
  loadedAt: Date;
}

export const UnitEntity = new EntitySchema<Unit>({
  name: 'Unit',
  tableName: 'units',
  columns: {
    id: { type: 'varchar', length: 40, primary: true },
    name: { type: 'varchar', length: 100 },
    level: { type: 'smallint' },
    kind: { type: 'varchar', length: 20 },
    parentId: { name: 'parent_id', type: 'varchar', length: 40, nullable: true },
    sort: { type: 'integer' },
  },
});

export const UserEntity = new EntitySchema<User>({
  name: 'User',
  tableName: 'users',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    username: { type: 'varchar', length: 60, unique: true },
    passwordHash: { name: 'password_hash', type: 'varchar', length: 100 },
    displayName: { name: 'display_name', type: 'varchar', length: 100 },
    roles: { type: 'text', array: true },
    unitId: { name: 'unit_id', type: 'varchar', length: 40, nullable: true },
    active: { type: 'boolean' },
    tokenVersion: { name: 'token_version', type: 'integer', default: 0 },
    mustChangePassword: { name: 'must_change_password', type: 'boolean', default: false },
    passwordChangedAt: { name: 'password_changed_at', type: 'timestamptz', nullable: true },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
  },
});

export const WorkOrderEntity = new EntitySchema<WorkOrder>({
  name: 'WorkOrder',
  tableName: 'work_orders',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    code: { type: 'varchar', length: 32, unique: true },
    status: { type: 'varchar', length: 20 },
    channel: { type: 'varchar', length: 20 },
    citizenName: { name: 'citizen_name', type: 'varchar', length: 50 },
    citizenPhone: { name: 'citizen_phone', type: 'varchar', length: 20 },
    address: { type: 'varchar', length: 200 },
    content: { type: 'text' },
    category: { type: 'char', length: 1, nullable: true },
    suggestedCategory: { name: 'suggested_category', type: 'char', length: 1, nullable: true },
    suggestedUnitId: { name: 'suggested_unit_id', type: 'varchar', length: 40, nullable: true },
    suggestionSource: { name: 'suggestion_source', type: 'varchar', length: 60, nullable: true },
    leadUnitId: { name: 'lead_unit_id', type: 'varchar', length: 40, nullable: true },
    processInstanceId: { name: 'process_instance_id', type: 'varchar', length: 64, nullable: true },
    dueAt: { name: 'due_at', type: 'timestamptz', nullable: true },
    dueBasis: { name: 'due_basis', type: 'varchar', length: 200, nullable: true },
    dueProvisional: { name: 'due_provisional', type: 'boolean' },
    supervisionLevel: { name: 'supervision_level', type: 'varchar', length: 20 },
    overdue: { type: 'boolean' },
    dispatchCount: { name: 'dispatch_count', type: 'integer' },
    coUnitIds: { name: 'co_unit_ids', type: 'varchar', length: 40, array: true },
    flags: { type: 'varchar', length: 20, array: true, default: () => "'{}'" },
    delegatedUnitId: { name: 'delegated_unit_id', type: 'varchar', length: 40, nullable: true },
    extensionCount: { name: 'extension_count', type: 'integer' },
    closeReason: { name: 'close_reason', type: 'varchar', length: 30, nullable: true },
    dispatchedAt: { name: 'dispatched_at', type: 'timestamptz', nullable: true },
    dueRule: { name: 'due_rule', type: 'jsonb', nullable: true },
    createdBy: { name: 'created_by', type: 'varchar', length: 60 },
    intakeKey: { name: 'intake_key', type: 'varchar', length: 100, nullable: true },
    intakeDigest: { name: 'intake_digest', type: 'char', length: 64, nullable: true },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
    updatedAt: { name: 'updated_at', type: 'timestamptz', updateDate: true },
    closedAt: { name: 'closed_at', type: 'timestamptz', nullable: true },
    imported: { type: 'boolean', default: false },
  },
});

export const CaseEventEntity = new EntitySchema<CaseEvent>({
  name: 'CaseEvent',
  tableName: 'case_events',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    caseId: { name: 'case_id', type: 'uuid' },
    type: { type: 'varchar', length: 40 },
    actor: { type: 'varchar', length: 60 },
    fromStatus: { name: 'from_status', type: 'varchar', length: 20, nullable: true },
    toStatus: { name: 'to_status', type: 'varchar', length: 20, nullable: true },
    data: { type: 'jsonb' },
    dedupeKey: { name: 'dedupe_key', type: 'varchar', length: 200, nullable: true, unique: true },
    occurredAt: { name: 'occurred_at', type: 'timestamptz', createDate: true },
  },
});

export const SupervisionNoticeEntity = new EntitySchema<SupervisionNotice>({
  name: 'SupervisionNotice',
  tableName: 'supervision_notices',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    caseId: { name: 'case_id', type: 'uuid' },
    number: { type: 'varchar', length: 40, unique: true },
    level: { type: 'varchar', length: 20 },
    trigger: { type: 'varchar', length: 20 },
    reason: { type: 'varchar', length: 800 },
    unitId: { name: 'unit_id', type: 'varchar', length: 40, nullable: true },
    replyDueAt: { name: 'reply_due_at', type: 'timestamptz', nullable: true },
    dedupeKey: { name: 'dedupe_key', type: 'varchar', length: 200, unique: true },
    issuedAt: { name: 'issued_at', type: 'timestamptz', createDate: true },
  },
});

export const AttachmentEntity = new EntitySchema<Attachment>({
  name: 'Attachment',
  tableName: 'attachments',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    caseId: { name: 'case_id', type: 'uuid' },
    filename: { type: 'varchar', length: 200 },
    mimeType: { name: 'mime_type', type: 'varchar', length: 100 },
    sizeBytes: { name: 'size_bytes', type: 'integer' },
    sha256: { type: 'char', length: 64 },
    content: { type: 'bytea', select: false },
    uploadedBy: { name: 'uploaded_by', type: 'varchar', length: 60 },
    uploadedAt: { name: 'uploaded_at', type: 'timestamptz', createDate: true },
  },
});

export const CalendarDayEntity = new EntitySchema<CalendarDay>({
  name: 'CalendarDay',
  tableName: 'calendar_days',
  columns: {
    day: { type: 'date', primary: true },
    kind: { type: 'varchar', length: 10 },
    name: { type: 'varchar', length: 60 },
  },
});

export const CalendarYearEntity = new EntitySchema<CalendarYear>({
  name: 'CalendarYear',
  tableName: 'calendar_years',
  columns: {
    year: { type: 'integer', primary: true },
    source: { type: 'varchar', length: 100 },
    loadedAt: { name: 'loaded_at', type: 'timestamptz', createDate: true },
  },
});

export const ENTITIES = [
  UnitEntity,
  UserEntity,
  WorkOrderEntity,
  CaseEventEntity,
  SupervisionNoticeEntity,
  AttachmentEntity,
  CalendarDayEntity,
  CalendarYearEntity,
];
