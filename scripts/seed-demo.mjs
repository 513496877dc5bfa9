// Loads the demo data through the public and staff APIs, so it passes the same validation as real
// data: citizens' reports (some from posters, whose scans are counted), and — when the demo staff
// accounts exist (scripts/demo-accounts.mjs, local database only) — the demo office network
// (scripts/demo-network.mjs), posters at its offices, a lived-in history of cases in every state
// (accepted, transferred, returned, extended, consulted, referred between counties, escalated to a
// city, delegated to a street and reviewed, closed and rated, rejected, merged, reopened) and
// published refutations linked to their cases.
//
// Every case's history is made now, through the API; then, for the local database only, its clock
// is moved back (one SQL batch): each case starts a number of days ago and its events follow at the
// story's intervals, so the figures' months and deadlines mean something.
//
// Safe to run on every start: fixed idempotency keys make a second run add nothing, and a case's
// history is only written the run its report is first filed.
// Usage: node scripts/seed-demo.mjs http://127.0.0.1:8787
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROVINCE, OFFICES, accountOf } from './demo-network.mjs';

const base = process.argv[2] ?? 'http://127.0.0.1:8787';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------
// The stories. Each is a report (filed by a citizen, at an office or through a poster) and what
// happened to it: steps of [who, action, hours after the previous step]. `who` is `h:OFFICE` (that
// office's handler), `s:OFFICE` (its supervisor), `police` (the police liaison) or `reporter`.
// A value `'+Nd'` in an action is N days from now; `'due+Nd'` N days after the case's due time;
// `'@key'` the case id of another story.

const link = (s) => [`https://weibo.com/demo/${s}`];
const STORIES = [
  // The six reports a newcomer has always seen, now handled.
  { key: 'demo-seed-report-0000', days: 120, office: 'root', category: 'rumor', description: '微信群里流传“明天起全市停水三天”的消息，配了一张假冒自来水公司的通知图片。', links: link('rumor-water'), platform: '微信',
    steps: [['h:root', { action: 'accept' }, 3], ['h:root', { action: 'resolve', reply: '经核实，该消息系谣言，自来水公司未发布停水通知。已联系平台删除相关内容，并发布辟谣信息。' }, 30], ['reporter', { rating: 'satisfied' }, 20]] },
  { key: 'demo-seed-report-0001', days: 95, office: 'root', category: 'fraud', description: '有人在短视频评论区招募“刷单返利”，要求先垫付再返钱，已有人被骗。', links: ['https://v.douyin.com/demo-fraud/'], platform: '抖音', account: '高薪兼职日结',
    steps: [['h:root', { action: 'accept' }, 1], ['h:root', { action: 'transfer', department: 'police' }, 2], ['police', { action: 'feedback', text: '已立案侦查，涉案账号已封禁。' }, 70], ['h:root', { action: 'resolve', reply: '公安机关已立案侦查，涉案账号已被平台封禁。感谢您的举报。' }, 5], ['reporter', { rating: 'satisfied', comment: '处理很快' }, 30]] },
  { key: 'demo-seed-report-0002', days: 40, office: 'root', category: 'gambling', description: '某直播间引导观众下载网络赌博App，主播口播邀请码。', links: ['https://live.kuaishou.com/demo-gambling'], platform: '快手',
    steps: [['h:root', { action: 'accept' }, 5], ['h:root', { action: 'transfer', department: 'police' }, 4], ['police', { action: 'extend', until: 'due+5d', reason: '需调取平台后台数据，申请延期。' }, 90], ['s:root', { action: 'grant_extension', note: '同意延期五天。' }, 6]] },
  { key: 'demo-seed-report-0003', days: 2, office: 'linhai_dongcheng', category: 'red_light', description: '早高峰时段多辆电动自行车在路口闯红灯，险些与行人相撞。', district: 'dongcheng', location: '科技路与创业路交叉口', steps: [] },
  { key: 'demo-seed-report-0004', days: 1, office: 'dongcheng_renmin', category: 'spitting', description: '公交站台有人随地吐痰，站台地面很脏。', district: 'dongcheng', location: '人民公园公交站', steps: [] },
  { key: 'demo-seed-report-0005', days: 12, office: 'root', category: 'cyberbullying', description: '一名中学生的照片被人恶意P图后在论坛传播，下面有大量辱骂评论。', links: ['https://tieba.baidu.com/p/demo-bullying'], platform: '百度贴吧', contact: { name: '李女士', phone: '13800138000' },
    steps: [['h:root', { action: 'accept' }, 2], ['h:root', { action: 'consult', departments: ['education', 'police'], question: '涉事学生身份已确认，是否需要学校介入并对发帖人立案？', due_at: '+3d' }, 3], ['police', { action: 'opinion', text: '建议先由平台删除并固定证据，发帖人已初步查明。' }, 20]] },

  // Dongcheng district: a county's everyday work.
  { key: 'demo-seed-report-net-dc-01', days: 150, office: 'linhai_dongcheng', category: 'rumor_food', description: '网传东城区某品牌奶茶店使用过期原料，配有模糊视频，店名清晰可见。', links: link('dc-milk-tea'), platform: '微博',
    steps: [['h:linhai_dongcheng', { action: 'accept' }, 4], ['h:linhai_dongcheng', { action: 'transfer', department: 'market' }, 3], ['h:linhai_dongcheng', { action: 'resolve', reply: '市场监管部门现场检查未发现过期原料，视频系他店旧视频移花接木，已要求平台标注辟谣。' }, 96], ['reporter', { rating: 'basically_satisfied' }, 50]] },
  { key: 'demo-seed-report-net-dc-02', days: 130, office: 'linhai_dongcheng', category: 'fraud_impersonation', description: '有人冒充东城区社保局工作人员打电话，称社保卡异常需转账到“安全账户”。', links: link('dc-fake-social'), platform: '电话',
    steps: [['h:linhai_dongcheng', { action: 'accept' }, 2], ['h:linhai_dongcheng', { action: 'assist', agency: 'police', check: '请核查来电号码归属及关联账户。', due_at: '+3d' }, 2], ['police', { action: 'assist_reply', text: '号码系境外改号，已列入拦截名单。', reference: 'DC2026-0412' }, 40], ['h:linhai_dongcheng', { action: 'resolve', reply: '公安机关已核查，涉案号码已被拦截。请提醒家人：政府部门不会要求转账到“安全账户”。' }, 8], ['reporter', { rating: 'satisfied' }, 24]] },
  { key: 'demo-seed-report-net-dc-03', days: 110, office: 'linhai_dongcheng', category: 'environment_noise', description: '东城区建材市场夜间装卸货噪音很大，凌晨一两点还在作业。', district: 'dongcheng', location: '东城建材市场北门',
    steps: [['h:linhai_dongcheng', { action: 'accept' }, 6], ['h:linhai_dongcheng', { action: 'transfer', department: 'ecology' }, 5], ['h:linhai_dongcheng', { action: 'resolve', reply: '生态环境部门已约谈市场管理方，夜间22时后禁止装卸。' }, 190], ['reporter', { rating: 'dissatisfied', comment: '还是有噪音' }, 30], ['reporter', { reopen: '晚上还是在装卸，没有改善。' }, 1]] },
  { key: 'demo-seed-report-net-dc-04', days: 85, office: 'linhai_dongcheng', category: 'vulgar', description: '某本地生活号发布低俗擦边短视频吸粉，评论区有未成年人。', links: link('dc-vulgar'), platform: '视频号',
    steps: [['h:linhai_dongcheng', { action: 'reject', reason: 'duplicate', text: '与此前举报为同一账号，已在处理中。' }, 10]] },
  { key: 'demo-seed-report-net-dc-05', days: 70, office: 'linhai_dongcheng', category: 'rumor_disaster', description: '网传“东城区明日将发生地震”，附伪造的地震局截图，引起居民恐慌。', links: link('dc-quake'), platform: '微信',
    steps: [['h:linhai_dongcheng', { action: 'accept' }, 1], ['h:linhai_dongcheng', { action: 'resolve', reply: '经地震部门确认，该消息系谣言。已联系平台删除，并发布辟谣公告。' }, 10], ['reporter', { rating: 'satisfied' }, 6]] },
  { key: 'demo-seed-report-net-dc-06', days: 70, office: 'linhai_dongcheng', category: 'rumor_disaster', description: '又看到群里转发东城区明天地震的消息，说是内部消息。', links: link('dc-quake-2'), platform: '微信',
    steps: [['h:linhai_dongcheng', { action: 'merge', into: '@demo-seed-report-net-dc-05' }, 2]] },
  { key: 'demo-seed-report-net-dc-07', days: 21, office: 'linhai_dongcheng', category: 'privacy_doxxing', description: '有人在论坛公开一名外卖员的姓名、电话和住址，号召网友“上门讨说法”。', links: link('dc-doxx'), platform: '论坛',
    steps: [['h:linhai_dongcheng', { action: 'accept' }, 2], ['h:linhai_dongcheng', { action: 'transfer', department: 'police' }, 2], ['police', { action: 'return', reason: '帖子已被平台删除，建议由网信部门约谈平台。' }, 30]] },
  { key: 'demo-seed-report-net-dc-08', days: 16, office: 'linhai_dongcheng', category: 'water_army', description: '多个账号集中发布相同文案攻击一家本地医院，疑似有组织水军。', links: link('dc-water-army'), platform: '小红书',
    steps: [['h:linhai_dongcheng', { action: 'accept' }, 3]] },
  { key: 'demo-seed-report-net-dc-09', days: 9, office: 'linhai_dongcheng', category: 'fandom', description: '某明星粉丝群组织对另一艺人粉丝开盒、人肉搜索。', links: link('dc-fandom'), platform: '微博',
    steps: [['h:linhai_dongcheng', { action: 'accept' }, 2], ['h:linhai_dongcheng', { action: 'refer', office: 'linhai_xicheng', reason: '发起账号运营主体注册地在西城区。' }, 5]] },
  // Referred from Dongcheng to Xicheng and sent back; then handled at Dongcheng.
  { key: 'demo-seed-report-net-dc-10', days: 33, office: 'linhai_dongcheng', category: 'infringement_company', description: '某自媒体捏造东城区一家餐馆“用地沟油”，配图为外地新闻旧图。', links: link('dc-restaurant'), platform: '今日头条',
    steps: [['h:linhai_dongcheng', { action: 'refer', office: 'linhai_xicheng', reason: '自媒体注册地在西城区。' }, 3], ['h:linhai_xicheng', { action: 'return', reason: '经查该账号注册地在东城区，请东城区办理。' }, 20], ['h:linhai_dongcheng', { action: 'accept' }, 2], ['h:linhai_dongcheng', { action: 'resolve', reply: '已约谈账号运营者，相关不实内容已删除并公开致歉。' }, 100], ['reporter', { rating: 'satisfied' }, 12]] },

  // Streets under Dongcheng.
  { key: 'demo-seed-report-net-rm-01', days: 60, office: 'dongcheng_renmin', category: 'environment_littering', description: '人民路菜市场后门垃圾堆放多日无人清运，气味很大。', district: 'dongcheng', location: '人民路菜市场后门',
    steps: [['h:dongcheng_renmin', { action: 'accept' }, 2], ['h:dongcheng_renmin', { action: 'resolve', reply: '街道已安排环卫当日清运，并增设一处垃圾收集点。' }, 20], ['reporter', { rating: 'satisfied' }, 10]] },
  { key: 'demo-seed-report-net-rm-02', days: 6, office: 'dongcheng_renmin', category: 'no_helmet', description: '人民路小学门口接送孩子的电动车家长大多不戴头盔。', district: 'dongcheng', location: '人民路小学门口',
    steps: [['h:dongcheng_renmin', { action: 'accept' }, 20]] },
  { key: 'demo-seed-report-net-hp-01', days: 45, office: 'dongcheng_heping', category: 'minors_netcafe', description: '和平街道一家网吧接纳未成年人上网，晚上十点还有中学生。', district: 'dongcheng', location: '和平路88号网吧',
    steps: [['h:dongcheng_heping', { action: 'accept' }, 4], ['h:dongcheng_heping', { action: 'transfer', department: 'culture' }, 2], ['h:dongcheng_heping', { action: 'resolve', reply: '文化执法部门已现场检查并立案，责令网吧整改。' }, 80], ['reporter', { rating: 'satisfied' }, 8]] },

  // Xicheng district.
  { key: 'demo-seed-report-net-xc-01', days: 140, office: 'linhai_xicheng', category: 'fraud_investment', description: '某“理财导师”直播间推荐虚拟币投资，承诺月收益30%。', links: link('xc-invest'), platform: '抖音',
    steps: [['h:linhai_xicheng', { action: 'accept' }, 2], ['h:linhai_xicheng', { action: 'transfer', department: 'police' }, 1], ['h:linhai_xicheng', { action: 'resolve', reply: '公安机关已对该直播间立案调查，平台已封禁账号。' }, 220], ['reporter', { rating: 'basically_satisfied' }, 30]] },
  { key: 'demo-seed-report-net-xc-02', days: 100, office: 'linhai_xicheng', category: 'porn', description: '某网盘分享群传播淫秽视频链接，群成员数百人。', links: link('xc-porn'), platform: 'QQ',
    steps: [['h:linhai_xicheng', { action: 'accept' }, 1], ['h:linhai_xicheng', { action: 'resolve', reply: '已通报平台解散群组并封禁分享账号，线索已移送公安机关。' }, 30], ['reporter', { rating: 'satisfied' }, 20]] },
  { key: 'demo-seed-report-net-xc-03', days: 50, office: 'linhai_xicheng', category: 'other_online', description: '有网店售卖“代考”服务，声称可包过职业资格考试。', links: link('xc-exam'), platform: '闲鱼',
    steps: [['h:linhai_xicheng', { action: 'reject', reason: 'out_of_scope', text: '属于考试主管部门职责，已告知举报人向人社部门反映。' }, 30]] },
  { key: 'demo-seed-report-net-xc-04', days: 27, office: 'linhai_xicheng', category: 'rumor_health', description: '网传西城区某医院“疫苗是假的”，配图是别处的新闻截图。', links: link('xc-vaccine'), platform: '微信',
    steps: [['h:linhai_xicheng', { action: 'accept' }, 3], ['h:linhai_xicheng', { action: 'transfer', department: 'health' }, 2]] },
  { key: 'demo-seed-report-net-jx-01', days: 18, office: 'xicheng_jianshe', category: 'spitting', description: '建设路地铁站出口经常有人随地吐痰。', district: 'xicheng', location: '建设路地铁站B口',
    steps: [['h:xicheng_jianshe', { action: 'accept' }, 30], ['h:xicheng_jianshe', { action: 'resolve', reply: '已在出口增设文明提示牌，并安排志愿者早晚高峰劝导。' }, 50]] },

  // Linhai city: delegated to Dongcheng, result reviewed.
  { key: 'demo-seed-report-net-lh-01', days: 80, office: 'linhai', category: 'rumor_crime', description: '网传“临海市东城区发生持刀伤人案，多人死亡”，视频为外省旧案。', links: link('lh-knife'), platform: '抖音',
    steps: [['h:linhai', { action: 'accept' }, 1], ['h:linhai', { action: 'delegate', office: 'linhai_dongcheng', due_at: '+2d', note: '请东城区核实并联系平台处置，结果报市办审核。' }, 1], ['h:linhai_dongcheng', { action: 'resolve', reply: '经核实系外省旧案视频，已联系平台删除并发布警情通报辟谣。' }, 20], ['s:linhai', { action: 'approve', note: '同意办结。' }, 4], ['reporter', { rating: 'satisfied' }, 10]] },
  { key: 'demo-seed-report-net-lh-02', days: 4, office: 'linhai', category: 'minors_content', description: '某动画账号在儿童动画中夹带血腥暴力画面。', links: link('lh-cartoon'), platform: 'B站',
    steps: [['h:linhai', { action: 'accept' }, 1], ['h:linhai', { action: 'delegate', office: 'linhai_dongcheng', due_at: '+2d', note: '账号运营方在东城区，请约谈并报结果。' }, 2], ['h:linhai_dongcheng', { action: 'resolve', reply: '已约谈运营方，涉事视频全部下架，账号限流整改30天。' }, 20]] },
  { key: 'demo-seed-report-net-lh-03', days: 65, office: 'linhai', category: 'political', description: '有账号发布歪曲历史的短视频，播放量很高。', links: link('lh-history'), platform: '西瓜视频',
    steps: [['h:linhai', { action: 'accept' }, 2], ['h:linhai', { action: 'resolve', reply: '已依法处置相关账号和内容。' }, 40], ['reporter', { rating: 'satisfied' }, 12]] },

  // Between the two shards (wrangler.toml, `SHARDS`: Qingshan's cases live in SHARD_1): a Linhai case
  // referred to Qingshan moves databases through the hand-over queue; Nanshan takes it up there.
  { key: 'demo-seed-report-net-lh-04', days: 8, office: 'linhai_xicheng', category: 'fraud', description: '有人冒充南山蜜桔合作社在朋友圈收取“预订金”，收款后拉黑买家。', links: link('lh-orange-deposit'), platform: '微信',
    steps: [['h:linhai_xicheng', { action: 'refer', office: 'qingshan_nanshan', reason: '收款账户和发布者均在南山县。' }, 3], ['h:qingshan_nanshan', { action: 'accept' }, 5]] },

  // Qingshan city and Nanshan county.
  { key: 'demo-seed-report-net-ns-01', days: 90, office: 'qingshan_nanshan', category: 'rumor_disaster', description: '网传南山县水库“即将溃坝”，呼吁下游村民连夜转移。', links: link('ns-dam'), platform: '快手',
    steps: [['h:qingshan_nanshan', { action: 'accept' }, 1], ['h:qingshan_nanshan', { action: 'resolve', reply: '水利部门确认水库运行正常，该消息系谣言，发布者已被公安机关依法处理。' }, 6], ['reporter', { rating: 'satisfied' }, 4]] },
  { key: 'demo-seed-report-net-ns-02', days: 14, office: 'qingshan_nanshan', category: 'fraud_fake_goods', description: '直播间以“助农”名义售卖假冒南山蜜桔，实为外地次果。', links: link('ns-orange'), platform: '拼多多',
    steps: [['h:qingshan_nanshan', { action: 'accept' }, 3], ['h:qingshan_nanshan', { action: 'escalate', to: 'parent', reason: '涉事商家在外省，平台总部不在本市，请市办协调。' }, 10]] },
  { key: 'demo-seed-report-net-ns-03', days: 55, office: 'qingshan_nanshan', category: 'gambling', description: '桥头镇有人在微信群组织“赛车”网络赌博，群内实时开奖。', links: link('ns-gamble'), platform: '微信',
    steps: [['h:qingshan_nanshan', { action: 'accept' }, 2], ['h:qingshan_nanshan', { action: 'escalate', to: 'parent', reason: '涉案资金流向多地，请市办协调公安机关。' }, 4], ['h:qingshan', { action: 'take_over', note: '市办接办，已协调市公安局。' }, 12], ['h:qingshan', { action: 'resolve', reply: '市公安局已打掉该赌博团伙，抓获嫌疑人5名。' }, 300], ['reporter', { rating: 'satisfied' }, 20]] },
  { key: 'demo-seed-report-net-qt-01', days: 3, office: 'nanshan_qiaotou', category: 'other_offline', description: '桥头镇集市有人摆摊售卖来路不明的“特效药”。', district: 'nanshan', location: '桥头镇集市东口', steps: [] },
  { key: 'demo-seed-report-net-qs-01', days: 35, office: 'qingshan', category: 'cyberbullying', description: '青山市某中学女生被同学在群里持续辱骂、P图羞辱。', links: link('qs-bully'), platform: 'QQ',
    steps: [['h:qingshan', { action: 'accept' }, 2], ['h:qingshan', { action: 'transfer', department: 'education' }, 3]] },
];

/** Posters: [code, office, place, district, kind, scans, started]; some stories file through them. */
const POSTERS = [
  ['dc-bus-renmin', 'dongcheng_renmin', '人民公园公交站', 'dongcheng', 'bus_stop', 46, 9],
  ['dc-hall', 'linhai_dongcheng', '东城区政务服务中心', 'dongcheng', 'led_screen', 31, 6],
  ['xc-metro-jianshe', 'xicheng_jianshe', '建设路地铁站', 'xicheng', 'poster', 27, 4],
  ['ns-market', 'nanshan_qiaotou', '桥头镇集市', 'nanshan', 'poster', 12, 3],
];
const VIA_POSTER = { 'demo-seed-report-0004': 'dc-bus-renmin', 'demo-seed-report-net-rm-02': 'dc-bus-renmin', 'demo-seed-report-net-jx-01': 'xc-metro-jianshe', 'demo-seed-report-net-qt-01': 'ns-market', 'demo-seed-report-net-dc-03': 'dc-hall' };

/** Refutations, each linked to the cases that prompted it. */
const REFUTATIONS = [
  { cases: ['demo-seed-report-0000'], title: '网传“明天起全市停水三天”系谣言', claim: '微信群流传自来水公司通知：明天起全市停水三天，请提前储水。', verdict: 'rumour', authority: '市自来水公司', region: '', tags: ['停水', '民生'],
    text: '经向市自来水公司核实，该公司近期没有任何停水计划，网传通知图片系伪造。如遇计划停水，自来水公司将提前通过官方渠道公告。' },
  { cases: ['demo-seed-report-net-dc-05', 'demo-seed-report-net-dc-06'], title: '网传“东城区明日将发生地震”系谣言', claim: '东城区明天将发生地震，地震局内部已发通知，请大家做好准备。', verdict: 'rumour', authority: '市地震局', region: 'dongcheng', tags: ['地震', '灾害'],
    text: '地震是无法准确预测到具体日期的。市地震局从未发布所谓“内部通知”，网传截图系伪造。请以地震部门官方发布为准。' },
  { cases: ['demo-seed-report-net-ns-01'], title: '网传“南山县水库即将溃坝”不实', claim: '南山县水库大坝出现裂缝，即将溃坝，下游村民连夜转移。', verdict: 'false', authority: '县水利局', region: 'nanshan', tags: ['水库', '灾害'],
    text: '县水利局连夜组织专家检查，水库大坝运行正常，水位处于安全范围。发布不实信息的人员已被公安机关依法处理。' },
  { cases: ['demo-seed-report-net-lh-01'], title: '网传“东城区持刀伤人致多人死亡”系外省旧案', claim: '临海市东城区发生持刀伤人案，多人死亡，附现场视频。', verdict: 'misleading', authority: '市公安局东城分局', region: 'dongcheng', tags: ['治安', '旧闻新炒'],
    text: '经核查，视频系外省数年前的旧案，与本市无关。东城区近期未发生类似案件。请勿转发未经核实的信息。' },
];

// ---------------------------------------------------------------------------------------------

async function call(method, path, body, { session, device, headers: extra = {} } = {}) {
  const headers = { accept: 'application/json', ...extra };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (session) {
    headers.cookie = session.cookie;
    headers['x-csrf-token'] = session.csrf;
  }
  if (device) headers['x-qinglang-device'] = device;
  for (;;) {
    const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
    if (res.status === 429) {
      // The demo is loaded from one address like any client: wait out the limit, as a client would.
      const wait = Number(res.headers.get('retry-after') ?? 60);
      console.log(`    (rate limited on ${path}; waiting ${wait} s)`);
      await new Promise((r) => setTimeout(r, wait * 1000));
      continue;
    }
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    if (res.status === 409 && json?.error === 'case_moving') {
      // A case on its way to another shard (a referral between cities): it arrives within moments.
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    return { status: res.status, body: json, text };
  }
}

function must(res, ok, what) {
  if (!ok.includes(res.status)) throw new Error(`${what}: HTTP ${res.status} ${res.text}`);
  return res;
}

const accounts = (() => {
  try { return JSON.parse(readFileSync(join(root, '.wrangler', 'demo-accounts.json'), 'utf8')); } catch { return []; }
})();
const sessions = new Map();
async function session(username) {
  if (!sessions.has(username)) {
    const account = accounts.find((a) => a.username === username);
    if (!account) throw new Error(`no demo account ${username}`);
    const res = await fetch(`${base}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: account.password }) });
    if (res.status === 429) {
      console.log('    (sign-in limit: waiting 60 s)');
      await new Promise((r) => setTimeout(r, 60_000));
      return session(username);
    }
    const body = await res.json();
    if (res.status !== 200) throw new Error(`sign in ${username}: ${res.status} ${JSON.stringify(body)}`);
    sessions.set(username, { cookie: res.headers.get('set-cookie').split(';')[0], csrf: body.csrf_token });
  }
  return sessions.get(username);
}
const who = (actor) => {
  const [role, office] = actor.split(':');
  return accountOf(office ?? 'root', { h: 'handler', s: 'supervisor' }[role] ?? role);
};

const network = accounts.length > 0;
let newCases = 0;
let newOffices = 0;

if (network) {
  // The office network, through the admin API (a second run finds every code taken).
  const admin = await session('demo-admin');
  must(await call('PATCH', '/api/admin/offices/root', PROVINCE, { session: admin }), [200], 'province');
  for (const [code, parent, level, hans, hant, en] of OFFICES) {
    const res = await call('POST', '/api/admin/offices', { code, parent, level, name_zh_hans: hans, name_zh_hant: hant, name_en: en }, { session: admin });
    must(res, [201, 409], `office ${code}`);
    if (res.status === 201) newOffices += 1;
  }
  // The first time: each district's reports land at its county (属地), and Dongcheng has its own
  // police branch, which Dongcheng and its streets may transfer to.
  if (newOffices > 0) {
    for (const [district, office] of [['dongcheng', 'linhai_dongcheng'], ['xicheng', 'linhai_xicheng'], ['nanshan', 'qingshan_nanshan']]) {
      must(await call('PATCH', `/api/admin/districts/${district}`, { office }, { session: admin }), [200], `district ${district}`);
    }
    must(await call('POST', '/api/admin/departments', { code: 'dc_police', name_zh_hans: '东城公安分局', name_zh_hant: '東城公安分局',
      name_en: 'Dongcheng Police Branch', office: 'linhai_dongcheng' }, { session: admin }), [201, 409], 'department dc_police');
  }
  // Posters at the offices; a new one gets its scans and started drafts.
  for (const [code, office, place, district, kind, scans, started] of POSTERS) {
    const res = await call('POST', '/api/admin/channels', { code, place, district, kind, office }, { session: admin });
    must(res, [201, 409], `poster ${code}`);
    if (res.status !== 201) continue;
    for (let i = 0; i < scans; i++) await call('GET', `/q/${code}`);
    for (let i = 0; i < started; i++) await call('POST', `/api/channels/${code}/started`, { idempotency_key: `demo-start-${code}-${String(i).padStart(4, '0')}` });
  }
}

// The reports, each from its own phone (device token), as citizens file them.
const filed = new Map();
for (const story of STORIES) {
  // Without the network, the six reports a newcomer has always seen, at the root office.
  if (!network && !/^demo-seed-report-\d{4}$/.test(story.key)) continue;
  const { key, days, steps, office, ...report } = story;
  const body = { idempotency_key: key, ...report };
  if (network && VIA_POSTER[key]) body.channel = VIA_POSTER[key];
  else if (network && office !== 'root') body.office = office;
  const res = await call('POST', '/api/reports', body, { device: `demo-device-${key}` });
  must(res, [200, 201, 409], `report ${key}`);
  filed.set(key, { fresh: res.status === 201, code: res.body?.receipt_code, secret: res.body?.secret });
}

// Their histories, only for reports filed in this run.
const timing = [];
if (network) {
  const ids = new Map();
  // The case id of a report: its handler finds it in the office queue by receipt code.
  const caseId = async (key, office) => {
    if (ids.has(key)) return ids.get(key);
    const s = await session(accountOf(office, 'handler'));
    const code = filed.get(key).code;
    for (let after = null; ;) {
      const res = must(await call('GET', `/api/staff/cases?limit=100${after ? `&after=${after}` : ''}`, undefined, { session: s }), [200], 'queue');
      const hit = res.body.items.find((i) => i.receipt_code === code);
      if (hit) { ids.set(key, hit.case.id); return hit.case.id; }
      if (!res.body.next) throw new Error(`case of ${key} not in ${office}'s queue`);
      after = res.body.next;
    }
  };
  for (const story of STORIES) {
    const f = filed.get(story.key);
    if (!f?.fresh) continue;
    newCases += 1;
    const id = await caseId(story.key, story.office);
    let due = null;
    const gaps = [];
    for (const [actor, step, hours] of story.steps) {
      if (actor === 'reporter') {
        const path = step.reopen ? `/api/reports/${f.code}/reopen` : `/api/reports/${f.code}/rating`;
        const payload = step.reopen ? { reason: step.reopen } : { rating: step.rating, comment: step.comment ?? '' };
        must(await call('POST', path, payload, { headers: { 'x-receipt-secret': f.secret } }), [200], `${story.key} reporter ${path}`);
        gaps.push(hours);
        continue;
      }
      const action = {};
      for (const [k, v] of Object.entries(step)) {
        if (typeof v === 'string' && /^\+\d+d$/.test(v)) action[k] = Date.now() + Number(v.slice(1, -1)) * DAY;
        else if (typeof v === 'string' && /^due\+\d+d$/.test(v)) action[k] = due + Number(v.slice(4, -1)) * DAY;
        else if (typeof v === 'string' && v.startsWith('@')) action[k] = await caseId(v.slice(1), STORIES.find((s) => s.key === v.slice(1)).office);
        else action[k] = v;
      }
      const res = await call('POST', `/api/staff/cases/${id}/actions`, action, { session: await session(who(actor)) });
      must(res, [200], `${story.key} ${actor} ${step.action}`);
      due = res.body.case.due_at;
      gaps.push(hours);
    }
    timing.push({ id, days: story.days, gaps });
  }
  // Refutations whose cases were filed in this run, written and published by the editor.
  const editor = await session('demo-editor');
  for (const r of REFUTATIONS) {
    if (!r.cases.every((k) => filed.get(k)?.fresh)) continue;
    const caseIds = [];
    for (const k of r.cases) caseIds.push(await caseId(k, STORIES.find((s) => s.key === k).office));
    const content = {
      title: r.title, claim: r.claim, claim_url: '', verdict: r.verdict,
      body: [{ type: 'paragraph', text: r.text }], sources: [], authority: r.authority,
      region: r.region, tags: r.tags, case_ids: caseIds,
    };
    const made = must(await call('POST', '/api/staff/refutations', content, { session: editor }), [201], `refutation ${r.title}`);
    const { id, revision } = made.body.refutation;
    must(await call('POST', `/api/staff/refutations/${id}/publish`, { revision }, { session: editor }), [200], `publish ${r.title}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The clock, moved back (local database only): each new case starts `days` ago and its events
// follow at the story's intervals; times its actions set (due times, an extension's date) move with
// the event that set them.

// The cases live in the D1 shard of their office (wrangler.toml, `SHARDS`); the directory
// `case_index` in the control database says which.
const DATABASES = { DB: 'qinglang', SHARD_1: 'qinglang-shard-1' };

async function local(sql, database = 'qinglang') {
  const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
  const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' };
  const { stdout } = await promisify(execFile)(wrangler, ['d1', 'execute', database, '--local', '--json', '--command', sql], { cwd: root, env, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout.toString())[0].results;
}
// Asynchronous on purpose: a synchronous child would block the event loop for seconds, and a
// keep-alive socket the worker closed meanwhile would then be reused for the next request and fail.
async function localFile(sql, database = 'qinglang') {
  const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
  const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' };
  const dir = mkdtempSync(join(tmpdir(), 'qinglang-demo-'));
  try {
    writeFileSync(join(dir, 'shift.sql'), sql);
    await promisify(execFile)(wrangler, ['d1', 'execute', database, '--local', '--file', join(dir, 'shift.sql')], { cwd: root, env, maxBuffer: 64 * 1024 * 1024 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Kinds whose event sets the due time (the due time moves with it). */
const DUE_SETTERS = new Set(['submitted', 'accepted', 'reopened', 'referred', 'handed_back', 'delegated', 'extension_requested', 'extension_granted']);

if (timing.length > 0) {
  const now = Date.now();
  const ids = timing.map((t) => t.id).join(', ');
  const shardOf = new Map((await local(`SELECT id, shard FROM case_index WHERE id IN (${ids})`)).map((r) => [r.id, r.shard]));
  const shards = [...new Set(shardOf.values())];
  const fromShards = async (sql) => (await Promise.all(shards.map((shard) => local(sql, DATABASES[shard])))).flat();
  const events = await fromShards(`SELECT id, report_id, kind, created_at FROM events WHERE report_id IN (${ids}) ORDER BY report_id, id`);
  const reports = await fromShards(`SELECT id, created_at, accepted_at, due_at, resolved_at, feedback_at, supervised_at, primary_acted_at, rated_at, updated_at, returned_at, extension_until FROM reports WHERE id IN (${ids})`);
  const requests = await fromShards(`SELECT id, report_id, opened_at, answered_at, closed_at, due_at FROM case_requests WHERE report_id IN (${ids})`);
  const perShard = new Map(shards.map((shard) => [shard, []]));
  const mapped = new Map();
  for (const t of timing) {
    const statements = perShard.get(shardOf.get(t.id));
    const mine = events.filter((e) => e.report_id === t.id);
    // Events the stories do not list (a contact reading) follow the one before them.
    let at = now - t.days * DAY + Math.floor(Math.random() * 8 * HOUR);
    const pairs = [];
    let step = 0;
    for (const e of mine) {
      if (e.kind !== 'submitted' && e.kind !== 'contact_viewed') at += (t.gaps[step++] ?? 1) * HOUR + Math.floor(Math.random() * 50) * 60_000;
      at = Math.min(at, now - (mine.length - pairs.length) * 60_000);
      pairs.push({ old: e.created_at, new: at, kind: e.kind, id: e.id });
      statements.push(`UPDATE events SET created_at = ${at} WHERE id = ${e.id};`);
    }
    const exact = (v) => {
      if (v === null || v === undefined) return 'NULL';
      const hit = pairs.find((p) => p.old === v);
      if (hit) return hit.new;
      const before = pairs.filter((p) => p.old <= v).pop() ?? pairs[0];
      return v + (before.new - before.old);
    };
    const setter = pairs.filter((p) => DUE_SETTERS.has(p.kind)).pop() ?? pairs[0];
    const moved = (v) => (v === null || v === undefined ? 'NULL' : v + (setter.new - setter.old));
    const r = reports.find((x) => x.id === t.id);
    statements.push(`UPDATE reports SET created_at = ${pairs[0].new}, accepted_at = ${exact(r.accepted_at)}, due_at = ${moved(r.due_at)}, ` +
      `resolved_at = ${exact(r.resolved_at)}, feedback_at = ${exact(r.feedback_at)}, supervised_at = ${exact(r.supervised_at)}, ` +
      `primary_acted_at = ${exact(r.primary_acted_at)}, rated_at = ${exact(r.rated_at)}, updated_at = ${exact(r.updated_at)}, ` +
      `returned_at = ${exact(r.returned_at)}, extension_until = ${moved(r.extension_until)} WHERE id = ${t.id};`);
    for (const q of requests.filter((x) => x.report_id === t.id)) {
      const opened = exact(q.opened_at);
      statements.push(`UPDATE case_requests SET opened_at = ${opened}, answered_at = ${exact(q.answered_at)}, closed_at = ${exact(q.closed_at)}, ` +
        `due_at = ${q.due_at + (opened - q.opened_at)} WHERE id = ${q.id};`);
    }
    mapped.set(t.id, pairs);
  }
  for (const [shard, statements] of perShard) if (statements.length > 0) await localFile(statements.join('\n'), DATABASES[shard]);
  // Refutations: published when their first case was closed (or a day after it was filed).
  const statements = [];
  const links = await local(`SELECT refutation_id, MIN(case_id) AS report_id FROM refutation_cases WHERE case_id IN (${ids}) GROUP BY refutation_id`);
  for (const l of links) {
    const pairs = mapped.get(l.report_id);
    const closed = pairs.find((p) => p.kind === 'resolved') ?? pairs[0];
    const at = Math.min(closed.new + 2 * HOUR, now);
    statements.push(`UPDATE refutations SET created_at = ${at - HOUR}, updated_at = ${at}, published_at = ${at} WHERE id = ${l.refutation_id};`);
  }
  await localFile(statements.join('\n'));
}
// The figures' counters followed the worker's writes, not the clock shift above, and a database
// migrated since the last start may wait for a count (migrations 0020, 0022): count them anew (the
// repair job, issue 20; a few dozen cases, one request).
if (network) {
  must(await call('POST', '/api/admin/figures/rebuild', {}, { session: await session('demo-admin') }), [200], 'figures rebuild');
}

const refuted = network ? REFUTATIONS.filter((r) => r.cases.every((k) => filed.get(k)?.fresh)).length : 0;
console.log(`==> demo data: ${newCases || [...filed.values()].filter((f) => f.fresh).length} new reports (${filed.size} in all)` +
  (network ? `, ${newOffices} new offices, ${refuted} refutations, history spread over ${Math.max(...STORIES.map((s) => s.days))} days` : ''));
if (!network) console.log('    (no demo accounts: the office network and the handled history are made for a local database only)');
// A case to follow as its reporter while referring it between counties in the console.
const follow = filed.get('demo-seed-report-net-dc-08');
if (network && follow?.code && follow.secret) {
  console.log(`    follow a Dongcheng case as its reporter: ${base}/track  receipt ${follow.code}  password ${follow.secret}`);
}
