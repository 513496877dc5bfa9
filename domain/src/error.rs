//! Error codes the API returns and the UI translates.
//!
//! API boundary: every refusal the worker sends is `{"error": "<code>", "message": "…", "field": …}`
//! where `<code>` is one of these variants in snake_case. The app never shows a raw message from
//! Rust; it matches on the code and shows [`ErrorCode::message`] in the user's language.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// Every error the API can answer with.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// The body is not valid JSON, has an unknown field or a value of the wrong type.
    BadJson,
    /// The body is larger than the route accepts.
    BodyTooLarge,
    /// The body is not `application/json`.
    UnsupportedMediaType,
    /// No such route or resource.
    NotFound,
    /// The route exists but not with this method.
    MethodNotAllowed,
    /// The idempotency key is missing or not a long random token.
    InvalidIdempotencyKey,
    /// The same idempotency key was used for a different report.
    IdempotencyConflict,
    /// The category code is not one of the deployment's categories.
    UnknownCategory,
    /// The description is empty or only whitespace.
    DescriptionEmpty,
    /// The description is shorter than the minimum.
    DescriptionTooShort,
    /// The description is longer than the maximum.
    DescriptionTooLong,
    /// More links than allowed.
    TooManyLinks,
    /// A link is not a well-formed web address.
    LinkInvalid,
    /// A link uses a scheme other than http or https.
    LinkScheme,
    /// The category needs at least one link.
    LinkRequired,
    /// The category needs a district.
    LocationRequired,
    /// The district code is not one of the deployment's districts.
    UnknownDistrict,
    /// The device position is outside the valid range of latitude and longitude.
    PositionInvalid,
    /// A short text field (platform, account, place, name) is too long.
    FieldTooLong,
    /// The phone number is not a mainland mobile or landline number.
    PhoneInvalid,
    /// The channel (poster) code is malformed.
    ChannelInvalid,
    /// The receipt code is malformed or its check character is wrong (a typo).
    ReceiptCodeInvalid,
    /// The tracking secret is missing.
    SecretMissing,
    /// No report matches this receipt code and secret.
    ReceiptNotFound,
    /// Too many requests from this client; try again later.
    RateLimited,
    /// Something went wrong on our side; nothing was changed.
    Internal,
    /// The signed-in staff member's role may not take this action.
    Forbidden,
    /// A department liaison acted on a case not currently transferred to their department.
    CaseNotInDepartment,
    /// The case's current status does not allow this action (someone else may have acted first).
    CaseWrongState,
    /// The action needs a reason.
    ReasonRequired,
    /// Closing or replying needs a reply to the reporter.
    ReplyRequired,
    /// A note or feedback needs some text.
    TextRequired,
    /// A transfer needs a department.
    DepartmentRequired,
    /// The case is already with that department.
    SameDepartment,
    /// The time to reopen a closed case has passed.
    ReopenWindowClosed,
    /// The case was already reopened as often as allowed.
    ReopenLimitReached,
    /// A case cannot be merged into itself.
    MergeIntoSelf,
    /// The case to merge into was not accepted or is itself merged.
    MergeTargetInvalid,
    /// The primary and backup handler are the same person.
    SameHandler,
    /// The case is not overdue with an idle primary handler, or has no backup handler.
    NotDueForEscalation,
    /// A staff route was called without a valid session (never signed in, signed out or expired).
    NotSignedIn,
    /// Wrong username or password; deliberately does not say which.
    InvalidCredentials,
    /// A state-changing staff request without the session's CSRF token in `x-csrf-token`.
    CsrfTokenInvalid,
    /// The department code is not one of the deployment's departments.
    UnknownDepartment,
    /// The staff id is not an active staff account.
    UnknownStaff,
    /// The account named as a case's handler has a role that cannot handle cases (only handlers and
    /// admins can, `workflow::may_be_assigned`).
    NotAHandler,
    /// A field that must be filled in is empty (the `field` says which).
    FieldRequired,
    /// A list (tags, sources, body blocks, linked cases) has more entries than allowed.
    TooManyItems,
    /// The verdict code is not one of the deployment's verdicts.
    UnknownVerdict,
    /// A tag is empty, too long, or has spaces or punctuation.
    TagInvalid,
    /// A linked case id is not a case.
    UnknownCase,
    /// The refutation's status does not allow this action.
    RefutationWrongState,
    /// The refutation was changed by someone else since the editor loaded it.
    RefutationChanged,
    /// Updating a published refutation needs a note saying what changed.
    UpdateNoteRequired,
    /// Only a resolved case can be rated.
    RatingNotOpen,
    /// This resolution was already rated.
    AlreadyRated,
    /// A username is not 3–32 of `a-z 0-9 . _ -` starting with a letter.
    UsernameInvalid,
    /// The username belongs to another account.
    UsernameTaken,
    /// A password shorter than 12 characters.
    PasswordTooShort,
    /// A display name that is empty or longer than 40 characters.
    DisplayNameInvalid,
    /// An admin tried to disable or re-role their own account.
    OwnAccount,
    /// Two routing rules for the same category and district.
    DuplicateRule,
    /// A webhook URL that is not `https://` with a host name (or loopback `http://` in development).
    WebhookUrlInvalid,
    /// An evidence file is not a well-formed JPEG, PNG or WebP picture.
    ImageInvalid,
    /// An evidence picture still carries EXIF or XMP metadata (which may hold the place it was taken).
    ImageMetadata,
    /// An evidence picture is larger than allowed, in bytes or in pixels.
    ImageTooLarge,
    /// More evidence pictures (or more bytes of them) than one report may carry.
    TooManyImages,
    /// The report names an evidence upload that does not exist or belongs to another report.
    EvidenceMissing,
    /// A channel with this code exists already.
    ChannelExists,
    /// A text field holds only characters that cannot be seen (zero-width spaces, fillers, format
    /// controls …; `qinglang_domain::text`).
    TextInvisible,
    /// A date outside what the action allows (an extension, a request's due date).
    DateOutOfRange,
    /// An extension request already waits for a supervisor's decision.
    ExtensionPending,
    /// No extension request waits for a decision.
    NoExtensionPending,
    /// The case already has an open consultation.
    ConsultationOpen,
    /// The case has no open consultation.
    NoConsultation,
    /// The department has already answered.
    AlreadyAnswered,
    /// The agency already has an open assistance request on the case.
    RequestOpen,
    /// Returned twice, the case waits for a supervisor's decision.
    AwaitingSupervisor,
    /// Not a channel staff may enter a report for (the public form is `web`).
    SourceInvalid,
    /// A report with this source and reference exists already (an import row seen before).
    DuplicateReference,
    /// Some rows of an import are bad: the answer names each; nothing was imported.
    ImportInvalid,
    /// A taxonomy code is not 2–40 of `a-z 0-9 _` starting with a letter.
    CodeInvalid,
    /// A category, district or department with this code exists (retired ones too: codes are never reused).
    CodeTaken,
    /// A name is empty or longer than 40 characters.
    NameInvalid,
    /// The parent category is unknown, retired, or already at the deepest level.
    ParentInvalid,
    /// A subcategory's online/offline kind differs from its parent's.
    KindMismatch,
    /// A number outside the range the field allows.
    NumberOutOfRange,
    /// The office code is not one of the deployment's offices.
    UnknownOffice,
    /// A referral to the office that already holds the case.
    SameOffice,
    /// An office's level must be below its parent's (province → city → county → street → community).
    LevelInvalid,
    /// The root office has no parent office to escalate to.
    NoParentOffice,
    /// An escalation to the parent office is already waiting for its answer.
    EscalationOpen,
    /// A takeover or guidance from an office the case was not escalated to.
    NoEscalation,
    /// The case was delegated by an office above; its result goes back there for review.
    AlreadyDelegated,
    /// The delegated office's proposed result waits for the delegating office's review.
    AwaitingReview,
    /// No proposed result waits for this office's review.
    NoReviewPending,
    /// A case is delegated only to an office below the one holding it.
    OfficeNotBelow,
    /// The case is on its way to another office's database (a hand-over between shards, usually
    /// under a second); nothing can be done to it until it arrives.
    CaseMoving,
    /// It cannot be retired while something still uses it (an active subcategory; a department's
    /// categories, routing rules, liaison accounts or open cases).
    StillInUse,
}

impl ErrorCode {
    /// The HTTP status this error is answered with.
    pub fn http_status(self) -> u16 {
        use ErrorCode::*;
        match self {
            BadJson
            | InvalidIdempotencyKey
            | UnknownCategory
            | DescriptionEmpty
            | DescriptionTooShort
            | DescriptionTooLong
            | TooManyLinks
            | LinkInvalid
            | LinkScheme
            | LinkRequired
            | LocationRequired
            | UnknownDistrict
            | PositionInvalid
            | FieldTooLong
            | PhoneInvalid
            | ChannelInvalid
            | ReceiptCodeInvalid
            | SecretMissing
            | ReasonRequired
            | ReplyRequired
            | TextRequired
            | DepartmentRequired
            | MergeIntoSelf
            | SameHandler
            | UnknownDepartment
            | UnknownStaff
            | NotAHandler
            | FieldRequired
            | TooManyItems
            | UnknownVerdict
            | TagInvalid
            | UnknownCase
            | UpdateNoteRequired
            | UsernameInvalid
            | PasswordTooShort
            | DisplayNameInvalid
            | DuplicateRule
            | WebhookUrlInvalid
            | ImageInvalid
            | ImageMetadata
            | TooManyImages
            | EvidenceMissing
            | TextInvisible
            | DateOutOfRange
            | SourceInvalid
            | ImportInvalid
            | CodeInvalid
            | NameInvalid
            | ParentInvalid
            | KindMismatch
            | NumberOutOfRange
            | UnknownOffice
            | OfficeNotBelow
            | LevelInvalid => 400,
            NotSignedIn | InvalidCredentials => 401,
            Forbidden | CaseNotInDepartment | CsrfTokenInvalid => 403,
            NotFound | ReceiptNotFound => 404,
            MethodNotAllowed => 405,
            IdempotencyConflict | CaseWrongState | SameDepartment | ReopenWindowClosed | ReopenLimitReached
            | MergeTargetInvalid | NotDueForEscalation | RefutationWrongState | RefutationChanged | RatingNotOpen
            | AlreadyRated | UsernameTaken | OwnAccount | ChannelExists | ExtensionPending | NoExtensionPending
            | ConsultationOpen | NoConsultation | AlreadyAnswered | RequestOpen | AwaitingSupervisor
            | DuplicateReference | CodeTaken | StillInUse | SameOffice | NoParentOffice | EscalationOpen
            | NoEscalation | AlreadyDelegated | AwaitingReview | NoReviewPending | CaseMoving => 409,
            BodyTooLarge | ImageTooLarge => 413,
            UnsupportedMediaType => 415,
            RateLimited => 429,
            Internal => 500,
        }
    }

    /// A human sentence for this error in `lang`.
    pub fn message(self, lang: Lang) -> &'static str {
        use ErrorCode::*;
        let [hans, hant, en] = match self {
            BadJson => [
                "提交的内容格式有误，请刷新页面后重试。",
                "提交的內容格式有誤，請重新整理頁面後重試。",
                "The request was malformed. Reload the page and try again.",
            ],
            BodyTooLarge => ["提交的内容太长了。", "提交的內容太長了。", "The request is too large."],
            UnsupportedMediaType => {
                ["提交的内容类型不受支持。", "提交的內容類型不受支援。", "This content type is not supported."]
            }
            NotFound => ["没有找到这个页面或内容。", "沒有找到這個頁面或內容。", "Not found."],
            MethodNotAllowed => ["不支持这种操作。", "不支援這種操作。", "This operation is not allowed here."],
            InvalidIdempotencyKey => [
                "提交标识无效，请刷新页面后重试。",
                "提交標識無效，請重新整理頁面後重試。",
                "The submission token is invalid. Reload the page and try again.",
            ],
            IdempotencyConflict => [
                "这份举报已经提交过，内容不同。请刷新页面后重新填写。",
                "這份檢舉已經提交過，內容不同。請重新整理頁面後重新填寫。",
                "This report was already sent with different content. Reload the page and start again.",
            ],
            UnknownCategory => ["请选择一个举报类别。", "請選擇一個檢舉類別。", "Choose a category."],
            DescriptionEmpty => ["请描述您看到的情况。", "請描述您看到的情況。", "Describe what you saw."],
            DescriptionTooShort => [
                "描述太短了，请至少写4个字。",
                "描述太短了，請至少寫4個字。",
                "The description is too short: write at least 4 characters.",
            ],
            DescriptionTooLong => [
                "描述太长了，请控制在2000字以内。",
                "描述太長了，請控制在2000字以內。",
                "The description is too long: keep it under 2,000 characters.",
            ],
            TooManyLinks => ["最多填写5个链接。", "最多填寫5個連結。", "Give at most 5 links."],
            LinkInvalid => [
                "链接格式不正确，请粘贴完整的网址。",
                "連結格式不正確，請貼上完整的網址。",
                "This link is not a valid web address. Paste the full address.",
            ],
            LinkScheme => [
                "链接必须以 http:// 或 https:// 开头。",
                "連結必須以 http:// 或 https:// 開頭。",
                "Links must start with http:// or https://.",
            ],
            LinkRequired => [
                "这一类举报需要填写有害信息的链接。",
                "這一類檢舉需要填寫有害資訊的連結。",
                "This category needs a link to the content.",
            ],
            LocationRequired => {
                ["请选择发生地点所在的区。", "請選擇發生地點所在的區。", "Choose the district where it happened."]
            }
            UnknownDistrict => ["请从列表中选择一个区。", "請從列表中選擇一個區。", "Choose a district from the list."],
            PositionInvalid => [
                "位置信息有误，请移除位置后重试。",
                "位置資訊有誤，請移除位置後重試。",
                "The location is not valid; remove it and try again.",
            ],
            FieldTooLong => ["填写的内容太长了。", "填寫的內容太長了。", "This field is too long."],
            TextInvisible => [
                "这里只有看不见的字符，请用文字填写。",
                "這裡只有看不見的字元，請用文字填寫。",
                "This holds only invisible characters. Write it in words.",
            ],
            PhoneInvalid => [
                "请填写正确的手机号或固定电话。",
                "請填寫正確的手機號碼或市話。",
                "Enter a valid mobile or landline number.",
            ],
            ChannelInvalid => ["二维码来源无效。", "二維碼來源無效。", "The poster code is invalid."],
            ReceiptCodeInvalid => [
                "回执编号有误，请核对后重新输入。",
                "回執編號有誤，請核對後重新輸入。",
                "This receipt code has a typo. Check it and try again.",
            ],
            SecretMissing => ["请输入查询密码。", "請輸入查詢密碼。", "Enter the tracking password."],
            ReceiptNotFound => {
                ["回执编号或查询密码不正确。", "回執編號或查詢密碼不正確。", "The receipt code or password is wrong."]
            }
            RateLimited => {
                ["操作太频繁了，请稍后再试。", "操作太頻繁了，請稍後再試。", "Too many attempts. Try again later."]
            }
            Internal => [
                "系统暂时出了问题，您的操作没有生效，请稍后再试。",
                "系統暫時出了問題，您的操作沒有生效，請稍後再試。",
                "Something went wrong on our side; nothing was changed. Try again later.",
            ],
            Forbidden => ["您的账号无权进行这项操作。", "您的帳號無權進行這項操作。", "Your account may not do this."],
            ReopenWindowClosed => [
                "办结已超过可申请重新办理的期限。",
                "辦結已超過可申請重新辦理的期限。",
                "It is too late to reopen this case.",
            ],
            ReopenLimitReached => [
                "这件举报重新办理的次数已达上限。",
                "這件檢舉重新辦理的次數已達上限。",
                "This case cannot be reopened again.",
            ],
            NotSignedIn => ["请先登录。", "請先登入。", "Sign in first."],
            FieldRequired => ["请填写这一项。", "請填寫這一項。", "Fill in this field."],
            TooManyItems => ["条目太多了，请删去一些。", "條目太多了，請刪去一些。", "Too many entries: remove some."],
            RatingNotOpen => {
                ["办结后才能评价。", "辦結後才能評價。", "You can rate the outcome once the case is closed."]
            }
            AlreadyRated => {
                ["您已经评价过这次办理结果。", "您已經評價過這次辦理結果。", "You have already rated this outcome."]
            }
            ImageInvalid => [
                "这不是可以识别的图片，请选择照片或截图（JPEG、PNG、WebP）。",
                "這不是可以辨識的圖片，請選擇照片或截圖（JPEG、PNG、WebP）。",
                "This is not a picture we can read. Choose a photo or screenshot (JPEG, PNG, WebP).",
            ],
            ImageMetadata => [
                "图片仍带有拍摄信息（可能含位置），请重新选择。",
                "圖片仍帶有拍攝資訊（可能含位置），請重新選擇。",
                "The picture still carries camera data (possibly its location). Choose it again.",
            ],
            ImageTooLarge => [
                "图片太大了（每张最多3MB、2048像素）。",
                "圖片太大了（每張最多3MB、2048像素）。",
                "The picture is too large (at most 3 MB and 2048 pixels each).",
            ],
            TooManyImages => [
                "图片太多了：每份举报最多6张、共12MB。",
                "圖片太多了：每份檢舉最多6張、共12MB。",
                "Too many pictures: at most 6 (12 MB in all) per report.",
            ],
            EvidenceMissing => [
                "有图片没有上传成功，请重试或删除该图片。",
                "有圖片沒有上傳成功，請重試或刪除該圖片。",
                "A picture was not uploaded. Retry or remove it.",
            ],
            UnknownOffice => ["没有这个网信机构。", "沒有這個網信機構。", "There is no such office."],
            CodeInvalid | CodeTaken | NameInvalid | ParentInvalid | KindMismatch | NumberOutOfRange | StillInUse
            | LevelInvalid | SameOffice | NoParentOffice | EscalationOpen | NoEscalation | AlreadyDelegated
            | AwaitingReview | NoReviewPending | CaseMoving | OfficeNotBelow | SourceInvalid | DuplicateReference
            | ImportInvalid | DateOutOfRange | ExtensionPending | NoExtensionPending | ConsultationOpen
            | NoConsultation | AlreadyAnswered | RequestOpen | AwaitingSupervisor | CaseNotInDepartment
            | CaseWrongState | ReasonRequired | ReplyRequired | TextRequired | DepartmentRequired | SameDepartment
            | MergeIntoSelf | MergeTargetInvalid | SameHandler | NotDueForEscalation | InvalidCredentials
            | CsrfTokenInvalid | UnknownDepartment | UnknownStaff | NotAHandler | UnknownVerdict | TagInvalid
            | UnknownCase | RefutationWrongState | RefutationChanged | UpdateNoteRequired | UsernameInvalid
            | UsernameTaken | PasswordTooShort | DisplayNameInvalid | OwnAccount | DuplicateRule
            | WebhookUrlInvalid | ChannelExists => return staff_message(self, lang),
        };
        match lang {
            Lang::ZhHans => hans,
            Lang::ZhHant => hant,
            Lang::En => en,
        }
    }
}

/// The sentences of the errors only staff meet (the console's, the staff API's). The citizen's bundle
/// is built without the `staff-messages` feature: it never meets these codes, so it does not carry
/// their words, and would show [`GENERIC`] if one ever reached it.
#[cfg(feature = "staff-messages")]
fn staff_message(code: ErrorCode, lang: Lang) -> &'static str {
    use ErrorCode::*;
    let [hans, hant, en] = match code {
        CodeInvalid => [
            "代码须为 2–40 个小写字母、数字或下划线，并以字母开头。",
            "代碼須為 2–40 個小寫字母、數字或底線，並以字母開頭。",
            "A code is 2–40 lowercase letters, digits or underscores, starting with a letter.",
        ],
        CodeTaken => [
            "这个代码已被使用（停用的也算，代码不会重复使用）。",
            "這個代碼已被使用（停用的也算，代碼不會重複使用）。",
            "This code is taken (retired ones count too: codes are never reused).",
        ],
        NameInvalid => ["名称不能为空，最多 40 个字。", "名稱不能為空，最多 40 個字。", "A name is 1–40 characters."],
        ParentInvalid => [
            "上级类别不存在、已停用，或已是最深一级。",
            "上級類別不存在、已停用，或已是最深一級。",
            "The parent category is unknown, retired, or already at the deepest level.",
        ],
        KindMismatch => [
            "子类别的线上/线下属性须与上级类别一致。",
            "子類別的線上/線下屬性須與上級類別一致。",
            "A subcategory is online or offline like its parent.",
        ],
        SameOffice => ["案件已在这个机构。", "案件已在這個機構。", "The case is already with this office."],
        NoParentOffice => ["本机构没有上级机构。", "本機構沒有上級機構。", "This office has no parent office."],
        EscalationOpen => [
            "已报请上级支持，正在等待上级答复。",
            "已報請上級支援，正在等待上級答覆。",
            "Already escalated: the parent office has not answered yet.",
        ],
        NoEscalation => [
            "这个案件没有报请本机构支持。",
            "這個案件沒有報請本機構支援。",
            "This case was not escalated to this office.",
        ],
        AlreadyDelegated => [
            "这是上级交办的案件：办理结果报上级审核，不能再交办或移交；需要时请报请上级支持。",
            "這是上級交辦的案件：辦理結果報上級審核，不能再交辦或移交；需要時請報請上級支援。",
            "An office above delegated this case: its result goes back there for review. Escalate if it needs to move.",
        ],
        AwaitingReview => [
            "办理结果已报上级审核，请等待审核。",
            "辦理結果已報上級審核，請等待審核。",
            "The proposed result is waiting for the delegating office's review.",
        ],
        NoReviewPending => [
            "没有等待本机构审核的办理结果。",
            "沒有等待本機構審核的辦理結果。",
            "No result is waiting for this office's review.",
        ],
        CaseMoving => [
            "这件举报正在移交到另一机构，请稍后再试。",
            "這件檢舉正在移交到另一機構，請稍後再試。",
            "This case is on its way to another office. Try again in a moment.",
        ],
        OfficeNotBelow => [
            "只能交办给本机构的下级机构。",
            "只能交辦給本機構的下級機構。",
            "A case is delegated only to an office below yours.",
        ],
        LevelInvalid => [
            "下级机构的层级须低于上级（省、市、县区、街道乡镇、社区村）。",
            "下級機構的層級須低於上級（省、市、縣區、街道鄉鎮、社區村）。",
            "An office sits below its parent's level (province, city, county, street, community).",
        ],
        NumberOutOfRange => ["数值超出允许范围。", "數值超出允許範圍。", "This number is out of range."],
        StillInUse => [
            "仍在使用中，不能停用：请先处理其下属类别、路由规则、联络员账号、海报渠道或未办结案件。",
            "仍在使用中，不能停用：請先處理其下屬類別、路由規則、聯絡員帳號、海報渠道或未辦結案件。",
            "Still in use: retire its subcategories, or move its routing rules, liaison accounts, posters and open cases first.",
        ],
        SourceInvalid => ["来源渠道无效。", "來源管道無效。", "This intake channel is not valid here."],
        DuplicateReference => {
            ["这个来源编号已经登记过了。", "這個來源編號已經登記過了。", "A report with this reference exists already."]
        }
        ImportInvalid => [
            "有些行有误，已逐行列出；一条都没有导入。",
            "有些列有誤，已逐列列出；一筆都沒有匯入。",
            "Some rows are wrong (each is listed); nothing was imported.",
        ],
        DateOutOfRange => [
            "日期不在允许的范围内，请重新选择。",
            "日期不在允許的範圍內，請重新選擇。",
            "This date is outside the allowed range. Choose another.",
        ],
        ExtensionPending => [
            "已有延期申请在等待审批。",
            "已有延期申請在等待審批。",
            "An extension request is already waiting for a decision.",
        ],
        NoExtensionPending => ["没有待审批的延期申请。", "沒有待審批的延期申請。", "No extension request is waiting."],
        ConsultationOpen => [
            "这件案件已有进行中的会商，请先作出会商结论。",
            "這件案件已有進行中的會商，請先作出會商結論。",
            "A consultation is already open on this case; conclude it first.",
        ],
        NoConsultation => ["这件案件没有进行中的会商。", "這件案件沒有進行中的會商。", "No consultation is open."],
        AlreadyAnswered => ["本单位已经答复过了。", "本單位已經答覆過了。", "Your department has already answered."],
        RequestOpen => [
            "该单位对这件案件已有未答复的协查请求。",
            "該單位對這件案件已有未答覆的協查請求。",
            "This agency already has an open assistance request on the case.",
        ],
        AwaitingSupervisor => [
            "这件案件已被退回两次，需由督办员作出决定。",
            "這件案件已被退回兩次，需由督辦員作出決定。",
            "Returned twice, this case waits for a supervisor's decision.",
        ],
        CaseNotInDepartment => [
            "这件举报目前没有转办到您的单位。",
            "這件檢舉目前沒有轉辦到您的單位。",
            "This case is not currently with your department.",
        ],
        CaseWrongState => [
            "这件举报的状态已经变化，不能进行这项操作。请刷新页面。",
            "這件檢舉的狀態已經變化，不能進行這項操作。請重新整理頁面。",
            "This case's status does not allow that any more. Reload the page.",
        ],
        ReasonRequired => ["请填写原因。", "請填寫原因。", "Give a reason."],
        ReplyRequired => ["请填写给举报人的答复。", "請填寫給檢舉人的答覆。", "Write a reply to the reporter."],
        TextRequired => ["请填写内容。", "請填寫內容。", "Write something first."],
        DepartmentRequired => ["请选择承办单位。", "請選擇承辦單位。", "Choose a department."],
        SameDepartment => {
            ["这件举报已经在该单位办理。", "這件檢舉已經在該單位辦理。", "The case is already with that department."]
        }
        MergeIntoSelf => ["不能合并到本件。", "不能合併到本件。", "A case cannot be merged into itself."],
        MergeTargetInvalid => [
            "不能合并到未受理或已合并的举报。",
            "不能合併到未受理或已合併的檢舉。",
            "Cannot merge into a case that was not accepted or is itself merged.",
        ],
        SameHandler => [
            "主办人和协办人不能是同一人。",
            "主辦人和協辦人不能是同一人。",
            "The primary and backup handler must differ.",
        ],
        NotDueForEscalation => [
            "这件举报目前不需要转交协办人。",
            "這件檢舉目前不需要轉交協辦人。",
            "This case does not need escalation now.",
        ],
        InvalidCredentials => ["用户名或密码不正确。", "使用者名稱或密碼不正確。", "Wrong username or password."],
        CsrfTokenInvalid => [
            "页面已过期，请刷新后重试。",
            "頁面已過期，請重新整理後重試。",
            "This page has expired. Reload it and try again.",
        ],
        UnknownDepartment => ["没有这个承办单位。", "沒有這個承辦單位。", "There is no such department."],
        UnknownStaff => ["没有这个工作人员。", "沒有這個工作人員。", "There is no such staff member."],
        NotAHandler => [
            "只能指定受理员或管理员承办案件。",
            "只能指定受理員或管理員承辦案件。",
            "Only a handler or an administrator can be assigned a case.",
        ],
        UnknownVerdict => ["请从列表中选择核查结论。", "請從列表中選擇查核結論。", "Choose a verdict from the list."],
        TagInvalid => [
            "标签为1到20个字，不能含空格或标点。",
            "標籤為1到20個字，不能含空格或標點。",
            "A tag has 1 to 20 characters, without spaces or punctuation.",
        ],
        UnknownCase => ["没有这个案件编号。", "沒有這個案件編號。", "There is no case with this number."],
        RefutationWrongState => [
            "这条辟谣的状态已经变化，不能进行这项操作。请刷新页面。",
            "這則闢謠的狀態已經變化，不能進行這項操作。請重新整理頁面。",
            "This refutation's status does not allow that. Reload the page.",
        ],
        RefutationChanged => [
            "这条辟谣刚被其他人修改过，请刷新后再改。",
            "這則闢謠剛被其他人修改過，請重新整理後再改。",
            "Someone else changed this refutation. Reload it and make your change again.",
        ],
        UpdateNoteRequired => [
            "请填写更新说明，告诉读者改了什么。",
            "請填寫更新說明，告訴讀者改了什麼。",
            "Add an update note telling readers what changed.",
        ],
        UsernameInvalid => [
            "用户名须为3到32位小写字母、数字或 . _ -，并以字母开头。",
            "使用者名稱須為3到32位小寫字母、數字或 . _ -，並以字母開頭。",
            "A username is 3 to 32 lowercase letters, digits or . _ -, starting with a letter.",
        ],
        UsernameTaken => ["这个用户名已被使用。", "這個使用者名稱已被使用。", "This username is taken."],
        PasswordTooShort => {
            ["密码至少需要12个字符。", "密碼至少需要12個字元。", "A password needs at least 12 characters."]
        }
        DisplayNameInvalid => {
            ["请填写姓名（不超过40个字）。", "請填寫姓名（不超過40個字）。", "Enter a name of at most 40 characters."]
        }
        OwnAccount => [
            "不能停用自己的账号或更改自己的角色。",
            "不能停用自己的帳號或更改自己的角色。",
            "You cannot disable your own account or change your own role.",
        ],
        DuplicateRule => [
            "同一类别和区域只能有一条分办规则。",
            "同一類別和區域只能有一條分辦規則。",
            "There is already a rule for this category and district.",
        ],
        WebhookUrlInvalid => [
            "推送地址须以 https:// 开头并包含有效域名。",
            "推送地址須以 https:// 開頭並包含有效網域。",
            "A webhook address must start with https:// and name a valid host.",
        ],
        ChannelExists => ["这个渠道编号已经存在。", "這個渠道編號已經存在。", "A channel with this code exists."],
        _ => GENERIC,
    };
    match lang {
        Lang::ZhHans => hans,
        Lang::ZhHant => hant,
        Lang::En => en,
    }
}

/// Without the staff sentences: one plain sentence for any staff-only code.
#[cfg(not(feature = "staff-messages"))]
fn staff_message(_code: ErrorCode, lang: Lang) -> &'static str {
    let [hans, hant, en] = GENERIC;
    match lang {
        Lang::ZhHans => hans,
        Lang::ZhHant => hant,
        Lang::En => en,
    }
}

/// What a staff-only code says where its own sentence is not built in.
const GENERIC: [&str; 3] = ["操作未能完成。", "操作未能完成。", "This could not be done."];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_snake_case() {
        let json = serde_json::to_string(&ErrorCode::IdempotencyConflict).expect("serialises");
        assert_eq!(json, "\"idempotency_conflict\"");
        let back: ErrorCode = serde_json::from_str("\"receipt_not_found\"").expect("parses");
        assert_eq!(back, ErrorCode::ReceiptNotFound);
    }

    #[test]
    fn staff_codes_have_their_own_sentences_where_staff_read_them() {
        use ErrorCode::*;
        for code in [AwaitingSupervisor, CaseWrongState, ChannelExists, ImportInvalid, DuplicateReference, OwnAccount] {
            for lang in Lang::ALL {
                let message = code.message(lang);
                assert!(!message.is_empty());
                assert!(!GENERIC.contains(&message), "{code:?} in {lang:?} falls back to the generic sentence");
            }
        }
    }

    #[test]
    fn only_internal_is_a_server_error() {
        for code in [ErrorCode::BadJson, ErrorCode::ReceiptNotFound, ErrorCode::RateLimited] {
            assert!(code.http_status() < 500);
        }
        assert_eq!(ErrorCode::Internal.http_status(), 500);
    }
}
