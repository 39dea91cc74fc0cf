/**
 * Realistic case history written straight into PostgreSQL (never through the engine, which would take days
 * for a million cases): work orders across all units and categories with deadlines, some overdue, extensions,
 * re-dispatches, written and on-site supervision notices, revisits recorded as the `task-completed` events the
 * API writes, and a timeline per case. Each batch is built in SQL from generate_series, so nothing but the
 * templates crosses the wire. Units differ in quality (a stable factor per unit), so rankings are not flat.
 */
import type { Client } from 'pg';
import { TIME_ZONE } from '../../core/vocabulary';

/** Typical complaints per lead unit, with the places they come from. */
const TEMPLATES: [string, string][] = [
  ['city-mgmt', '小区门口长期占道经营，晚上收摊后垃圾遍地，希望城管处理'],
  ['city-mgmt', '路边烧烤油烟扰民，夜里噪音很大影响休息'],
  ['city-mgmt', '人行道上乱停乱放共享单车，行人无法通行'],
  ['housing', '小区电梯经常故障停运，物业不维修'],
  ['housing', '楼顶漏水多次反映物业未处理，墙面发霉'],
  ['housing', '开发商逾期交房，购房合同约定的时间已过半年'],
  ['ecology', '附近工厂夜间偷排废气，气味刺鼻'],
  ['ecology', '河道有黑臭水体，夏天蚊虫很多'],
  ['market', '超市销售过期食品，要求退货被拒绝'],
  ['market', '预付卡健身房关门跑路，会员费无法退还'],
  ['hrss', '公司拖欠农民工工资三个月，老板失联'],
  ['hrss', '社保卡补办进度太慢，多次询问无结果'],
  ['education', '孩子入学划片问题，希望教育局给出明确答复'],
  ['education', '校外培训机构收费后停课，学费不退'],
  ['health', '医院挂号难，排队时间过长'],
  ['transport', '公交车到站不停，班次间隔太长'],
  ['transport', '出租车拒载绕路，乘客投诉司机'],
  ['planning', '小区旁边有人搭建违章建筑，占用消防通道'],
  ['water-resources', '河堤护坡破损，汛期存在安全隐患'],
  ['civil-affairs', '申请低保材料已交两个月没有回复'],
  ['power', '小区频繁停电，家用电器损坏'],
  ['power', '路灯不亮已经一周，夜间出行不安全'],
  ['water-supply', '自来水发黄有异味，无法饮用'],
  ['water-supply', '小区停水两天没有通知'],
  ['gas', '楼道里有很浓的燃气泄漏味道，担心爆炸'],
  ['gas', '燃气费账单异常，本月费用突然翻倍'],
  ['heating', '家里暖气不热，室温只有12度'],
  ['heating', '暖气管道漏水，楼下被淹'],
  ['xinhua', '老旧小区改造施工扬尘严重，未做围挡'],
  ['weidong', '农贸市场周边交通拥堵，摊贩占道'],
  ['zhanhe', '村里道路坑洼不平，雨天无法通行'],
  ['shilong', '集中供暖未覆盖，冬季取暖困难'],
  ['wugang', '景区门票乱收费，与公示价格不符'],
  ['ruzhou', '农村饮水工程水压不足，高层无水'],
  ['baofeng', '乡村公路养护不到位，路面塌陷'],
  ['yexian', '秸秆焚烧烟雾弥漫，影响出行'],
  ['lushan', '山区信号差，手机无法通话'],
  ['jiaxian', '拆迁补偿款迟迟未发放'],
  ['demo-zone', '新建小区配套学校迟迟未开工'],
  ['hitech', '企业用工招聘存在就业歧视'],
];

const PLACES = [
  '新华区矿工路',
  '新华区中兴路',
  '新华区西市场街',
  '卫东区东安路',
  '卫东区优越路',
  '卫东区五一路',
  '湛河区开源路',
  '湛河区南环路',
  '石龙区龙兴街',
  '舞钢市垭口大道',
  '汝州市丹阳路',
  '宝丰县人民路',
  '叶县昆阳大道',
  '鲁山县鲁阳大道',
  '郏县龙山大道',
  '新城区长安大道',
  '高新区神马大道',
  '新华区建设路',
  '卫东区建设路',
  '湛河区曙光街',
];

const NAMES = ['张先生', '李女士', '王先生', '刘女士', '陈先生', '杨女士', '赵先生', '黄女士', '周先生', '吴女士'];

/** One batch of `size` cases, the i-th created at start + (offset + i) / total · span. */
const BATCH_SQL = `
CREATE TEMP TABLE h ON COMMIT DROP AS
WITH base AS (
  SELECT gen_random_uuid() AS id, nextval('work_order_code_seq') AS seq,
         $3::timestamptz + (($1::bigint + g)::float8 / $2::bigint) * ($4::timestamptz - $3::timestamptz) AS created_at,
         $5::text[] AS units, $6::text[] AS contents, $7::text[] AS places, $8::text[] AS names,
         random() AS r_kind, random() AS r_tpl, random() AS r_place, random() AS r_cat, random() AS r_dur, random() AS r_ext,
         random() AS r_redispatch, random() AS r_visit, random() AS r_solved, random() AS r_sat, random() AS r_true, random() AS r_onsite
    FROM generate_series(1, $9::int) g
), picked AS (
  SELECT b.*, 1 + floor(r_tpl * array_length(contents, 1))::int AS t,
         CASE WHEN r_cat < 0.10 THEN 'A' WHEN r_cat < 0.80 THEN 'B' WHEN r_cat < 0.95 THEN 'C' ELSE 'D' END AS category,
         CASE WHEN r_kind < 0.08 THEN 'answered' WHEN r_kind < 0.12 THEN 'guided' ELSE 'dispatched' END AS path
    FROM base b
), timed AS (
  SELECT p.*, units[t] AS unit, contents[t] AS content,
         places[1 + floor(r_place * array_length(places, 1))::int] || (1 + floor(r_place * 997)::int % 300) || '号' AS address,
         (abs(hashtext(units[t])) % 100) / 100.0 AS quality,
         CASE category WHEN 'A' THEN interval '24 hours' WHEN 'D' THEN interval '24 hours' WHEN 'B' THEN interval '7 days' ELSE interval '20 days' END AS clock
    FROM picked p
), cases AS (
  SELECT t.*,
         CASE WHEN path = 'dispatched' THEN created_at + interval '1 hour' * (0.2 + r_kind * 3) END AS dispatched_at,
         r_dur * 1.1 + (1 - quality) * 0.3 AS load
    FROM timed t
)
SELECT c.*, dispatched_at + clock + CASE WHEN r_ext < 0.05 THEN interval '5 days' ELSE interval '0' END AS due_at,
       dispatched_at + clock * load + CASE WHEN r_ext < 0.05 THEN interval '5 days' * load ELSE interval '0' END AS answered_at,
       load > 1 AS overdue,
       CASE WHEN r_ext < 0.05 THEN 1 ELSE 0 END AS extension_count,
       CASE WHEN path <> 'dispatched' THEN 0 WHEN r_redispatch < 0.04 THEN 3 WHEN r_redispatch < 0.10 THEN 2 ELSE 1 END AS dispatch_count
  FROM cases c`;

const INSERT_SQL = [
  `ALTER TABLE h ADD COLUMN closed_at timestamptz, ADD COLUMN status varchar(20)`,
  `UPDATE h SET closed_at = CASE WHEN path = 'dispatched' THEN answered_at + interval '1 day' ELSE created_at + interval '10 minutes' END`,
  `UPDATE h SET status = CASE WHEN path <> 'dispatched' THEN path WHEN closed_at < now() THEN 'closed' ELSE 'dispatched' END,
                closed_at = CASE WHEN path <> 'dispatched' OR closed_at < now() THEN closed_at END`,
  `INSERT INTO work_orders(id, code, status, channel, citizen_name, citizen_phone, address, content, category, suggested_category, lead_unit_id,
                           due_at, due_basis, supervision_level, overdue, dispatch_count, extension_count, close_reason, dispatched_at,
                           created_by, created_at, updated_at, closed_at)
   SELECT id, '12345-' || to_char(created_at AT TIME ZONE '${TIME_ZONE}', 'YYYYMMDD') || '-' || lpad(seq::text, 7, '0'),
          status, (ARRAY['phone','phone','phone','web','wechat','app'])[1 + (seq % 6)::int], names[1 + (seq % array_length(names, 1))::int],
          '13' || lpad((seq * 7919 % 1000000000)::text, 9, '0'), address, content,
          CASE WHEN path = 'dispatched' THEN category END, category, CASE WHEN path = 'dispatched' THEN unit END,
          CASE WHEN path = 'dispatched' THEN due_at END, CASE WHEN path = 'dispatched' THEN '历史数据' END,
          CASE WHEN NOT overdue OR path <> 'dispatched' THEN 'none' WHEN r_onsite < 0.2 THEN 'onsite' ELSE 'written' END,
          overdue AND path = 'dispatched' AND status <> 'closed', dispatch_count, extension_count,
          CASE WHEN status = 'closed' THEN 'revisited' END, dispatched_at, 'history', created_at, coalesce(closed_at, created_at), closed_at
     FROM h`,
  `INSERT INTO case_events(case_id, type, actor, from_status, to_status, data, occurred_at)
   SELECT id, 'registered', 'history', NULL, 'registered', jsonb_build_object('channel', 'phone'), created_at FROM h
   UNION ALL
   SELECT id, 'status', 'system', 'registered', path, '{}'::jsonb, coalesce(dispatched_at, closed_at) FROM h
   UNION ALL
   SELECT id, 'overdue', 'system', NULL, NULL, jsonb_build_object('dueAt', due_at, 'leadUnitId', unit), due_at FROM h WHERE path = 'dispatched' AND overdue AND due_at < now()
   UNION ALL
   SELECT id, 'task-completed', 'office', NULL, NULL,
          jsonb_build_object('taskKey', 'revisit', 'taskName', '回访', 'variables', jsonb_build_object('revisit',
            CASE WHEN r_visit < 0.06 THEN jsonb_build_object('reached', false)
                 ELSE jsonb_build_object('reached', true,
                        'solved', r_solved < 0.65 + 0.3 * quality - CASE WHEN overdue THEN 0.2 ELSE 0 END,
                        'processSatisfaction', CASE WHEN r_sat < 0.55 + 0.35 * quality THEN 'satisfied' WHEN r_sat < 0.92 THEN 'basic' ELSE 'unsatisfied' END,
                        'resultSatisfaction', CASE WHEN r_sat < 0.50 + 0.35 * quality THEN 'satisfied' WHEN r_sat < 0.90 THEN 'basic' ELSE 'unsatisfied' END,
                        'truthful', r_true > 0.03, 'comments', '') END)),
          closed_at - interval '1 hour'
     FROM h WHERE status = 'closed' AND path = 'dispatched'
   UNION ALL
   SELECT id, 'status', 'system', 'revisiting', 'closed', '{}'::jsonb, closed_at FROM h WHERE status = 'closed' AND path = 'dispatched'`,
  `INSERT INTO supervision_notices(case_id, number, level, trigger, reason, unit_id, reply_due_at, dedupe_key, issued_at)
   SELECT id, '平热督〔' || to_char(due_at, 'YYYY') || '〕H' || lpad(nextval('supervision_notice_seq')::text, 7, '0'),
          lvl, 'overdue', CASE lvl WHEN 'written' THEN '超期未办结，书面督办（R6.1）' ELSE '书面督办后仍未办结，现场督办（R6.2）' END,
          unit, due_at + interval '3 days', 'history:' || id || ':' || lvl, due_at + CASE lvl WHEN 'written' THEN interval '1 hour' ELSE interval '4 days' END
     FROM h CROSS JOIN LATERAL (SELECT unnest(CASE WHEN r_onsite < 0.2 THEN ARRAY['written', 'onsite'] ELSE ARRAY['written'] END) AS lvl) l
    WHERE path = 'dispatched' AND overdue AND due_at < now()`,
];

export interface HistoryOptions {
  count: number;
  years: number;
  batch?: number;
  progress?: (done: number, total: number) => void;
}

/** Writes `count` cases spread over the last `years` years, in batches of one transaction each. */
export async function generateHistory(client: Client, { count, years, batch = 50_000, progress }: HistoryOptions): Promise<void> {
  const to = new Date();
  const from = new Date(to.getTime() - years * 365 * 86_400_000);
  const [units, contents] = [TEMPLATES.map((t) => t[0]), TEMPLATES.map((t) => t[1])];
  for (let done = 0; done < count; done += batch) {
    const size = Math.min(batch, count - done);
    await client.query('BEGIN');
    try {
      await client.query(BATCH_SQL, [done, count, from, to, units, contents, PLACES, NAMES, size]);
      for (const sql of INSERT_SQL) await client.query(sql);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK');
      throw e;
    }
    progress?.(done + size, count);
  }
  // A bulk load leaves pages without hint bits or visibility: vacuum now rather than under the first readers.
  await client.query('VACUUM (ANALYZE) work_orders, case_events, supervision_notices');
}
