//! The app ships as separate WASM bundles so that a citizen who scans a poster downloads only
//! what the report flow needs (first-load budget: 150 KB brotli):
//!
//! - `citizen` — `/` and `/report` (served as `index.html`, the single-page fallback);
//! - `reader` — `/refutations…`, `/stats` and `/track` (served as `reader.html` by the worker).
//!   `/track` moved here from the citizen bundle to pay for the report flow's evidence step
//!   (issue 7) within the first-load budget; a citizen reaches it after the receipt, not first;
//! - `console` — `/admin…`, the staff console (served as `admin.html` by the worker).
//!
//! Each bundle is this crate built with one cargo feature. A path owned by another bundle is
//! loaded with a full page navigation instead of being rendered in place; [`owner`] is the one
//! table that decides, and the worker's page routes (worker/src/routes/pages.rs) agree with it.

/// One of the app's WASM bundles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// The citizen pages: home and the report flow.
    Citizen,
    /// The public reading pages: refutations, figures, and tracking a report.
    Reader,
    /// The staff console.
    Console,
}

/// The bundle that renders `path` (a URL path, without query or hash).
pub fn owner(path: &str) -> Bundle {
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    if under("/admin") {
        Bundle::Console
    } else if under("/refutations") || under("/stats") || under("/track") {
        Bundle::Reader
    } else {
        Bundle::Citizen
    }
}

/// The bundle this build is. A native build (tests) has every feature and counts as the citizen
/// bundle; the WASM builds have exactly one feature (scripts/build.sh).
pub const CURRENT: Bundle = if cfg!(feature = "citizen") {
    Bundle::Citizen
} else if cfg!(feature = "reader") {
    Bundle::Reader
} else {
    Bundle::Console
};

/// The path part of an in-app `href` (`/report?c=1#x` → `/report`).
pub fn path_of(href: &str) -> &str {
    let end = href.find(['?', '#']).unwrap_or(href.len());
    &href[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_has_one_owner() {
        for (path, bundle) in [
            ("/", Bundle::Citizen),
            ("/report", Bundle::Citizen),
            ("/track", Bundle::Reader),
            ("/trackx", Bundle::Citizen),
            ("/no-such-page", Bundle::Citizen),
            ("/refutations", Bundle::Reader),
            ("/refutations/42", Bundle::Reader),
            ("/refutationsx", Bundle::Citizen),
            ("/stats", Bundle::Reader),
            ("/stats/", Bundle::Reader),
            ("/admin", Bundle::Console),
            ("/admin/cases/7", Bundle::Console),
            ("/administrator", Bundle::Citizen),
        ] {
            assert_eq!(owner(path), bundle, "{path}");
        }
    }

    #[test]
    fn href_paths_drop_query_and_hash() {
        assert_eq!(path_of("/report?c=bus-12"), "/report");
        assert_eq!(path_of("/track#code=A"), "/track");
        assert_eq!(path_of("/stats"), "/stats");
    }
}
