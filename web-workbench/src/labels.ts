/** Chinese names for the process vocabulary (shared/policy/VOCABULARY.md); identifiers stay English. */
export const STATUS = {
  registered: '已受理',
  answered: '已即办',
  guided: '已引导',
  dispatched: '已交办',
  returned: '已退回',
  reviewing: '待审核',
  revisiting: '回访中',
  closed: '已办结',
  transferred: '已移交',
};

export const CATEGORY = { A: 'A 即办', B: 'B 一般', C: 'C 重要', D: 'D 重要紧急' };

export const CHANNEL = { phone: '电话', web: '网站', wechat: '微信', app: '客户端', letter: '来信', transfer: '转办' };

export const SUPERVISION = { none: '未督办', written: '书面督办', onsite: '现场督办', key: '重点督办', transferred: '移交监察' };

export const TASK = {
  dispatch: '分类交办',
  handle: '承办单位办理',
  handleDelegated: '下级单位办理',
  coInput: '配合单位意见',
  plan: '报送办理计划',
  decideExtension: '审批延期申请',
  decideReturn: '研究退回意见',
  review: '审核办理结果',
  revisit: '回访',
  supervisionReply: '督办回复',
  onsitePlan: '现场督办工作方案',
  leaderInstruction: '市政府领导批示',
};

export const CLOSE_REASON = { unreachable: '多次回访未联系到反映人' };

export const DISPOSITION = { answer: '即办答复', dispatch: '交办', guide: '引导' };

export const GUIDE_REASON = {
  party: '党委事务',
  npc: '人大事务',
  cppcc: '政协事务',
  military: '军队事务',
  supervision: '监察机关事务',
  judicial: '司法机关事务',
  'mass-org': '群团组织事务',
  'legal-process': '应通过法律程序解决',
  petition: '信访事项',
};

export const SATISFACTION = { satisfied: '满意', basic: '基本满意', unsatisfied: '不满意' };

export const ROLE = { admin: '系统管理员', operator: '话务员', office: '热线办', unit_handler: '单位经办人', unit_leader: '单位领导' };

export const label = (map, key, fallback = '—') => (key === null || key === undefined ? fallback : (map[key] ?? key));
