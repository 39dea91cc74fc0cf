/**
 * Seeds the Pingdingshan three-level network (R1.4) and, in demo mode only, the demo accounts.
 * Idempotent: rows that exist are left as they are, so an admin's later edits survive a restart.
 */
import bcrypt from 'bcryptjs';
import type { DataSource } from 'typeorm';
import type { Role, UnitKind, UnitLevel } from './entities';

interface UnitSeed {
  id: string;
  name: string;
  level: UnitLevel;
  kind: UnitKind;
  parentId: string | null;
}

const OFFICE = 'hotline-office';

const level2: [string, string, UnitKind][] = [
  ['xinhua', '新华区人民政府', 'district'],
  ['weidong', '卫东区人民政府', 'district'],
  ['zhanhe', '湛河区人民政府', 'district'],
  ['shilong', '石龙区人民政府', 'district'],
  ['wugang', '舞钢市人民政府', 'district'],
  ['ruzhou', '汝州市人民政府', 'district'],
  ['baofeng', '宝丰县人民政府', 'district'],
  ['yexian', '叶县人民政府', 'district'],
  ['lushan', '鲁山县人民政府', 'district'],
  ['jiaxian', '郏县人民政府', 'district'],
  ['demo-zone', '城乡一体化示范区管委会', 'district'],
  ['hitech', '高新区管委会', 'district'],
  ['city-mgmt', '市城市管理局', 'department'],
  ['housing', '市住房和城乡建设局', 'department'],
  ['ecology', '市生态环境局', 'department'],
  ['market', '市市场监督管理局', 'department'],
  ['hrss', '市人力资源和社会保障局', 'department'],
  ['education', '市教育局', 'department'],
  ['health', '市卫生健康委员会', 'department'],
  ['transport', '市交通运输局', 'department'],
  ['planning', '市自然资源和规划局', 'department'],
  ['water-resources', '市水利局', 'department'],
  ['civil-affairs', '市民政局', 'department'],
  ['power', '国网平顶山供电公司', 'utility'],
  ['water-supply', '平顶山市自来水有限公司', 'utility'],
  ['gas', '平顶山市燃气有限公司', 'utility'],
  ['heating', '平顶山市热力有限公司', 'utility'],
];

const level3: [string, string, string][] = [
  ['xinhua-kuanggonglu', '矿工路街道办事处', 'xinhua'],
  ['xinhua-zhongxinglu', '中兴路街道办事处', 'xinhua'],
  ['xinhua-xishichang', '西市场街道办事处', 'xinhua'],
  ['weidong-donganlu', '东安路街道办事处', 'weidong'],
  ['weidong-youyuelu', '优越路街道办事处', 'weidong'],
  ['weidong-wuyilu', '五一路街道办事处', 'weidong'],
];

export const NETWORK: UnitSeed[] = [
  { id: OFFICE, name: '平顶山市市长热线办公室', level: 1, kind: 'office', parentId: null },
  ...level2.map(([id, name, kind]) => ({ id, name, level: 2 as const, kind, parentId: OFFICE })),
  ...level3.map(([id, name, parentId]) => ({ id, name, level: 3 as const, kind: 'street' as const, parentId })),
];

export const DEMO_PASSWORD = 'hotline-demo';

export interface DemoAccount {
  username: string;
  displayName: string;
  roles: Role[];
  unitId: string | null;
}

export function demoAccounts(): DemoAccount[] {
  return [
    { username: 'admin', displayName: '系统管理员', roles: ['admin'], unitId: OFFICE },
    { username: 'operator', displayName: '话务员', roles: ['operator'], unitId: OFFICE },
    { username: 'office', displayName: '热线办（审核/回访/督办）', roles: ['office'], unitId: OFFICE },
    ...NETWORK.filter((u) => u.level > 1).map((u) => ({ username: u.id, displayName: `${u.name}经办人`, roles: ['unit_handler'] as Role[], unitId: u.id })),
    ...NETWORK.filter((u) => u.level === 2).map((u) => ({
      username: `${u.id}-leader`,
      displayName: `${u.name}分管领导`,
      roles: ['unit_leader'] as Role[],
      unitId: u.id,
    })),
  ];
}

export async function seedNetwork(ds: DataSource): Promise<void> {
  for (const [i, u] of NETWORK.entries()) {
    await ds.query(`INSERT INTO units(id, name, level, kind, parent_id, sort) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`, [
      u.id,
      u.name,
      u.level,
      u.kind,
      u.parentId,
      i,
    ]);
  }
}

export async function seedDemoAccounts(ds: DataSource): Promise<void> {
  const hash = await bcrypt.hash(DEMO_PASSWORD, 10);
  for (const a of demoAccounts()) {
    await ds.query(`INSERT INTO users(username, password_hash, display_name, roles, unit_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING`, [
      a.username,
      hash,
      a.displayName,
      a.roles,
      a.unitId,
    ]);
  }
}

/** The first administrator of a production installation; does nothing once any admin exists. */
export async function seedInitialAdmin(ds: DataSource, password: string): Promise<void> {
  const [{ admins }] = (await ds.query(`SELECT count(*)::int AS admins FROM users WHERE 'admin' = ANY(roles)`)) as { admins: number }[];
  if (admins > 0) return;
  await ds.query(`INSERT INTO users(username, password_hash, display_name, roles, unit_id) VALUES ('admin', $1, '系统管理员', ARRAY['admin'], $2)`, [
    await bcrypt.hash(password, 10),
    OFFICE,
  ]);
}
