// Loads demo reports through the public API, so they pass the same validation as any citizen's.
// Fixed idempotency keys make this safe to run on every start: a second run adds nothing. A local
// database seeded by an older checkout may hold a demo report under the same key with other
// content (the request hash covers the report's stored form): that one is kept and counted as there.
// Usage: node scripts/seed-demo.mjs http://127.0.0.1:8787
const base = process.argv[2] ?? 'http://127.0.0.1:8787';

const demo = [
  { category: 'rumor', description: '微信群里流传“明天起全市停水三天”的消息，配了一张假冒自来水公司的通知图片。', links: ['https://weibo.com/demo/rumor-water'], platform: '微信' },
  { category: 'fraud', description: '有人在短视频评论区招募“刷单返利”，要求先垫付再返钱，已有人被骗。', links: ['https://v.douyin.com/demo-fraud/'], platform: '抖音', account: '高薪兼职日结' },
  { category: 'gambling', description: '某直播间引导观众下载网络赌博App，主播口播邀请码。', links: ['https://live.kuaishou.com/demo-gambling'], platform: '快手' },
  { category: 'red_light', description: '早高峰时段多辆电动自行车在路口闯红灯，险些与行人相撞。', district: 'nanshan', location: '科技路与创业路交叉口' },
  { category: 'spitting', description: '公交站台有人随地吐痰，站台地面很脏。', district: 'dongcheng', location: '人民公园公交站' },
  { category: 'cyberbullying', description: '一名中学生的照片被人恶意P图后在论坛传播，下面有大量辱骂评论。', links: ['https://tieba.baidu.com/p/demo-bullying'], platform: '百度贴吧', contact: { name: '李女士', phone: '13800138000' } },
];

let created = 0;
let older = 0;
for (const [i, report] of demo.entries()) {
  const body = { idempotency_key: `demo-seed-report-${String(i).padStart(4, '0')}`, ...report };
  const res = await fetch(`${base}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status === 201) created += 1;
  else if (res.status === 409) older += 1;
  else if (res.status !== 200) throw new Error(`demo report ${i}: HTTP ${res.status} ${await res.text()}`);
}
console.log(`==> demo data: ${created} new reports (${demo.length - created} already there${older ? `, ${older} from an older seed` : ''})`);
