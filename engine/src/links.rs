//! Links: extract URLs (with or without a scheme), name the platform, flag shorteners and
//! malformed links.
//!
//! Works on the ASCII runs of the original text, so a link glued to Chinese text on both
//! sides (详见weibo.com/123看看) is still cut out cleanly. A token without a scheme counts as
//! a link only if its host ends in a known top-level domain; otherwise 3.14 or a.b would be
//! links. A token with a scheme is always reported, flagged malformed when it is broken.

use crate::pii::valid_domain;
use crate::screening::{Link, Platform};

/// Top-level domains accepted for links written without a scheme.
const KNOWN_TLDS: [&str; 52] = [
    "ai", "app", "asia", "biz", "cc", "cloud", "club", "cn", "co", "com", "cyou", "de", "edu", "fun", "gl", "gov",
    "hk", "icu", "im", "info", "ink", "io", "jp", "link", "live", "ltd", "ly", "me", "mobi", "mo", "name", "net",
    "online", "org", "pro", "ru", "shop", "site", "store", "tech", "to", "top", "tv", "tw", "uk", "us", "vip", "wang",
    "work", "xin", "xyz", "so",
];

/// Host suffix → platform. Checked as `host == suffix || host.ends_with("." + suffix)`.
const PLATFORMS: [(&str, Platform); 31] = [
    ("weibo.com", Platform::Weibo),
    ("weibo.cn", Platform::Weibo),
    ("t.cn", Platform::Weibo),
    ("douyin.com", Platform::Douyin),
    ("iesdouyin.com", Platform::Douyin),
    ("weixin.qq.com", Platform::Wechat),
    ("wechat.com", Platform::Wechat),
    ("kuaishou.com", Platform::Kuaishou),
    ("gifshow.com", Platform::Kuaishou),
    ("chenzhongtech.com", Platform::Kuaishou),
    ("bilibili.com", Platform::Bilibili),
    ("b23.tv", Platform::Bilibili),
    ("xiaohongshu.com", Platform::Xiaohongshu),
    ("xhslink.com", Platform::Xiaohongshu),
    ("zhihu.com", Platform::Zhihu),
    ("zhuanlan.zhihu.com", Platform::Zhihu),
    ("baidu.com", Platform::Baidu),
    ("qq.com", Platform::Qq),
    ("toutiao.com", Platform::Toutiao),
    ("toutiaocdn.com", Platform::Toutiao),
    ("douban.com", Platform::Douban),
    ("ixigua.com", Platform::Ixigua),
    ("pinduoduo.com", Platform::Pinduoduo),
    ("yangkeduo.com", Platform::Pinduoduo),
    ("taobao.com", Platform::Taobao),
    ("tb.cn", Platform::Taobao),
    ("tmall.com", Platform::Taobao),
    ("jd.com", Platform::Jd),
    ("3.cn", Platform::Jd),
    ("m.tb.cn", Platform::Taobao),
    ("url.cn", Platform::Qq),
];

/// Hosts that only redirect: the real target is hidden.
const SHORTENERS: [&str; 18] = [
    "t.cn",
    "url.cn",
    "dwz.cn",
    "suo.im",
    "bit.ly",
    "tinyurl.com",
    "b23.tv",
    "v.douyin.com",
    "xhslink.com",
    "v.kuaishou.com",
    "goo.gl",
    "is.gd",
    "t.co",
    "m.tb.cn",
    "tb.cn",
    "3.cn",
    "sourl.cn",
    "c.tb.cn",
];

/// Appends the links found in the runs to `out`.
pub(crate) fn scan(runs: &[crate::fold::AsciiRun], out: &mut Vec<Link>) {
    for run in runs {
        let bytes = run.bytes.as_slice();
        if !bytes.contains(&b'.') && !bytes.contains(&b':') {
            continue;
        }
        let mut pos = 0;
        while pos < bytes.len() {
            if bytes[pos] == b' ' {
                pos += 1;
                continue;
            }
            let token_start = pos;
            while pos < bytes.len() && bytes[pos] != b' ' {
                pos += 1;
            }
            if let Some((start, end, link)) = examine(&bytes[token_start..pos]) {
                out.push(Link {
                    start: run.start + (token_start + start) as u32,
                    end: run.start + (token_start + end) as u32,
                    ..link
                });
            }
        }
    }
}

/// Decides whether a whitespace-free token is (or contains) a link; returns its span within
/// the token and the link (with offsets to be filled in).
fn examine(token: &[u8]) -> Option<(usize, usize, Link)> {
    // Trim punctuation that wraps links in prose.
    let mut start = 0;
    let mut end = token.len();
    while start < end && matches!(token[start], b'(' | b'[' | b'<' | b'"' | b'\'' | b':' | b',') {
        start += 1;
    }
    while end > start
        && matches!(token[end - 1], b')' | b']' | b'>' | b'"' | b'\'' | b'.' | b',' | b';' | b'!' | b'?' | b':')
    {
        end -= 1;
    }
    let text = &token[start..end];
    let lower: Vec<u8> = text.to_ascii_lowercase();

    // Where a scheme-like prefix is, if any. Anything up to "//" or ":" made of letters.
    let scheme_sep = find(&lower, b"://");
    let (has_scheme, mut malformed, rest_at) = match scheme_sep {
        Some(at) => {
            let scheme = &lower[..at];
            // A scheme glued to text before it (看http://...) has been cut by the run already;
            // what is left before "://" should be exactly http or https.
            let ok = scheme == b"http" || scheme == b"https";
            let plausible = !scheme.is_empty() && scheme.len() <= 8 && scheme.iter().all(u8::is_ascii_alphabetic);
            if !plausible && !ok {
                return None;
            }
            (true, !ok, at + 3)
        }
        None => {
            // Broken schemes that people still paste: https//x, https:/x, http:x.
            let broken = [b"https//".as_slice(), b"http//", b"https:/", b"http:/", b"https:", b"http:"]
                .iter()
                .find(|p| lower.starts_with(p))
                .map(|p| p.len());
            match broken {
                Some(len) => (true, true, len),
                None => (false, false, 0),
            }
        }
    };
    if text.contains(&b'@') && !has_scheme {
        return None; // an e-mail address, reported as PII
    }
    let rest = &lower[rest_at..];
    let host_end = rest.iter().position(|&b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(rest.len());
    let host_port = &rest[..host_end];
    let host = match host_port.iter().rposition(|&b| b == b':') {
        Some(colon) if host_port[colon + 1..].iter().all(u8::is_ascii_digit) => &host_port[..colon],
        _ => host_port,
    };
    let host = host.strip_prefix(b"www.").map_or(host, |h| if h.is_empty() { host } else { h });
    let host_ok = host.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && (valid_domain(host) || is_ipv4(host));
    if !has_scheme {
        // Without a scheme only a well-formed host with a known TLD is a link.
        let tld_known =
            host.rsplit(|&b| b == b'.').next().is_some_and(|tld| KNOWN_TLDS.iter().any(|k| k.as_bytes() == tld));
        if !host_ok || !tld_known || !host.contains(&b'.') {
            return None;
        }
    } else if !host_ok {
        malformed = true;
    }
    let host_string = (!host.is_empty() && host_ok).then(|| String::from_utf8_lossy(host).into_owned());
    let platform = host_string.as_deref().and_then(platform_of);
    let shortener = host_string.as_deref().is_some_and(|h| SHORTENERS.contains(&h));
    Some((
        start,
        end,
        Link {
            url: String::from_utf8_lossy(text).into_owned(),
            host: host_string,
            platform,
            shortener,
            malformed,
            start: 0,
            end: 0,
        },
    ))
}

fn platform_of(host: &str) -> Option<Platform> {
    PLATFORMS
        .iter()
        .filter(|(suffix, _)| {
            host == *suffix
                || (host.len() > suffix.len()
                    && host.ends_with(suffix)
                    && host.as_bytes()[host.len() - suffix.len() - 1] == b'.')
        })
        // The longest suffix wins: weixin.qq.com is WeChat, not QQ.
        .max_by_key(|(suffix, _)| suffix.len())
        .map(|&(_, platform)| platform)
}

fn is_ipv4(host: &[u8]) -> bool {
    let parts: Vec<&[u8]> = host.split(|&b| b == b'.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty() && p.len() <= 3 && p.iter().all(u8::is_ascii_digit) && {
                let value = p.iter().fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'));
                value <= 255
            }
        })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::fold::fold_into;

    /// (url, platform, shortener, malformed, start, end)
    type Row<'a> = (&'a str, Option<Platform>, bool, bool, u32, u32);

    fn check(text: &str, expected: &[Row<'_>]) {
        let mut links = Vec::new();
        scan(&fold_into(text, |_, _| {}).ascii_runs, &mut links);
        let got: Vec<Row<'_>> =
            links.iter().map(|l| (l.url.as_str(), l.platform, l.shortener, l.malformed, l.start, l.end)).collect();
        assert_eq!(got, expected, "text {text:?}");
    }

    #[test]
    fn links_with_and_without_scheme() {
        use Platform::*;
        check(
            "看这个https://weibo.com/123/abc，太过分了",
            &[("https://weibo.com/123/abc", Some(Weibo), false, false, 3, 28)],
        );
        check("详见weibo.com/u/1看看", &[("weibo.com/u/1", Some(Weibo), false, false, 2, 15)]);
        check(
            "https://mp.weixin.qq.com/s/xyz",
            &[("https://mp.weixin.qq.com/s/xyz", Some(Wechat), false, false, 0, 30)],
        );
        check("www.zhihu.com/question/1", &[("www.zhihu.com/question/1", Some(Zhihu), false, false, 0, 24)]);
        check(
            "(https://www.bilibili.com/video/BV1)",
            &[("https://www.bilibili.com/video/BV1", Some(Bilibili), false, false, 1, 35)],
        );
        check("example.org", &[("example.org", None, false, false, 0, 11)]);
        check("ｗｗｗ．ｂａｉｄｕ．ｃｏｍ", &[("www.baidu.com", Some(Baidu), false, false, 0, 13)]);
    }

    #[test]
    fn shorteners() {
        use Platform::*;
        check("http://t.cn/A6abc", &[("http://t.cn/A6abc", Some(Weibo), true, false, 0, 17)]);
        check(
            "https://v.douyin.com/iRNBho6/ 复制",
            &[("https://v.douyin.com/iRNBho6/", Some(Douyin), true, false, 0, 29)],
        );
        check("bit.ly/3xyz", &[("bit.ly/3xyz", None, true, false, 0, 11)]);
        check("https://b23.tv/abc", &[("https://b23.tv/abc", Some(Bilibili), true, false, 0, 18)]);
        check("xhslink.com/a/b", &[("xhslink.com/a/b", Some(Xiaohongshu), true, false, 0, 15)]);
    }

    #[test]
    fn malformed_links() {
        check("htp://weibo.com/1", &[("htp://weibo.com/1", Some(Platform::Weibo), false, true, 0, 17)]);
        check("https//douyin.com/x", &[("https//douyin.com/x", Some(Platform::Douyin), false, true, 0, 19)]);
        check("https://", &[("https://", None, false, true, 0, 8)]);
        check("http://weibo..com/x", &[("http://weibo..com/x", None, false, true, 0, 19)]);
    }

    #[test]
    fn not_links() {
        check("版本3.14发布", &[]);
        check("a.b", &[]);
        check("zhang@qq.com", &[]);
        check("hello world", &[]);
    }
}
