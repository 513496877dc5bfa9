// The demo office network `scripts/serve.sh` loads: a province office (the root), two cities, three
// counties and four streets, and the demo staff at each office. Shared by demo-accounts.mjs (which
// makes the accounts) and seed-demo.mjs (which makes the offices and the lived-in history).

/** The root office, grown into a province. */
export const PROVINCE = { level: 'province', name_zh_hans: '示范省网信办', name_zh_hant: '示範省網信辦', name_en: 'Demo Province CAC' };

/** [code, parent, level, 简, 繁, English], each after its parent. */
export const OFFICES = [
  ['linhai', 'root', 'city', '临海市网信办', '臨海市網信辦', 'Linhai City CAC'],
  ['qingshan', 'root', 'city', '青山市网信办', '青山市網信辦', 'Qingshan City CAC'],
  ['linhai_dongcheng', 'linhai', 'county', '临海市东城区网信办', '臨海市東城區網信辦', 'Dongcheng District CAC'],
  ['linhai_xicheng', 'linhai', 'county', '临海市西城区网信办', '臨海市西城區網信辦', 'Xicheng District CAC'],
  ['qingshan_nanshan', 'qingshan', 'county', '青山市南山县网信办', '青山市南山縣網信辦', 'Nanshan County CAC'],
  ['dongcheng_renmin', 'linhai_dongcheng', 'street', '东城区人民路街道', '東城區人民路街道', 'Renmin Road Subdistrict'],
  ['dongcheng_heping', 'linhai_dongcheng', 'street', '东城区和平街道', '東城區和平街道', 'Heping Subdistrict'],
  ['xicheng_jianshe', 'linhai_xicheng', 'street', '西城区建设路街道', '西城區建設路街道', 'Jianshe Road Subdistrict'],
  ['nanshan_qiaotou', 'qingshan_nanshan', 'street', '南山县桥头镇', '南山縣橋頭鎮', 'Qiaotou Town'],
];

/** [username, role, display name, department, office] of every demo account. */
export const ACCOUNTS = [
  ['demo-admin', 'admin', '演示管理员（省）', null, 'root'],
  ['demo-handler', 'handler', '演示受理员（省）', null, 'root'],
  ['demo-supervisor', 'supervisor', '演示督办员（省）', null, 'root'],
  ['demo-police', 'liaison', '演示公安联络员', 'police', 'root'],
  ['demo-editor', 'editor', '演示辟谣编辑', null, 'root'],
  ...OFFICES.flatMap(([code, , , name]) => {
    const short = name.replace(/网信办$/, '');
    const roles = [['handler', '受理员'], ['supervisor', '督办员'], ['admin', '管理员']];
    return roles.map(([role, title]) => [`${code.replaceAll('_', '-')}-${role}`, role, `${short}${title}`, null, code]);
  }),
];

/** The username of `office`'s account of `role`. */
export const accountOf = (office, role) => (office === 'root' ? `demo-${role}` : `${office.replaceAll('_', '-')}-${role}`);
