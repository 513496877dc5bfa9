//! Every user-facing string of the app, in simplified Chinese, traditional Chinese and English.
//!
//! Components never hold literal text: they ask for a [`Msg`] in the current language, so a new
//! language is one more column here and nothing else.

use qinglang_domain::Lang;

// A message may carry a `#[cfg(feature = "reader")]`: the words only the reader bundle's pages
// (refutations, figures, tracking) use stay out of the citizen bundle's first load (~1 KB brotli).
macro_rules! messages {
    ($($(#[$cfg:meta])* $key:ident => [$hans:expr, $hant:expr, $en:expr],)*) => {
        /// A user-facing string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($(#[$cfg])* $key,)* }

        impl Msg {
            /// Every message, for completeness tests.
            #[cfg(test)]
            pub const ALL: &'static [Msg] = &[$($(#[$cfg])* Msg::$key,)*];

            /// The text in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                let [hans, hant, en] = match self {
                    $($(#[$cfg])* Msg::$key => [$hans, $hant, $en],)*
                };
                match lang {
                    Lang::ZhHans => hans,
                    Lang::ZhHant => hant,
                    Lang::En => en,
                }
            }
        }
    };
}

messages! {
    AppName => ["清朗举报", "清朗檢舉", "Qinglang Reports"],
    TabHome => ["首页", "首頁", "Home"],
    TabReport => ["举报", "檢舉", "Report"],
    TabRefutations => ["辟谣", "闢謠", "Fact checks"],
    TabTrack => ["查询", "查詢", "Track"],
    HomeHeadline => ["共建清朗网络空间", "共建清朗網路空間", "For a clean and civil internet"],
    HomeIntro => ["发现网上有害信息、身边不文明行为，随手举报，件件有回应。", "發現網上有害資訊、身邊不文明行為，隨手檢舉，件件有回應。", "Seen harmful content online or uncivil behaviour in the street? Report it in a minute; every report gets an answer."],
    HomeReportButton => ["我要举报", "我要檢舉", "Make a report"],
    HomeTrackButton => ["查询办理进度", "查詢辦理進度", "Track a report"],
    HomeFigures => ["办理情况", "辦理情況", "Our figures"],
    HomeAnonymous => ["可匿名举报，个人信息严格保密", "可匿名檢舉，個人資訊嚴格保密", "You may stay anonymous; personal details are kept confidential"],
    HomeHotline => ["举报电话 12377", "檢舉電話 12377", "Hotline 12377"],
    #[cfg(feature = "reader")]
    FigReceived => ["收到举报", "收到檢舉", "Received"],
    #[cfg(feature = "reader")]
    FigClosed => ["已办结", "已辦結", "Closed"],
    #[cfg(feature = "reader")]
    FigInProgress => ["办理中", "辦理中", "In progress"],
    #[cfg(feature = "reader")]
    FigPending => ["待受理", "待受理", "Awaiting review"],
    #[cfg(feature = "reader")]
    FigRejected => ["不予受理", "不予受理", "Not accepted"],
    FiguresTitle => ["公开数据", "公開數據", "Public figures"],
    #[cfg(feature = "reader")]
    FiguresNote => ["数据实时统计，不含任何个人信息。", "數據即時統計，不含任何個人資訊。", "Live counts; no personal data."],
    Loading => ["加载中…", "載入中…", "Loading…"],
    LoadFailed => ["加载失败，请检查网络后重试。", "載入失敗，請檢查網路後重試。", "Could not load. Check your connection and try again."],
    Retry => ["重试", "重試", "Try again"],
    Next => ["下一步", "下一步", "Next"],
    Back => ["上一步", "上一步", "Back"],
    StepCategory => ["选择类别", "選擇類別", "Category"],
    StepDetails => ["填写详情", "填寫詳情", "Details"],
    StepEvidence => ["照片和截图", "照片和截圖", "Photos"],
    StepContact => ["联系方式", "聯絡方式", "Contact"],
    EvidenceIntro => ["可添加最多6张照片或截图（选填）。图片会在手机上重新生成，去掉位置等拍摄信息，下方预览就是将要上传的内容。", "可新增最多6張照片或截圖（選填）。圖片會在手機上重新產生，去掉位置等拍攝資訊，下方預覽就是將要上傳的內容。", "Add up to 6 photos or screenshots (optional). Each is redrawn on your phone without its location or camera data; the preview below is exactly what will be sent."],
    AddPhotos => ["添加照片", "新增照片", "Add photos"],
    RemovePhoto => ["删除照片 {n}", "刪除照片 {n}", "Remove photo {n}"],
    PhotoAlt => ["照片 {n}", "照片 {n}", "Photo {n}"],
    PhotoPreparing => ["正在处理照片…", "正在處理照片…", "Preparing photos…"],
    StepReview => ["确认提交", "確認提交", "Review"],
    StepOf => ["第 {n} 步，共 {total} 步", "第 {n} 步，共 {total} 步", "Step {n} of {total}"],
    KindOnline => ["网络有害信息", "網路有害資訊", "Harmful online content"],
    KindOffline => ["身边不文明行为", "身邊不文明行為", "Uncivil behaviour nearby"],
    ChannelFrom => ["来自宣传点：{code}", "來自宣傳點：{code}", "From poster: {code}"],
    DescriptionLabel => ["您看到了什么？", "您看到了什麼？", "What did you see?"],
    DescriptionHint => ["请写清时间、内容和经过，至少4个字。", "請寫清時間、內容和經過，至少4個字。", "Say when, what and how; at least 4 characters."],
    CharCount => ["{n}/2000 字", "{n}/2000 字", "{n}/2000 characters"],
    KeepFirst => ["只保留前2000字", "只保留前2000字", "Keep the first 2,000"],
    LinksLabel => ["有害信息链接", "有害資訊連結", "Link to the content"],
    LinksHint => ["可直接粘贴分享文字，我们会自动识别链接。", "可直接貼上分享文字，我們會自動識別連結。", "Paste the shared text; we will find the link in it."],
    AddLink => ["再加一个链接", "再加一個連結", "Add another link"],
    RemoveLink => ["删除这个链接", "刪除這個連結", "Remove this link"],
    Optional => ["（选填）", "（選填）", "(optional)"],
    PlatformLabel => ["平台", "平台", "Platform"],
    PlatformHint => ["如：微博、抖音、微信", "如：微博、抖音、微信", "e.g. Weibo, Douyin, WeChat"],
    AccountLabel => ["账号名称或ID", "帳號名稱或ID", "Account name or ID"],
    HeldBy => ["承办机构：{name}", "承辦機構：{name}", "Handled by: {name}"],
    SubcategoryLabel => ["具体是哪一类（可选）", "具體是哪一類（可選）", "More specifically (optional)"],
    SubcategoryAny => ["不确定", "不確定", "Not sure"],
    DistrictLabel => ["发生在哪个区", "發生在哪個區", "District"],
    DistrictPlaceholder => ["请选择", "請選擇", "Choose"],
    LocationLabel => ["具体地点", "具體地點", "Exact place"],
    LocationHint => ["如：某路与某路交叉口", "如：某路與某路交叉口", "e.g. the crossing of X Road and Y Road"],
    ContactIntro => ["留下联系方式，方便工作人员向您核实情况。不留也可以匿名举报。", "留下聯絡方式，方便工作人員向您核實情況。不留也可以匿名檢舉。", "Leave contact details so staff can check facts with you, or stay anonymous."],
    Anonymous => ["匿名举报", "匿名檢舉", "Stay anonymous"],
    NameLabel => ["称呼", "稱呼", "Name"],
    PhoneLabel => ["手机号", "手機號碼", "Phone number"],
    ContactPrivacy => ["您的联系方式仅工作人员可见，不会公开。", "您的聯絡方式僅工作人員可見，不會公開。", "Only staff can see your contact details; they are never published."],
    ReviewIntro => ["请核对以下信息，确认无误后提交。", "請核對以下資訊，確認無誤後提交。", "Check the details, then send."],
    ReviewCategory => ["类别", "類別", "Category"],
    ReviewDescription => ["描述", "描述", "Description"],
    ReviewLinks => ["链接", "連結", "Links"],
    ReviewPlace => ["地点", "地點", "Place"],
    ReviewPhotos => ["照片", "照片", "Photos"],
    ReviewPosition => ["大致位置", "大致位置", "Approximate location"],
    ReviewPositionAdded => ["已添加（约1公里范围），仅工作人员可见", "已添加（約1公里範圍），僅工作人員可見", "Added (to within about 1 km); only staff can see it"],
    ReviewContact => ["联系方式", "聯絡方式", "Contact"],
    Edit => ["修改", "修改", "Edit"],
    Submit => ["提交举报", "提交檢舉", "Send report"],
    Submitting => ["正在提交…", "正在提交…", "Sending…"],
    NetworkFailed => ["网络不畅，举报尚未送达。您填写的内容已保存在本机，请稍后点“重试”。", "網路不暢，檢舉尚未送達。您填寫的內容已保存在本機，請稍後點「重試」。", "Network trouble: the report has not arrived yet. What you wrote is saved on this phone; tap “Try again” later."],
    DoneTitle => ["举报已提交", "檢舉已提交", "Report received"],
    DoneIntro => ["请截图或抄下回执编号和查询密码，凭它们查询办理进度。", "請截圖或抄下回執編號和查詢密碼，憑它們查詢辦理進度。", "Take a screenshot or write down the receipt code and password; you need both to track your report."],
    ReceiptCode => ["回执编号", "回執編號", "Receipt code"],
    Secret => ["查询密码", "查詢密碼", "Password"],
    Copy => ["复制", "複製", "Copy"],
    Copied => ["已复制", "已複製", "Copied"],
    CopyManual => ["请长按文字复制", "請長按文字複製", "Long-press the text to copy it"],
    TrackThis => ["查询办理进度", "查詢辦理進度", "Track this report"],
    NewReport => ["再次举报", "再次檢舉", "Make another report"],
    #[cfg(feature = "reader")]
    TrackTitle => ["查询办理进度", "查詢辦理進度", "Track a report"],
    #[cfg(feature = "reader")]
    TrackIntro => ["输入回执编号和查询密码。", "輸入回執編號和查詢密碼。", "Enter the receipt code and password."],
    #[cfg(feature = "reader")]
    TrackButton => ["查询", "查詢", "Look up"],
    #[cfg(feature = "reader")]
    MyReports => ["本机提交过的举报", "本機提交過的檢舉", "Reports sent from this phone"],
    Status => ["办理状态", "辦理狀態", "Status"],
    #[cfg(feature = "reader")]
    Timeline => ["办理记录", "辦理記錄", "History"],
    SubmittedAt => ["提交时间", "提交時間", "Sent"],
    #[cfg(feature = "reader")]
    EvSubmitted => ["举报已提交", "檢舉已提交", "Report received"],
    #[cfg(feature = "reader")]
    EvAccepted => ["已受理", "已受理", "Accepted"],
    #[cfg(feature = "reader")]
    EvRejected => ["不予受理", "不予受理", "Not accepted"],
    #[cfg(feature = "reader")]
    EvTransferred => ["已转交承办单位", "已轉交承辦單位", "Passed to the responsible department"],
    EvReferred => ["已转至", "已轉至", "Now handled by"],
    #[cfg(feature = "reader")]
    EvReply => ["工作人员回复", "工作人員回覆", "Reply from staff"],
    #[cfg(feature = "reader")]
    EvResolved => ["已办结", "已辦結", "Closed"],
    #[cfg(feature = "reader")]
    EvReopened => ["重新办理", "重新辦理", "Reopened"],
    #[cfg(feature = "reader")]
    EvMerged => ["已与相同问题合并办理", "已與相同問題合併辦理", "Merged with a report about the same thing"],
    #[cfg(feature = "reader")]
    EvRated => ["您评价了办理结果", "您評價了辦理結果", "You rated the outcome"],
    #[cfg(feature = "reader")]
    RateTitle => ["评价办理结果", "評價辦理結果", "Rate the outcome"],
    #[cfg(feature = "reader")]
    RateComment => ["补充说明（选填，最多 500 字）", "補充說明（選填，最多 500 字）", "Comment (optional, up to 500 characters)"],
    #[cfg(feature = "reader")]
    RateSubmit => ["提交评价", "提交評價", "Send rating"],
    #[cfg(feature = "reader")]
    RateChoose => ["请选择一项评价。", "請選擇一項評價。", "Choose a rating."],
    #[cfg(feature = "reader")]
    ReopenTitle => ["问题没有解决？", "問題沒有解決？", "Not resolved?"],
    #[cfg(feature = "reader")]
    ReopenHint => ["{date} 前可以申请重新办理。", "{date} 前可以申請重新辦理。", "You can ask for it to be reopened until {date}."],
    #[cfg(feature = "reader")]
    ReopenReason => ["没有解决的原因", "沒有解決的原因", "What is still wrong"],
    #[cfg(feature = "reader")]
    ReopenSubmit => ["申请重新办理", "申請重新辦理", "Reopen"],
    #[cfg(feature = "reader")]
    StatsOnTime => ["按期办结率", "按期辦結率", "Closed on time"],
    #[cfg(feature = "reader")]
    StatsMedian => ["办结用时中位数", "辦結用時中位數", "Median time to close"],
    #[cfg(feature = "reader")]
    StatsSatisfaction => ["满意率", "滿意率", "Satisfied with the outcome"],
    #[cfg(feature = "reader")]
    StatsRatings => ["{n}人评价", "{n}人評價", "{n} ratings"],
    #[cfg(feature = "reader")]
    StatsDays => ["{n} 天", "{n} 天", "{n} days"],
    #[cfg(feature = "reader")]
    StatsNone => ["暂无", "暫無", "None yet"],
    #[cfg(feature = "reader")]
    StatsByCategory => ["各类别收到的举报", "各類別收到的檢舉", "Reports received by category"],
    #[cfg(feature = "reader")]
    StatsByMonth => ["每月收到的举报", "每月收到的檢舉", "Reports received by month"],
    #[cfg(feature = "reader")]
    StatsBySource => ["各受理渠道收到的举报", "各受理管道收到的檢舉", "Reports received by channel"],
    #[cfg(feature = "reader")]
    RefutationsTitle => ["辟谣信息", "闢謠資訊", "Fact checks"],
    #[cfg(feature = "reader")]
    RefutationsEmpty => ["暂无已发布的辟谣信息。", "暫無已發佈的闢謠資訊。", "No fact checks have been published yet."],
    #[cfg(feature = "reader")]
    RefutationsHint => ["看到疑似谣言？可以在“举报”中选择“谣言”类别提交。", "看到疑似謠言？可以在「檢舉」中選擇「謠言」類別提交。", "Seen a rumour? Report it under the “Rumour” category."],
    NotFoundTitle => ["页面不存在", "頁面不存在", "Page not found"],
    NotFoundBody => ["您访问的页面不存在，请返回首页。", "您造訪的頁面不存在，請返回首頁。", "This page does not exist."],
    GoHome => ["返回首页", "返回首頁", "Go to the home page"],
    PrescreenPii => ["您的描述里有他人的个人信息（{items}）。为保护隐私，建议隐去后再提交。", "您的描述裡有他人的個人資訊（{items}）。為保護隱私，建議隱去後再提交。", "Your description contains someone's personal data ({items}). To protect their privacy, consider masking it."],
    MaskPii => ["隐去个人信息", "隱去個人資訊", "Mask personal data"],
    PrescreenCategory => ["内容看起来更像“{name}”类。", "內容看起來更像「{name}」類。", "This looks more like “{name}”."],
    UseCategory => ["改为这一类", "改為這一類", "Use this category"],
    PrescreenShortener => ["{url} 是短链接，请尽量提供打开后的原始链接。", "{url} 是短連結，請盡量提供打開後的原始連結。", "{url} is a short link; give the full address it opens, if you can."],
    PrescreenMalformed => ["{url} 看起来不完整，请检查。", "{url} 看起來不完整，請檢查。", "{url} looks incomplete; check it."],
    ElderSwitch => ["大字", "大字", "Large"],
    ElderMode => ["长辈模式：大字、简明说明", "長輩模式：大字、簡明說明", "Large text mode: bigger text and plain words"],
    HomeIntroPlain => ["网上坏信息、身边不文明事，点下面按钮告诉我们。", "網上壞資訊、身邊不文明事，點下面按鈕告訴我們。", "Seen something bad online or in the street? Tap below to tell us."],
    Language => ["语言", "語言", "Language"],
}

impl Msg {
    /// The message in plain words for the elder-friendly mode (适老化), where there is a simpler
    /// version; else the message itself.
    pub fn plain(self) -> Msg {
        match self {
            Msg::HomeIntro => Msg::HomeIntroPlain,
            other => other,
        }
    }
}

/// Fills `{name}` placeholders in a message.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_owned(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_every_language() {
        for msg in Msg::ALL {
            for lang in Lang::ALL {
                assert!(!msg.text(lang).trim().is_empty(), "{msg:?} is empty in {lang:?}");
            }
            // Placeholders must be the same in every language, or a filled text shows `{n}`.
            let holes = |s: &str| s.matches('{').count();
            assert_eq!(holes(msg.text(Lang::ZhHans)), holes(msg.text(Lang::En)), "{msg:?}");
            assert_eq!(holes(msg.text(Lang::ZhHans)), holes(msg.text(Lang::ZhHant)), "{msg:?}");
        }
    }

    #[test]
    fn plain_words_are_shorter_in_every_language() {
        for msg in Msg::ALL.iter().filter(|m| m.plain() != **m) {
            for lang in Lang::ALL {
                let (plain, full) = (msg.plain().text(lang), msg.text(lang));
                assert!(plain.chars().count() <= full.chars().count(), "{msg:?} in {lang:?}: {plain}");
            }
        }
    }

    #[test]
    fn fill_replaces_placeholders() {
        assert_eq!(fill(Msg::StepOf.text(Lang::En), &[("n", "2"), ("total", "4")]), "Step 2 of 4");
    }
}
