//! Everything the worker keeps in D1. Queries live here and nowhere else.
//!
//! Architecture invariant: writes that belong together (a report, its contact, its first event)
//! go in one `batch()`, which D1 applies atomically.

pub mod admin;
pub mod archive;
pub mod cases;
pub mod channels;
pub mod digest;
pub mod figures;
pub mod offices;
pub mod partners;
pub mod policy;
pub mod refutations;
pub mod reports;
pub mod requests;
pub mod settings_log;
pub mod shards;
pub mod staff;
pub mod taxonomy;
pub mod uploads;

use std::cell::RefCell;

use wasm_bindgen::JsValue;
use worker::{D1Database, Env};

use crate::error::ApiError;

/// The D1 binding.
pub fn db(env: &Env) -> Result<D1Database, ApiError> {
    Ok(env.d1("DB")?)
}

/// Runs a trivial query to show the database answers.
pub async fn ping(db: &D1Database) -> Result<(), ApiError> {
    db.prepare("SELECT 1").run().await?;
    Ok(())
}

/// A text parameter.
pub fn text(s: &str) -> JsValue {
    JsValue::from_str(s)
}

/// An optional text parameter; `None` binds SQL NULL.
pub fn opt_text(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::NULL, JsValue::from_str)
}

/// `?1, ?2, …, ?n` for an `IN (…)` list of `ids`, and the ids bound in that order. Callers keep
/// `ids` to a handful (a page of a list): D1 allows 100 bound parameters per statement.
pub fn in_list(ids: &[i64]) -> (String, Vec<JsValue>) {
    let marks: Vec<String> = (1..=ids.len()).map(|n| format!("?{n}")).collect();
    (marks.join(", "), ids.iter().map(|&id| int(id)).collect())
}

/// An integer parameter. D1 numbers are JavaScript doubles: exact up to 2^53, which covers
/// millisecond timestamps and row ids.
pub fn int(n: i64) -> JsValue {
    JsValue::from_f64(n as f64)
}

/// An optional integer parameter; `None` binds SQL NULL.
pub fn opt_int(n: Option<i64>) -> JsValue {
    n.map_or(JsValue::NULL, int)
}

/// A value each isolate keeps for a while instead of asking D1 on every request (the taxonomy, the
/// workflow settings): read again once older than its time to live, or at once after [`forget`].
///
/// [`forget`]: IsolateCache::forget
pub struct IsolateCache<T>(RefCell<Option<(i64, T)>>);

impl<T: Clone> IsolateCache<T> {
    /// Empty.
    pub const fn new() -> IsolateCache<T> {
        IsolateCache(RefCell::new(None))
    }

    /// The kept value if it was kept less than `ttl_ms` before `now`.
    pub fn fresh(&self, now: i64, ttl_ms: i64) -> Option<T> {
        self.0.borrow().as_ref().filter(|(at, _)| (0..ttl_ms).contains(&(now - at))).map(|(_, v)| v.clone())
    }

    /// Keeps `value`, read at `now`.
    pub fn keep(&self, now: i64, value: T) {
        *self.0.borrow_mut() = Some((now, value));
    }

    /// Drops the kept value.
    pub fn forget(&self) {
        *self.0.borrow_mut() = None;
    }
}
