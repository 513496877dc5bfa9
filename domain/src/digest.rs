//! The daily digest (08:00 Asia/Shanghai): which cases are due today and which are overdue, per
//! primary handler and per department, and the JSON each kind of webhook is sent. There is one
//! digest per office ([`per_office`]): its own cases, and every hand-over between it and another
//! office that nobody has taken up yet, which is in both offices' digests. Pure: the worker
//! reads the cases, escalates through `workflow::apply`, then asks this module what to say.
//!
//! The robot formats are the documented ones: WeCom group robot `{"msgtype":"markdown","markdown":
//! {"content":…}}` (content at most 4,096 bytes), DingTalk robot `{"msgtype":"markdown","markdown":
//! {"title":…,"text":…}}`, Feishu bot `{"msg_type":"text","content":{"text":…}}`, and our generic JSON
//! (the [`Digest`] itself under `"digest"`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::admin::WebhookKind;
use crate::workflow::{self, Case, DAY_MS, Role, StaffId};

/// The longest robot message, in bytes (WeCom's markdown limit; DingTalk and Feishu allow more).
pub const MAX_MESSAGE_BYTES: usize = 4096;

/// How many receipt codes one line lists before "and N more".
pub const MAX_CODES_PER_LINE: usize = 20;

/// A running case the digest may mention, with the receipt code people use to find it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestCase {
    /// Receipt code, grouped (`K7M-X3P-QAR`).
    pub code: String,
    /// The case as it stands after any escalation.
    pub case: Case,
}

/// Cases due today and overdue for one handler or department.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DigestLine {
    /// Receipt codes of cases due today (including those that fell due earlier today).
    pub due_today: Vec<String>,
    /// Receipt codes of cases overdue since before today.
    pub overdue: Vec<String>,
}

impl DigestLine {
    fn is_empty(&self) -> bool {
        self.due_today.is_empty() && self.overdue.is_empty()
    }
}

/// One primary handler's line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandlerDigest {
    /// The handler; absent for cases nobody holds.
    pub handler: Option<StaffId>,
    /// Their display name.
    pub name: String,
    /// Their cases.
    #[serde(flatten)]
    pub line: DigestLine,
}

/// One department's line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentDigest {
    /// Department code; absent for cases with no department yet.
    pub department: Option<String>,
    /// Its name.
    pub name: String,
    /// Its cases.
    #[serde(flatten)]
    pub line: DigestLine,
}

/// What a hand-over between offices waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HandoverKind {
    /// A referral (`refer`) the receiving office has neither accepted nor sent back.
    Referral,
    /// An escalation (`escalate` to the parent) the parent office has not answered.
    Escalation,
    /// A delegated case's proposed result the delegating office has not reviewed.
    Review,
}

impl HandoverKind {
    /// How the digest names it.
    pub fn label(self) -> &'static str {
        match self {
            HandoverKind::Referral => "移交待接收",
            HandoverKind::Escalation => "报请上级待答复",
            HandoverKind::Review => "交办结果待审核",
        }
    }
}

/// A hand-over nobody has taken up: from the office waiting to the office that must act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoverItem {
    /// Receipt code, grouped.
    pub code: String,
    /// What it waits for.
    pub kind: HandoverKind,
    /// The office that handed it over (its code).
    pub from: String,
    /// The office that must act (its code).
    pub to: String,
    /// Names of `from` and `to`, for the text.
    pub from_name: String,
    /// See `from_name`.
    pub to_name: String,
}

/// The hand-overs a running case waits on: `(kind, from, to)`, none for a case nobody handed over.
pub fn handovers_of(case: &Case) -> Vec<(HandoverKind, &str, &str)> {
    if !case.is_open() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(from) = case.referred_from.as_deref() {
        out.push((HandoverKind::Referral, from, case.office.as_str()));
    }
    if let Some(to) = case.escalated_to.as_deref() {
        out.push((HandoverKind::Escalation, case.office.as_str(), to));
    }
    if let (Some(by), Some(_)) = (case.delegated_by.as_deref(), case.review_reply.as_deref()) {
        out.push((HandoverKind::Review, case.office.as_str(), by));
    }
    out
}

/// One day's digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    /// The office it is for (its own cases and its hand-overs); none for a whole-deployment digest.
    #[serde(default)]
    pub office: Option<String>,
    /// That office's name.
    #[serde(default)]
    pub office_name: Option<String>,
    /// The Asia/Shanghai day, `YYYY-MM-DD`.
    pub day: String,
    /// When it was made.
    pub at: i64,
    /// Every case due today, and every overdue one.
    #[serde(flatten)]
    pub total: DigestLine,
    /// Receipt codes of the cases handed to their backup handler in this run.
    pub escalated: Vec<String>,
    /// Per primary handler, in id order (nobody's cases last).
    pub by_handler: Vec<HandlerDigest>,
    /// Per department, in code order (no department last).
    pub by_department: Vec<DepartmentDigest>,
    /// Hand-overs between this office and another that nobody has taken up, in case order.
    #[serde(default)]
    pub handovers: Vec<HandoverItem>,
}

impl Digest {
    /// Whether there is nothing to tell anyone.
    pub fn is_empty(&self) -> bool {
        self.total.is_empty() && self.escalated.is_empty() && self.handovers.is_empty()
    }
}

/// Names for a digest's lines: handlers by id, departments and offices by code (an unknown id or
/// code falls back to itself).
#[derive(Debug, Clone, Default)]
pub struct DigestNames {
    /// Staff display names.
    pub handlers: BTreeMap<StaffId, String>,
    /// Department names.
    pub departments: BTreeMap<String, String>,
    /// Office names.
    pub offices: BTreeMap<String, String>,
}

/// One digest per office: each office's own running cases due today or overdue (`cases`), and
/// every hand-over of `in_transit` (running cases handed between offices) in both offices' digests.
/// Offices with nothing to tell get none. In office-code order.
pub fn per_office(
    day: &str,
    cases: &[DigestCase],
    in_transit: &[DigestCase],
    escalated: &[String],
    names: &DigestNames,
    now: i64,
    utc_offset_minutes: i32,
) -> Vec<Digest> {
    let mut own: BTreeMap<&str, Vec<DigestCase>> = BTreeMap::new();
    for c in cases {
        own.entry(c.case.office.as_str()).or_default().push(c.clone());
    }
    let office_name = |code: &str| names.offices.get(code).cloned().unwrap_or_else(|| code.to_owned());
    let mut handovers: BTreeMap<&str, Vec<HandoverItem>> = BTreeMap::new();
    for DigestCase { code, case } in in_transit {
        for (kind, from, to) in handovers_of(case) {
            let item = HandoverItem {
                code: code.clone(),
                kind,
                from: from.to_owned(),
                to: to.to_owned(),
                from_name: office_name(from),
                to_name: office_name(to),
            };
            own.entry(from).or_default();
            own.entry(to).or_default();
            handovers.entry(from).or_default().push(item.clone());
            if to != from {
                handovers.entry(to).or_default().push(item);
            }
        }
    }
    own.into_iter()
        .filter_map(|(office, cases)| {
            let mine: Vec<String> = cases.iter().map(|c| c.code.clone()).collect();
            let escalated: Vec<String> = escalated.iter().filter(|c| mine.contains(c)).cloned().collect();
            let mut digest =
                build(day, &cases, &escalated, &names.handlers, &names.departments, now, utc_offset_minutes);
            digest.office = Some(office.to_owned());
            digest.office_name = Some(office_name(office));
            digest.handovers = handovers.remove(office).unwrap_or_default();
            (!digest.is_empty()).then_some(digest)
        })
        .collect()
}

/// The civil `YYYY-MM-DD` of an instant in a zone `utc_offset_minutes` east of UTC.
pub fn local_day(at: i64, utc_offset_minutes: i32) -> String {
    let (year, month, day) = crate::figures::local_date(at, utc_offset_minutes);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The end (exclusive) of the local day containing `at`: the digest reads cases due before it.
pub fn end_of_local_day(at: i64, utc_offset_minutes: i32) -> i64 {
    let offset = i64::from(utc_offset_minutes) * 60_000;
    (at + offset).div_euclid(DAY_MS) * DAY_MS + DAY_MS - offset
}

/// Builds the digest. `handler_names` and `department_names` name the lines (unknown ids and codes
/// fall back to the id or code). Cases not running, or due after today, are left out.
pub fn build(
    day: &str,
    cases: &[DigestCase],
    escalated: &[String],
    handler_names: &BTreeMap<StaffId, String>,
    department_names: &BTreeMap<String, String>,
    now: i64,
    utc_offset_minutes: i32,
) -> Digest {
    let mut total = DigestLine::default();
    // None sorts first in a BTreeMap; the lines want "nobody" last, so the key is (is_none, value).
    let mut by_handler: BTreeMap<(bool, Option<StaffId>), DigestLine> = BTreeMap::new();
    let mut by_department: BTreeMap<(bool, Option<String>), DigestLine> = BTreeMap::new();
    for DigestCase { code, case } in cases {
        let today = workflow::due_today(case, now, utc_offset_minutes);
        if !today && !workflow::is_overdue(case, now) {
            continue;
        }
        let lines = [
            &mut total,
            by_handler.entry((case.primary_handler.is_none(), case.primary_handler)).or_default(),
            by_department.entry((case.department.is_none(), case.department.clone())).or_default(),
        ];
        for line in lines {
            if today { line.due_today.push(code.clone()) } else { line.overdue.push(code.clone()) }
        }
    }
    Digest {
        office: None,
        office_name: None,
        handovers: Vec::new(),
        day: day.to_owned(),
        at: now,
        total,
        escalated: escalated.to_vec(),
        by_handler: by_handler
            .into_iter()
            .map(|((_, handler), line)| HandlerDigest {
                handler,
                name: match handler {
                    Some(id) => handler_names.get(&id).cloned().unwrap_or_else(|| format!("#{id}")),
                    None => "未分配".to_owned(),
                },
                line,
            })
            .collect(),
        by_department: by_department
            .into_iter()
            .map(|((_, department), line)| DepartmentDigest {
                name: match &department {
                    Some(code) => department_names.get(code).cloned().unwrap_or_else(|| code.clone()),
                    None => "未转办".to_owned(),
                },
                department,
                line,
            })
            .collect(),
    }
}

fn codes(list: &[String]) -> String {
    if list.len() <= MAX_CODES_PER_LINE {
        return list.join("、");
    }
    format!("{} 等{}件", list[..MAX_CODES_PER_LINE].join("、"), list.len())
}

fn line_text(line: &DigestLine) -> String {
    let mut parts = Vec::new();
    if !line.due_today.is_empty() {
        parts.push(format!("今日到期{}件：{}", line.due_today.len(), codes(&line.due_today)));
    }
    if !line.overdue.is_empty() {
        parts.push(format!("已超期{}件：{}", line.overdue.len(), codes(&line.overdue)));
    }
    parts.join("；")
}

/// The digest's title.
pub fn title(digest: &Digest) -> String {
    match &digest.office_name {
        Some(office) => format!("清朗每日督办提醒 {} · {office}", digest.day),
        None => format!("清朗每日督办提醒 {}", digest.day),
    }
}

/// The digest as text, `markdown` for the robots that render it (bold headings, list items).
/// Cut at a line boundary to stay within [`MAX_MESSAGE_BYTES`].
pub fn text(digest: &Digest, markdown: bool) -> String {
    let bold = |s: &str| if markdown { format!("**{s}**") } else { s.to_owned() };
    let item = if markdown { "- " } else { "· " };
    let mut lines = vec![
        bold(&title(digest)),
        format!(
            "今日到期 {} 件，已超期 {} 件，今日转交B角 {} 件。",
            digest.total.due_today.len(),
            digest.total.overdue.len(),
            digest.escalated.len()
        ),
    ];
    if !digest.escalated.is_empty() {
        lines.push(format!("转交B角：{}", codes(&digest.escalated)));
    }
    if !digest.by_handler.is_empty() {
        lines.push(bold("按承办人"));
        lines.extend(digest.by_handler.iter().map(|h| format!("{item}{}：{}", h.name, line_text(&h.line))));
    }
    if !digest.by_department.is_empty() {
        lines.push(bold("按承办单位"));
        lines.extend(digest.by_department.iter().map(|d| format!("{item}{}：{}", d.name, line_text(&d.line))));
    }
    if !digest.handovers.is_empty() {
        lines.push(bold("机构间移交未办"));
        lines.extend(
            digest
                .handovers
                .iter()
                .map(|h| format!("{item}{}：{}（{} → {}）", h.kind.label(), h.code, h.from_name, h.to_name)),
        );
    }
    let mut out = String::new();
    for line in lines {
        // Room for the line, its newline and the closing "……".
        if out.len() + line.len() + 1 + "\n……".len() > MAX_MESSAGE_BYTES {
            out.push_str("\n……");
            break;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&line);
    }
    out
}

/// WeCom's `markdown.content`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WecomMarkdown {
    /// The message.
    pub content: String,
}

/// DingTalk's `markdown`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DingtalkMarkdown {
    /// Shown in the conversation list.
    pub title: String,
    /// The message.
    pub text: String,
}

/// Feishu's `content` of a text message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeishuText {
    /// The message.
    pub text: String,
}

/// The body posted to one webhook; serialises to exactly the robot's format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum WebhookPayload {
    /// WeCom group robot.
    Wecom {
        /// Always `markdown`.
        msgtype: &'static str,
        /// The message.
        markdown: WecomMarkdown,
    },
    /// DingTalk robot.
    Dingtalk {
        /// Always `markdown`.
        msgtype: &'static str,
        /// The message.
        markdown: DingtalkMarkdown,
    },
    /// Feishu bot.
    Feishu {
        /// Always `text`.
        msg_type: &'static str,
        /// The message.
        content: FeishuText,
    },
    /// Our generic JSON.
    Generic {
        /// Always `qinglang.daily_digest`.
        #[serde(rename = "type")]
        kind: &'static str,
        /// The plain-text message, for receivers that just show it.
        text: String,
        /// The whole digest.
        digest: Digest,
    },
}

/// What to post to a webhook of `kind`.
pub fn payload(kind: WebhookKind, digest: &Digest) -> WebhookPayload {
    match kind {
        WebhookKind::Wecom => {
            WebhookPayload::Wecom { msgtype: "markdown", markdown: WecomMarkdown { content: text(digest, true) } }
        }
        WebhookKind::Dingtalk => WebhookPayload::Dingtalk {
            msgtype: "markdown",
            markdown: DingtalkMarkdown { title: title(digest), text: text(digest, true) },
        },
        WebhookKind::Feishu => {
            WebhookPayload::Feishu { msg_type: "text", content: FeishuText { text: text(digest, false) } }
        }
        WebhookKind::Generic => {
            WebhookPayload::Generic { kind: "qinglang.daily_digest", text: text(digest, false), digest: digest.clone() }
        }
    }
}

/// A staff member the digest may notify in the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// Account id.
    pub id: StaffId,
    /// Role.
    pub role: Role,
    /// A liaison's department.
    pub department: Option<String>,
    /// The account's office: it reads its office's digest only.
    pub office: String,
}

/// One console notification to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewNotification {
    /// Who reads it.
    pub staff_id: StaffId,
    /// `digest`.
    pub kind: String,
    /// One line.
    pub title: String,
    /// The details.
    pub body: String,
}

/// The console notifications of a digest: each handler gets their own line, each liaison their
/// department's, each supervisor and admin the whole summary. Nobody is notified of an empty digest.
pub fn notifications(digest: &Digest, recipients: &[Recipient]) -> Vec<NewNotification> {
    if digest.is_empty() {
        return Vec::new();
    }
    let title = title(digest);
    let mut out = Vec::new();
    for r in recipients.iter().filter(|r| digest.office.as_ref().is_none_or(|o| *o == r.office)) {
        let body = match r.role {
            // A handler of an office with hand-overs waiting hears of them, with or without cases.
            Role::Handler if !digest.handovers.is_empty() => Some(
                digest
                    .by_handler
                    .iter()
                    .find(|h| h.handler == Some(r.id))
                    .map(|h| line_text(&h.line))
                    .into_iter()
                    .chain(digest.handovers.iter().map(|h| format!("{}：{}", h.kind.label(), h.code)))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            Role::Handler => digest.by_handler.iter().find(|h| h.handler == Some(r.id)).map(|h| line_text(&h.line)),
            Role::Liaison => digest
                .by_department
                .iter()
                .find(|d| d.department.is_some() && d.department == r.department)
                .map(|d| line_text(&d.line)),
            Role::Supervisor | Role::Admin => Some(text(digest, false)),
            Role::Editor => None,
        };
        let escalated_to_me: Vec<String> = digest
            .by_handler
            .iter()
            .filter(|h| h.handler == Some(r.id))
            .flat_map(|h| h.line.due_today.iter().chain(&h.line.overdue))
            .filter(|code| digest.escalated.contains(code))
            .cloned()
            .collect();
        let body = match (body, r.role) {
            (Some(body), Role::Handler) if !escalated_to_me.is_empty() => {
                format!("{body}\n转交给您（B角）：{}", codes(&escalated_to_me))
            }
            (body, _) => match body {
                Some(body) => body,
                None => continue,
            },
        };
        out.push(NewNotification { staff_id: r.id, kind: "digest".to_owned(), title: title.clone(), body });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::ReportStatus;
    use crate::workflow::{CaseId, SHANGHAI_UTC_OFFSET_MINUTES};

    /// 2026-11-25 00:00 Asia/Shanghai.
    const NOV25: i64 = 1_795_536_000_000;
    const AT_8AM: i64 = NOV25 + 8 * 3_600_000;
    const OFF: i32 = SHANGHAI_UTC_OFFSET_MINUTES;

    fn running(id: i64, due_at: i64, handler: Option<i64>, department: Option<&str>) -> DigestCase {
        let mut case = Case::new(CaseId(id), "rumor", None, 0);
        case.status = ReportStatus::Transferred;
        case.accepted_at = Some(0);
        case.due_at = Some(due_at);
        case.primary_handler = handler.map(StaffId);
        case.department = department.map(str::to_owned);
        DigestCase { code: format!("C{id}"), case }
    }

    fn sample() -> Digest {
        let cases = [
            running(1, NOV25 + 20 * 3_600_000, Some(1), Some("police")), // due tonight
            running(2, NOV25 - 3 * DAY_MS, Some(2), Some("police")),     // overdue
            running(3, NOV25 + 3_600_000, None, None),                   // fell due at 01:00 today
            running(4, NOV25 + 2 * DAY_MS, Some(1), Some("cac")),        // not yet
        ];
        let names = BTreeMap::from([(StaffId(1), "张三".to_owned()), (StaffId(2), "李四".to_owned())]);
        let departments = BTreeMap::from([("police".to_owned(), "公安局".to_owned())]);
        build("2026-11-25", &cases, &["C2".to_owned()], &names, &departments, AT_8AM, OFF)
    }

    #[test]
    fn days_follow_the_shanghai_calendar() {
        assert_eq!(local_day(AT_8AM, OFF), "2026-11-25");
        assert_eq!(local_day(NOV25 - 1, OFF), "2026-11-24");
        assert_eq!(local_day(NOV25 + 7 * DAY_MS, OFF), "2026-12-02");
        assert_eq!(local_day(951_782_400_000, 0), "2000-02-29");
        assert_eq!(local_day(0, 0), "1970-01-01");
        assert_eq!(end_of_local_day(AT_8AM, OFF), NOV25 + DAY_MS);
        assert_eq!(end_of_local_day(NOV25, OFF), NOV25 + DAY_MS);
        assert_eq!(end_of_local_day(NOV25 - 1, OFF), NOV25);
    }

    #[test]
    fn cases_are_grouped_by_handler_and_department() {
        let d = sample();
        assert_eq!(d.total, DigestLine { due_today: vec!["C1".into(), "C3".into()], overdue: vec!["C2".into()] });
        let handlers: Vec<_> =
            d.by_handler.iter().map(|h| (h.name.as_str(), h.line.due_today.len(), h.line.overdue.len())).collect();
        assert_eq!(handlers, [("张三", 1, 0), ("李四", 0, 1), ("未分配", 1, 0)]);
        let departments: Vec<_> =
            d.by_department.iter().map(|x| (x.name.as_str(), x.line.due_today.len(), x.line.overdue.len())).collect();
        assert_eq!(departments, [("公安局", 1, 1), ("未转办", 1, 0)]);
    }

    #[test]
    fn each_robot_gets_its_own_format() {
        let d = sample();
        let json = |kind| serde_json::to_value(payload(kind, &d)).expect("serialises");
        let wecom = json(WebhookKind::Wecom);
        assert_eq!(wecom["msgtype"], "markdown");
        let content = wecom["markdown"]["content"].as_str().expect("content");
        assert!(
            content.starts_with("**清朗每日督办提醒 2026-11-25**\n今日到期 2 件，已超期 1 件，今日转交B角 1 件。"),
            "{content}"
        );
        assert!(content.contains("- 李四：已超期1件：C2"), "{content}");
        assert!(content.contains("- 公安局：今日到期1件：C1；已超期1件：C2"), "{content}");
        assert_eq!(wecom.as_object().map(|o| o.len()), Some(2));
        let ding = json(WebhookKind::Dingtalk);
        assert_eq!(
            (ding["msgtype"].as_str(), ding["markdown"]["title"].as_str()),
            (Some("markdown"), Some("清朗每日督办提醒 2026-11-25"))
        );
        assert_eq!(ding["markdown"]["text"].as_str(), Some(content));
        let feishu = json(WebhookKind::Feishu);
        assert_eq!(feishu["msg_type"], "text");
        let plain = feishu["content"]["text"].as_str().expect("text");
        assert!(plain.starts_with("清朗每日督办提醒 2026-11-25\n") && !plain.contains("**"), "{plain}");
        let generic = json(WebhookKind::Generic);
        assert_eq!(generic["type"], "qinglang.daily_digest");
        assert_eq!(generic["digest"]["overdue"], serde_json::json!(["C2"]));
        assert_eq!(generic["digest"]["by_department"][0]["department"], "police");
    }

    #[test]
    fn long_digests_are_cut_within_the_limit() {
        let cases: Vec<_> = (0..600).map(|i| running(i, NOV25 - DAY_MS, Some(i), Some("police"))).collect();
        let d = build("2026-11-25", &cases, &[], &BTreeMap::new(), &BTreeMap::new(), AT_8AM, OFF);
        let content = text(&d, true);
        assert!(content.len() <= MAX_MESSAGE_BYTES, "{}", content.len());
        assert!(content.ends_with("……"));
        let one_handler: Vec<_> = (0..600).map(|i| running(i, NOV25 - DAY_MS, Some(1), Some("police"))).collect();
        let d = build("2026-11-25", &one_handler, &[], &BTreeMap::new(), &BTreeMap::new(), AT_8AM, OFF);
        let content = text(&d, true);
        assert!(content.contains("- #1：已超期600件：C0、C1、") && content.contains("C19 等600件"), "{content}");
    }

    #[test]
    fn notifications_go_to_whoever_the_lines_concern() {
        let d = sample();
        let recipients = [
            Recipient { id: StaffId(1), role: Role::Handler, department: None, office: "root".into() },
            Recipient { id: StaffId(2), role: Role::Handler, department: None, office: "root".into() },
            Recipient { id: StaffId(9), role: Role::Handler, department: None, office: "root".into() }, // nothing due
            Recipient { id: StaffId(3), role: Role::Liaison, department: Some("police".into()), office: "root".into() },
            Recipient { id: StaffId(4), role: Role::Liaison, department: Some("cac".into()), office: "root".into() },
            Recipient { id: StaffId(5), role: Role::Supervisor, department: None, office: "root".into() },
            Recipient { id: StaffId(6), role: Role::Editor, department: None, office: "root".into() },
        ];
        let notes = notifications(&d, &recipients);
        let who: Vec<_> = notes.iter().map(|n| n.staff_id.0).collect();
        assert_eq!(who, [1, 2, 3, 5]);
        assert_eq!(notes[0].body, "今日到期1件：C1");
        assert_eq!(notes[1].body, "已超期1件：C2\n转交给您（B角）：C2");
        assert_eq!(notes[2].body, "今日到期1件：C1；已超期1件：C2");
        assert!(notes[3].body.contains("按承办单位"));
        let empty = build("2026-11-25", &[], &[], &BTreeMap::new(), &BTreeMap::new(), AT_8AM, OFF);
        assert!(notifications(&empty, &recipients).is_empty());
    }

    #[test]
    fn each_office_gets_its_own_cases_and_both_sides_get_an_untaken_hand_over() {
        let at = |office: &str, mut c: DigestCase| {
            c.case.office = office.to_owned();
            c
        };
        let due = [
            at("east", running(1, NOV25 + 20 * 3_600_000, Some(1), None)),
            at("west", running(2, NOV25 - 3 * DAY_MS, Some(2), None)),
            at("west", running(3, NOV25 + 2 * DAY_MS, Some(2), None)), // not due: says nothing
        ];
        let mut referral = at("west", running(4, NOV25 + 5 * DAY_MS, None, None));
        referral.case.status = ReportStatus::Submitted;
        referral.case.referred_from = Some("east".to_owned());
        let mut review = at("east_street", running(5, NOV25 + 5 * DAY_MS, None, None));
        review.case.delegated_by = Some("east".to_owned());
        review.case.review_reply = Some("已处置".to_owned());
        let mut closed = at("west", running(6, NOV25, None, None));
        closed.case.status = ReportStatus::Resolved;
        closed.case.referred_from = Some("east".to_owned());
        let names = DigestNames {
            offices: BTreeMap::from([
                ("east".to_owned(), "东区网信办".to_owned()),
                ("west".to_owned(), "西区网信办".to_owned()),
            ]),
            ..DigestNames::default()
        };
        let digests =
            per_office("2026-11-25", &due, &[referral, review, closed], &["C2".to_owned()], &names, AT_8AM, OFF);
        let summary: Vec<_> = digests
            .iter()
            .map(|d| {
                let codes: Vec<_> = d.handovers.iter().map(|h| (h.code.as_str(), h.kind)).collect();
                (
                    d.office.as_deref().unwrap_or(""),
                    d.total.due_today.clone(),
                    d.total.overdue.clone(),
                    d.escalated.clone(),
                    codes,
                )
            })
            .collect();
        use HandoverKind::*;
        assert_eq!(
            summary,
            [
                ("east", vec!["C1".to_owned()], vec![], vec![], vec![("C4", Referral), ("C5", Review)]),
                ("east_street", vec![], vec![], vec![], vec![("C5", Review)]),
                ("west", vec![], vec!["C2".to_owned()], vec!["C2".to_owned()], vec![("C4", Referral)]),
            ]
        );
        let east = &digests[0];
        assert_eq!(title(east), "清朗每日督办提醒 2026-11-25 · 东区网信办");
        assert!(text(east, false).contains("移交待接收：C4（东区网信办 → 西区网信办）"), "{}", text(east, false));
        // Each account reads its own office's digest; a handler hears of the hand-overs.
        let recipients = [
            Recipient { id: StaffId(1), role: Role::Handler, department: None, office: "east".into() },
            Recipient { id: StaffId(2), role: Role::Handler, department: None, office: "west".into() },
            Recipient { id: StaffId(7), role: Role::Handler, department: None, office: "east".into() },
        ];
        let notes = notifications(east, &recipients);
        let got: Vec<_> = notes.iter().map(|n| (n.staff_id.0, n.body.clone())).collect();
        assert_eq!(
            got,
            [
                (1, "今日到期1件：C1\n移交待接收：C4\n交办结果待审核：C5".to_owned()),
                (7, "移交待接收：C4\n交办结果待审核：C5".to_owned()),
            ]
        );
    }
}
