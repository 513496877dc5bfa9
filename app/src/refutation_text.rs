//! The strings of the refutation pages (reader bundle) and of the article preview (console bundle).
//!
//! They live here, not in [`crate::i18n::Msg`], because every `Msg` is compiled into the citizen
//! bundle too, whose first load has a hard budget; the citizen pages need only the two or three
//! refutation strings that `Msg` carries.

use qinglang_domain::Lang;

macro_rules! texts {
    ($($key:ident => [$hans:expr, $hant:expr, $en:expr],)*) => {
        /// A string of the refutation pages.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum RText { $($key,)* }

        impl RText {
            /// Every string, for completeness tests.
            #[cfg(test)]
            pub const ALL: &'static [RText] = &[$(RText::$key,)*];

            /// The text in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(
                        (RText::$key, Lang::ZhHans) => $hans,
                        (RText::$key, Lang::ZhHant) => $hant,
                        (RText::$key, Lang::En) => $en,
                    )*
                }
            }
        }
    };
}

/// The same table for another module's strings (the console's editor pages).
#[cfg(feature = "console")]
#[allow(unused_imports)]
pub(crate) use texts;

texts! {
    SearchLabel => ["搜索辟谣信息", "搜尋闢謠資訊", "Search fact checks"],
    SearchPlaceholder => ["输入关键词，如：封城", "輸入關鍵詞，如：封城", "Keywords, e.g. lockdown"],
    SearchButton => ["搜索", "搜尋", "Search"],
    FilterTag => ["话题", "話題", "Topic"],
    AllTags => ["全部", "全部", "All"],
    FilterRegion => ["地区", "地區", "Region"],
    AllRegions => ["全部地区", "全部地區", "All regions"],
    NoResults => ["没有找到相关的辟谣信息。", "沒有找到相關的闢謠資訊。", "No fact checks match."],
    ClearFilters => ["清除筛选", "清除篩選", "Clear filters"],
    More => ["加载更多", "載入更多", "Load more"],
    Claim => ["网传", "網傳", "The claim"],
    ClaimSource => ["网传内容出处", "網傳內容出處", "Where the claim appeared"],
    Truth => ["真相", "真相", "The facts"],
    Sources => ["来源", "來源", "Sources"],
    Authority => ["发布单位", "發佈單位", "Issued by"],
    Region => ["地区", "地區", "Region"],
    Published => ["发布于 {date}", "發佈於 {date}", "Published {date}"],
    Updated => ["更新于 {date}", "更新於 {date}", "Updated {date}"],
    UpdateNote => ["更新说明：{note}", "更新說明：{note}", "What changed: {note}"],
    ImageLink => ["查看图片：{alt}", "查看圖片：{alt}", "View image: {alt}"],
    Share => ["分享", "分享", "Share"],
    ShareTitle => ["转发辟谣", "轉發闢謠", "Pass it on"],
    CopyLink => ["复制链接", "複製連結", "Copy link"],
    LinkCopied => ["链接已复制", "連結已複製", "Link copied"],
    CopyByHand => ["请长按下方链接复制", "請長按下方連結複製", "Long-press the link below to copy it"],
    QrCaption => ["扫码阅读全文，可打印张贴", "掃碼閱讀全文，可列印張貼", "Scan to read; print it for a notice board"],
    QrLabel => ["本文链接的二维码", "本文連結的二維碼", "QR code of this article's link"],
    ArticleMissing => ["没有找到这条辟谣信息，它可能已被撤回，或链接有误。", "沒有找到這條闢謠資訊，它可能已被撤回，或連結有誤。", "This fact check was not found. It may have been withdrawn, or the link is wrong."],
    AllRefutations => ["查看全部辟谣信息", "查看全部闢謠資訊", "All fact checks"],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_every_language_and_the_same_placeholders() {
        for text in RText::ALL {
            for lang in Lang::ALL {
                assert!(!text.text(lang).trim().is_empty(), "{text:?} is empty in {lang:?}");
            }
            let holes = |s: &str| s.matches('{').count();
            assert_eq!(holes(text.text(Lang::ZhHans)), holes(text.text(Lang::En)), "{text:?}");
            assert_eq!(holes(text.text(Lang::ZhHans)), holes(text.text(Lang::ZhHant)), "{text:?}");
        }
    }
}
