//! Every user-facing string of the staff console, in simplified Chinese (the default),
//! traditional Chinese and English. Kept apart from `crate::i18n::Msg` so the citizen bundle
//! does not carry the console's words (this module only exists with the `console` feature).

use qinglang_domain::Lang;

macro_rules! console_texts {
    ($($key:ident => [$hans:expr, $hant:expr, $en:expr],)*) => {
        /// A console string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Text { $($key,)* }

        impl Text {
            /// Every text, for completeness tests.
            #[cfg(test)]
            pub const ALL: &'static [Text] = &[$(Text::$key,)*];

            /// The text in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(
                        (Text::$key, Lang::ZhHans) => $hans,
                        (Text::$key, Lang::ZhHant) => $hant,
                        (Text::$key, Lang::En) => $en,
                    )*
                }
            }
        }
    };
}

console_texts! {
    ConsoleName => ["清朗 · 工作台", "清朗 · 工作台", "Qinglang · Console"],
    SignInTitle => ["工作人员登录", "工作人員登入", "Staff sign-in"],
    Username => ["用户名", "使用者名稱", "Username"],
    Password => ["密码", "密碼", "Password"],
    SignIn => ["登录", "登入", "Sign in"],
    SigningIn => ["正在登录…", "正在登入…", "Signing in…"],
    SignOut => ["退出登录", "登出", "Sign out"],
    SessionExpired => ["登录已过期，请重新登录。", "登入已逾時，請重新登入。", "Your session has ended. Please sign in again."],
    FillBoth => ["请填写用户名和密码。", "請填寫使用者名稱和密碼。", "Enter your username and password."],
    NavQueue => ["案件队列", "案件佇列", "Case queue"],
    NavDepartment => ["本单位案件", "本單位案件", "Department cases"],
    NavFigures => ["办理统计", "辦理統計", "Figures"],
    NavNotifications => ["通知", "通知", "Notifications"],
    NavStaff => ["账号管理", "帳號管理", "Staff accounts"],
    NavRouting => ["转办规则", "轉辦規則", "Routing rules"],
    NavWebhooks => ["推送设置", "推送設定", "Webhooks"],
    NavAccount => ["我的账号", "我的帳號", "My account"],
    Menu => ["工作台导航", "工作台導覽", "Console navigation"],
    EditorHome => ["您的账号用于发布辟谣信息，不处理举报案件。", "您的帳號用於發佈闢謠資訊，不處理檢舉案件。", "Your account publishes fact checks; it does not handle reports."],
    Role => ["角色", "角色", "Role"],
    Department => ["承办单位", "承辦單位", "Department"],
    FilterState => ["状态", "狀態", "State"],
    FilterCategory => ["类别", "類別", "Category"],
    FilterDistrict => ["区域", "區域", "District"],
    FilterHandler => ["承办人", "承辦人", "Handler"],
    FilterMine => ["我的案件", "我的案件", "Mine"],
    FilterOverdue => ["已超期", "已逾期", "Overdue"],
    FilterDueToday => ["今日到期", "今日到期", "Due today"],
    Any => ["全部", "全部", "All"],
    SortBy => ["排序", "排序", "Sort"],
    SortDue => ["按到期时间", "按到期時間", "By due time"],
    SortPriority => ["按优先级", "按優先級", "By priority"],
    ClearFilters => ["清除筛选", "清除篩選", "Clear filters"],
    ColCase => ["案件", "案件", "Case"],
    ColReport => ["举报内容", "檢舉內容", "Report"],
    ColDeadline => ["办理时限", "辦理時限", "Deadline"],
    More => ["加载更多", "載入更多", "More"],
    QueueEmpty => ["没有符合条件的案件。", "沒有符合條件的案件。", "No cases match."],
    LeftDays => ["剩 {d} 天 {h} 小时", "剩 {d} 天 {h} 小時", "{d} d {h} h left"],
    LeftHours => ["剩 {h} 小时 {m} 分", "剩 {h} 小時 {m} 分", "{h} h {m} min left"],
    OverDays => ["超期 {d} 天 {h} 小时", "逾期 {d} 天 {h} 小時", "overdue by {d} d {h} h"],
    OverHours => ["超期 {h} 小时 {m} 分", "逾期 {h} 小時 {m} 分", "overdue by {h} h {m} min"],
    NoDeadline => ["—", "—", "—"],
    PriorityLow => ["低", "低", "Low"],
    PriorityNormal => ["普通", "普通", "Normal"],
    PriorityHigh => ["高", "高", "High"],
    PriorityUrgent => ["紧急", "緊急", "Urgent"],
    Priority => ["优先级", "優先級", "Priority"],
    Supervised => ["督办件", "督辦件", "Supervised"],
    BackToQueue => ["返回队列", "返回佇列", "Back to the queue"],
    TheReport => ["举报内容", "檢舉內容", "The report"],
    Received => ["收到时间", "收到時間", "Received"],
    Links => ["链接", "連結", "Links"],
    Platform => ["平台", "平台", "Platform"],
    Account => ["账号", "帳號", "Account"],
    Place => ["地点", "地點", "Place"],
    Channel => ["来源宣传点", "來源宣傳點", "Poster"],
    DueAt => ["到期时间", "到期時間", "Due"],
    PrimaryHandler => ["主办（A角）", "主辦（A角）", "Primary (A)"],
    BackupHandler => ["协办（B角）", "協辦（B角）", "Backup (B)"],
    Screening => ["预审结果", "預審結果", "Screening"],
    SuggestedCategory => ["建议类别：{name}", "建議類別：{name}", "Suggested category: {name}"],
    PiiFound => ["含个人信息", "含個人資訊", "Personal data"],
    PiiMobile => ["手机号", "手機號碼", "mobile"],
    PiiId => ["身份证号", "身分證號", "ID number"],
    PiiBank => ["银行卡号", "銀行卡號", "bank card"],
    PiiEmail => ["邮箱", "電郵", "e-mail"],
    Terms => ["命中词条", "命中詞條", "Matched terms"],
    Junk => ["疑似无效内容", "疑似無效內容", "Looks like junk"],
    ShortLink => ["短链接", "短連結", "short link"],
    BadLink => ["链接不完整", "連結不完整", "malformed link"],
    NoFindings => ["未发现需要注意的内容。", "未發現需要注意的內容。", "Nothing of note found."],
    AlreadyRefuted => ["已有相近的辟谣", "已有相近的闢謠", "Already refuted"],
    Similarity => ["相似度 {n}%", "相似度 {n}%", "{n}% similar"],
    TimelineTitle => ["全部记录", "全部記錄", "Every event"],
    StaffOnly => ["内部", "內部", "internal"],
    ByReporter => ["举报人", "檢舉人", "reporter"],
    BySystem => ["系统", "系統", "system"],
    ByStaff => ["工作人员 #{id}", "工作人員 #{id}", "staff #{id}"],
    EvSubmitted => ["收到举报", "收到檢舉", "Report received"],
    EvAccepted => ["受理", "受理", "Accepted"],
    EvRejected => ["不予受理", "不予受理", "Not accepted"],
    EvTransferred => ["转办", "轉辦", "Transferred"],
    EvFeedback => ["办理反馈", "辦理回饋", "Department feedback"],
    EvResolved => ["办结", "辦結", "Closed"],
    EvReopened => ["举报人申请重新办理", "檢舉人申請重新辦理", "Reopened by the reporter"],
    EvMerged => ["合并", "合併", "Merged"],
    EvAssigned => ["指定承办人", "指定承辦人", "Handlers assigned"],
    EvReminded => ["催办", "催辦", "Reminder"],
    EvSupervised => ["督办", "督辦", "Supervision"],
    EvEscalated => ["转B角办理", "轉B角辦理", "Escalated to the backup"],
    EvNote => ["内部备注", "內部備註", "Internal note"],
    EvReply => ["回复举报人", "回覆檢舉人", "Reply to the reporter"],
    EvContactViewed => ["查看了联系方式", "查看了聯絡方式", "Contact details viewed"],
    EvRated => ["举报人评价", "檢舉人評價", "Rated by the reporter"],
    Actions => ["办理", "辦理", "Actions"],
    NoActions => ["当前状态下您没有可执行的操作。", "目前狀態下您沒有可執行的操作。", "There is nothing you can do on this case now."],
    ActAccept => ["受理", "受理", "Accept"],
    ActReject => ["不予受理", "不予受理", "Reject"],
    ActTransfer => ["转办", "轉辦", "Transfer"],
    ActFeedback => ["办理反馈", "辦理回饋", "Report back"],
    ActResolve => ["办结", "辦結", "Close"],
    ActMerge => ["合并到其他案件", "合併到其他案件", "Merge into another case"],
    ActAssign => ["指定承办人", "指定承辦人", "Assign"],
    ActRemind => ["催办", "催辦", "Remind"],
    ActSupervise => ["督办", "督辦", "Supervise"],
    ActNote => ["内部备注", "內部備註", "Note"],
    ActReply => ["回复举报人", "回覆檢舉人", "Reply to the reporter"],
    Confirm => ["确定", "確定", "Confirm"],
    Cancel => ["取消", "取消", "Cancel"],
    Working => ["正在提交…", "正在提交…", "Saving…"],
    Done => ["已完成。", "已完成。", "Done."],
    Reason => ["理由", "理由", "Reason"],
    MoreWords => ["补充说明", "補充說明", "More words"],
    OtherNeedsText => ["选择“其他”时必须写明理由。", "選擇「其他」時必須寫明理由。", "Say why when you choose “Other”."],
    Required => ["此项必填。", "此項必填。", "This is required."],
    ProposedDept => ["（转办规则建议）", "（轉辦規則建議）", "(proposed by the routing rules)"],
    TransferReason => ["转办理由（再次转办时必填）", "轉辦理由（再次轉辦時必填）", "Reason (required for a second transfer)"],
    DeptCode => ["单位代码", "單位代碼", "Department code"],
    ReplyText => ["回复内容（举报人可见）", "回覆內容（檢舉人可見）", "Reply (the reporter reads it)"],
    FeedbackText => ["办理情况（内部）", "辦理情況（內部）", "What was done (internal)"],
    NoteText => ["备注（仅工作人员可见）", "備註（僅工作人員可見）", "Note (staff only)"],
    RemindText => ["催办说明（选填）", "催辦說明（選填）", "Message (optional)"],
    SuperviseText => ["督办理由", "督辦理由", "Why"],
    Template => ["常用回复", "常用回覆", "Reply templates"],
    TplResolved => ["您反映的问题已转交相关部门依法处理，感谢您对清朗网络空间建设的支持。", "您反映的問題已轉交相關部門依法處理，感謝您對清朗網路空間建設的支持。", "The matter you reported was passed to the responsible department and dealt with according to law. Thank you for your support."],
    TplRemoved => ["经核查，相关有害信息已删除，涉事账号已依规处置。", "經核查，相關有害資訊已刪除，涉事帳號已依規處置。", "We checked: the harmful content has been removed and the account dealt with under the rules."],
    TplNeedInfo => ["您反映的情况正在核实中，如有进展将及时告知。", "您反映的情況正在核實中，如有進展將及時告知。", "We are checking what you reported and will tell you when there is news."],
    TplNotFound => ["经核查，未发现您反映的违法违规情况。如有新的线索，欢迎再次举报。", "經核查，未發現您反映的違法違規情況。如有新的線索，歡迎再次檢舉。", "We checked and found nothing unlawful. If you have new leads, please report again."],
    MergeInto => ["并入案件编号", "併入案件編號", "Merge into case number"],
    Primary => ["主办（A角）账号编号", "主辦（A角）帳號編號", "Primary (A) staff number"],
    Backup => ["协办（B角）账号编号（选填）", "協辦（B角）帳號編號（選填）", "Backup (B) staff number (optional)"],
    Me => ["我", "我", "me"],
    NotANumber => ["请填写数字编号。", "請填寫數字編號。", "Enter a number."],
    ShowContact => ["查看联系方式", "查看聯絡方式", "Show contact details"],
    ContactLogged => ["查看举报人联系方式会被记录（谁、何时）。确定查看吗？", "查看檢舉人聯絡方式會被記錄（誰、何時）。確定查看嗎？", "Viewing the reporter's contact details is logged (who and when). Show them?"],
    NoContact => ["举报人未留联系方式（匿名）。", "檢舉人未留聯絡方式（匿名）。", "The reporter left no contact details (anonymous)."],
    ContactName => ["称呼", "稱呼", "Name"],
    ContactPhone => ["电话", "電話", "Phone"],
    Mine => ["本人", "本人", "me"],
    NotFoundPage => ["没有这个页面。", "沒有這個頁面。", "There is no such page."],
    Figures => ["办理统计", "辦理統計", "Figures"],
    ByDepartment => ["按承办单位", "按承辦單位", "By department"],
    ByHandler => ["按承办人", "按承辦人", "By handler"],
    Open => ["在办", "在辦", "Open"],
    Overdue => ["超期", "逾期", "Overdue"],
    ClosedCount => ["已办结", "已辦結", "Closed"],
    MedianDays => ["办结用时中位数（天）", "辦結用時中位數（天）", "Median days to close"],
    OnTimeRate => ["按时办结率", "按時辦結率", "On-time rate"],
    Unassigned => ["未指定", "未指定", "Unassigned"],
    NotificationsEmpty => ["暂无通知。", "暫無通知。", "No notifications."],
    MarkAllRead => ["全部标为已读", "全部標為已讀", "Mark all read"],
    Unread => ["未读", "未讀", "unread"],
    Save => ["保存", "儲存", "Save"],
    Saved => ["已保存。", "已儲存。", "Saved."],
    Add => ["添加", "新增", "Add"],
    Remove => ["删除", "刪除", "Remove"],
    Active => ["启用", "啟用", "Active"],
    Disabled => ["已停用", "已停用", "Disabled"],
    Disable => ["停用", "停用", "Disable"],
    Enable => ["启用", "啟用", "Enable"],
    DisplayName => ["姓名", "姓名", "Display name"],
    NewAccount => ["新建账号", "新建帳號", "New account"],
    InitialPassword => ["初始密码（至少12位）", "初始密碼（至少12位）", "Initial password (12+ characters)"],
    AnyValue => ["任意", "任意", "any"],
    RuleOrder => ["规则按顺序匹配，更具体的规则优先。", "規則按順序比對，更具體的規則優先。", "Rules match in order; more specific rules win."],
    WebhookKind => ["类型", "類型", "Kind"],
    WebhookUrl => ["地址", "地址", "URL"],
    WebhookName => ["名称", "名稱", "Name"],
}

/// Fills `{name}` placeholders.
pub use crate::i18n::fill;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_every_language_and_the_same_placeholders() {
        for text in Text::ALL {
            for lang in Lang::ALL {
                assert!(!text.text(lang).trim().is_empty(), "{text:?} is empty in {lang:?}");
            }
            fn holes(s: &str) -> Vec<&str> {
                let mut names: Vec<&str> =
                    s.split('{').skip(1).filter_map(|p| p.split_once('}')).map(|p| p.0).collect();
                names.sort_unstable();
                names
            }
            assert_eq!(holes(text.text(Lang::ZhHans)), holes(text.text(Lang::En)), "{text:?}");
            assert_eq!(holes(text.text(Lang::ZhHans)), holes(text.text(Lang::ZhHant)), "{text:?}");
        }
    }
}
