/** What the workbench reads from the API: work orders, tasks, timeline entries and units, as the routes answer them. */
import type { CaseFlag, CaseStatus, Category, Channel, EventType, SupervisionLevel } from '../../core/vocabulary';

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
  leadUnitId: string | null;
  coUnitIds?: string[];
  /** 四 D 突发性、敏感性、群体性, marked at intake. */
  flags?: CaseFlag[];
  delegatedUnitId?: string | null;
  dueAt: string | null;
  dueBasis: string | null;
  dueProvisional: boolean;
  supervisionLevel: SupervisionLevel;
  overdue: boolean;
  dispatchCount: number;
  extensionCount?: number;
  closeReason: string | null;
  dispatchedAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

/** A user task as GET /api/tasks and the task form answer it; `name` is the diagram's name of the task. */
export interface Task {
  id: string;
  name: string;
  taskKey: string;
  assignee: string | null;
  created: string;
  due: string | null;
  processInstanceId: string;
  caseId: string | null;
  caseCode: string | null;
  caseStatus: CaseStatus | null;
  category: Category | null;
  overdue: boolean;
}

export interface CaseEvent {
  id: string;
  type: EventType | string;
  actor: string;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus | null;
  data: Record<string, unknown>;
  occurredAt: string;
}

export interface Notice {
  number: string;
  level: SupervisionLevel;
  reason: string;
  replyDueAt: string | null;
  issuedAt: string;
}

export interface Attachment {
  id: string;
  filename: string;
  mimeType: string;
  sizeBytes: number;
  uploadedBy: string;
  uploadedAt: string;
}

/** GET /api/cases/:id: the work order with its open tasks, timeline, notices and attachments. */
export interface CaseDetail extends WorkOrder {
  tasks: Task[];
  timeline: CaseEvent[];
  notices?: Notice[];
  attachments?: Attachment[];
  /** 一(四) 领导批示件: the leader's instruction; null for any other work order. */
  instruction?: { leaderName: string; text: string; dueAt: string | null } | null;
}

export interface Unit {
  id: string;
  name: string;
  level: 1 | 2 | 3;
  parentId: string | null;
  children?: Unit[];
}
