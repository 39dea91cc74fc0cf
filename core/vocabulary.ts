/**
 * The one vocabulary of the code (started in docs/policy/VOCABULARY.md): every list the server, the workers
 * and both browser apps share, each defined once with its Chinese label. Identifiers stay English; screens
 * show the label. Pure data with no imports, so the web apps bundle it as it is.
 *
 * What policy owns is not here: a task's Chinese name is its BPMN `name`, deadlines, ladders and guide reasons
 * live in the decision tables under bpmn/.
 */

/** Each key of a label map, in its written order, typed. */
const keysOf = <K extends string>(map: Record<K, string>): readonly K[] => Object.freeze(Object.keys(map) as K[]);

/** The city's time zone: every day, week, month and deadline is counted in Beijing time (UTC+8, no DST). */
export const TIME_ZONE = 'Asia/Shanghai';
export const BEIJING_OFFSET = '+08:00';
export const BEIJING_OFFSET_MS = 8 * 3600_000;

/** The Beijing calendar day of an instant, as 2026-11-20. */
export const beijingDay = (at: Date): string => new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
/** The Beijing day and minute of an instant, as 2026-11-20 17:30. */
export const beijingMinute = (at: Date): string => new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');

/** A work order's status (工单状态). */
export const CASE_STATUS = {
  registered: '已受理',
  answered: '已即办',
  guided: '已引导',
  dispatched: '已交办',
  returned: '已退回',
  reviewing: '待审核',
  revisiting: '回访中',
  closed: '已办结',
  transferred: '已移交',
} as const;
export type CaseStatus = keyof typeof CASE_STATUS;
export const CASE_STATUSES = keysOf(CASE_STATUS);
/** Statuses of a work order still being handled: its clock runs and it may be supervised. */
export const OPEN_STATUSES: readonly CaseStatus[] = ['registered', 'dispatched', 'returned', 'reviewing', 'revisiting'];
/** Statuses that end a work order: it has left the hotline's hands. */
export const FINAL_STATUSES: readonly CaseStatus[] = ['answered', 'guided', 'closed', 'transferred'];
/** Statuses that set a work order's closing instant (transferred cases are closed by the receiving organ). */
export const CLOSING_STATUSES: readonly CaseStatus[] = ['answered', 'guided', 'closed'];

/** The four categories of R4 with their clocks set in case-clock.dmn. */
export const CATEGORY = { A: 'A 即办', B: 'B 一般', C: 'C 重要', D: 'D 重要紧急' } as const;
export type Category = keyof typeof CATEGORY;
export const CATEGORIES = keysOf(CATEGORY);

/** What the office marks at intake for 四 D 第一时间报告: a flagged work order is reported at once to the office's leaders. */
export const CASE_FLAG = { sudden: '突发性', sensitive: '敏感性', mass: '群体性' } as const;
export type CaseFlag = keyof typeof CASE_FLAG;
export const CASE_FLAGS = keysOf(CASE_FLAG);

/** How a call reached the hotline (受理渠道); `leader-instruction` is a leader's written 批示件 (一(四)), not a call. */
export const CHANNEL = {
  phone: '电话',
  web: '网站',
  wechat: '微信',
  app: '客户端',
  letter: '来信',
  transfer: '转办',
  'leader-instruction': '领导批示',
} as const;
export type Channel = keyof typeof CHANNEL;
export const CHANNELS = keysOf(CHANNEL);
/** 一(四) 领导批示件: registered with the leader's instruction; the citizen and the address are optional. */
export const INSTRUCTION_CHANNEL = 'leader-instruction' satisfies Channel;

/** A person's role in the system. */
export const ROLE = { admin: '系统管理员', operator: '话务员', office: '热线办', unit_handler: '单位经办人', unit_leader: '单位领导' } as const;
export type Role = keyof typeof ROLE;
export const ROLES = keysOf(ROLE);

/** Named groups of roles, each the one answer to one question the code asks. */
export const ROLE_GROUPS = {
  /** Level-1 staff (hotline office, operators, admins): see every work order and work under their role's candidate group. */
  cityWide: ['admin', 'operator', 'office'],
  /** Staff of one unit: see their unit's work orders and work under the unit's candidate group. */
  unitStaff: ['unit_handler', 'unit_leader'],
  /** Register calls (POST /api/cases). */
  intake: ['admin', 'operator', 'office'],
  /** Read every unit's row of the assessment, not only their own. */
  assessment: ['office', 'admin'],
  /** Start a 不定期点评 and review a compiled report before it is published: the hotline office's own work. */
  reportReview: ['office'],
  /** Read the assessment and the dashboard at all (units see their own row). */
  reportReaders: ['office', 'admin', 'unit_handler', 'unit_leader'],
  /** Export work orders with the citizens' personal data in bulk (CSV, audited). */
  caseExport: ['office', 'admin'],
  /** Flag a conduct problem at any step and transfer the case (R6.4), raise a case's supervision level by hand (六): the hotline office's own decision. */
  supervision: ['office'],
  /** Deploy diagrams, manage users, read the audit log. */
  administration: ['admin'],
} as const satisfies Record<string, readonly Role[]>;
export type RoleGroup = keyof typeof ROLE_GROUPS;

/** Whether any of a person's roles belongs to a named group. */
export const inGroup = (roles: readonly string[], group: RoleGroup): boolean => roles.some((r) => (ROLE_GROUPS[group] as readonly string[]).includes(r));

/** The candidate group of what the diagram reserves for a unit's leadership (单位领导签发). */
export const leaderGroup = (unitId: string): string => `leader:${unitId}`;

/** The kinds of unit in the three-level network (R1). */
export const UNIT_KIND = { office: '热线办', district: '县（市、区）', department: '市直部门', utility: '公用企业', street: '街道（乡镇）' } as const;
export type UnitKind = keyof typeof UNIT_KIND;
export type UnitLevel = 1 | 2 | 3;

/** The supervision ladder (R6), `none` below it. */
export const SUPERVISION_LEVEL = { none: '未督办', written: '书面督办', onsite: '现场督办', key: '重点督办', transferred: '移交监察' } as const;
export type SupervisionLevel = keyof typeof SUPERVISION_LEVEL;
/** The ladder's steps in the order a case climbs them. */
export const SUPERVISION_LADDER: readonly Exclude<SupervisionLevel, 'none'>[] = ['written', 'onsite', 'key', 'transferred'];
/** Where a level stands on the ladder: `none` is -1, `written` 0 … `transferred` 3; a higher rank is a stronger level. */
export const supervisionRank = (level: string): number => (SUPERVISION_LADDER as readonly string[]).indexOf(level);
/** Reasons the office commonly gives for raising a case's supervision level by hand (六); any other text is accepted too. */
export const SUPERVISION_REQUEST_REASONS: readonly string[] = ['热点难点问题', '群众反映集中', '涉及面广', '社会关注度高'];

/** Where a case goes when it is transferred (R6.4 移交): the office chooses. */
export const TRANSFER_TARGET = { 'supervisory-organ': '监察机关', 'conduct-office': '市委干部作风大整顿领导小组办公室' } as const;
export type TransferTarget = keyof typeof TRANSFER_TARGET;
export const TRANSFER_TARGETS = keysOf(TRANSFER_TARGET);

/** A revisit's satisfaction answer (R5.5). */
export const SATISFACTION = { satisfied: '满意', basic: '基本满意', unsatisfied: '不满意' } as const;
export type Satisfaction = keyof typeof SATISFACTION;
export const SATISFACTIONS = keysOf(SATISFACTION);
/** Answers counted as satisfied in the satisfaction rates (R7.4). */
export const SATISFIED: readonly Satisfaction[] = ['satisfied', 'basic'];

/** How the office disposes of a call at dispatch (R5.3). */
export const DISPOSITION = { answer: '即办答复', dispatch: '交办', guide: '引导' } as const;
export type Disposition = keyof typeof DISPOSITION;

/** Why a work order closed other than by its result. */
export const CLOSE_REASON = { unreachable: '多次回访未联系到反映人' } as const;

/** Assessment reports (R7.4). */
export const REPORT_KIND = { weekly: '周分析', monthly: '月通报', annual: '年终考核', adhoc: '不定期点评' } as const;
export type ReportKind = keyof typeof REPORT_KIND;
export const REPORT_KINDS = keysOf(REPORT_KIND);
export const SCHEDULED_REPORT_KINDS: readonly Exclude<ReportKind, 'adhoc'>[] = ['weekly', 'monthly', 'annual'];

/** The four lists of 典型案例 in every report, with their headings. */
export const TYPICAL_KIND = { escalated: '升级督办', overdue: '超期办理', redispatched: '多次交办', dissatisfied: '回访不满意或不属实' } as const;
export type TypicalKind = keyof typeof TYPICAL_KIND;
export const TYPICAL_KINDS = keysOf(TYPICAL_KIND);

/** What a timeline entry records (case_events.type). */
export const EVENT_TYPE = {
  registered: '受理登记',
  'category-suggested': '分类建议',
  'task-completed': '提交任务',
  'deadline-set': '确定办理期限',
  status: '状态变更',
  overdue: '办理超期',
  attachment: '上传附件',
  supervision: '督办',
  'supervision-requested': '热线办提级督办',
  'supervision-request-lapsed': '提级督办未送达',
  'emergency-notice': '紧急事项报送',
  'extension-requested': '延期申请',
  'extension-refused': '延期申请驳回',
  'revisit-unreached': '回访未联系上',
  'co-input-reminder': '配合意见催办',
  'first-response': '首次响应',
  'first-response-overdue': '首次响应超时',
} as const;
export type EventType = keyof typeof EVENT_TYPE;

/** The columns of a history import file (历史工单导入), English header → Chinese header; either names a column. */
export const IMPORT_COLUMN = {
  content: '诉求内容',
  lead_unit: '承办单位',
  received_at: '受理时间',
  closed_at: '办结时间',
  address: '地址',
  category: '分类',
  citizen_name: '反映人',
  citizen_phone: '联系电话',
  channel: '来源渠道',
} as const;
export type ImportColumn = keyof typeof IMPORT_COLUMN;
export const IMPORT_COLUMNS = keysOf(IMPORT_COLUMN);
/** Columns a history import file must have. */
export const IMPORT_REQUIRED_COLUMNS: readonly ImportColumn[] = ['content', 'lead_unit'];

/** A history import's state. */
export const IMPORT_STATUS = { running: '导入中', done: '已完成', failed: '失败' } as const;
export type ImportStatus = keyof typeof IMPORT_STATUS;
export const IMPORT_STATUSES = keysOf(IMPORT_STATUS);
/** Where a running history import stands. */
export const IMPORT_STAGE = { reading: '读取文件', checking: '逐行检查', inserting: '写入工单', finished: '结束' } as const;
export type ImportStage = keyof typeof IMPORT_STAGE;
export const IMPORT_STAGES = keysOf(IMPORT_STAGE);

/** A phone number as citizens and units give it: digits, optional leading +, dashes inside (0375-2345678). */
export const PHONE_PATTERN = '\\+?[0-9][0-9-]{4,18}[0-9]';

/** The label of a key in one of the maps above; an unknown key shows as itself, a missing one as the fallback. */
export function label<M extends Record<string, string>>(map: M, key: string | null | undefined, fallback = '—'): string {
  if (key === null || key === undefined) return fallback;
  return (map as Record<string, string>)[key] ?? key;
}

/** A training run of the dispatch model (派单模型). */
export const DISPATCH_MODEL_STATUS = { training: '训练中', done: '已完成', failed: '失败' } as const;
export type DispatchModelStatus = keyof typeof DISPATCH_MODEL_STATUS;
export const DISPATCH_MODEL_STATUSES = keysOf(DISPATCH_MODEL_STATUS);
/** What started a training run. */
export const DISPATCH_MODEL_TRIGGER = { manual: '管理员按需', nightly: '每晚定时' } as const;
export type DispatchModelTrigger = keyof typeof DISPATCH_MODEL_TRIGGER;
export const DISPATCH_MODEL_TRIGGERS = keysOf(DISPATCH_MODEL_TRIGGER);
