/** Chinese names of the guide reasons (引导), until the decision table and its API own them. */
export const GUIDE_REASON: Record<string, string> = {
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
