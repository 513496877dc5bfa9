//! A case's consultations and assistance requests (`case_requests`, migration 0010): read with the
//! case, written by [`super::cases::save`] in the same batch as the case they belong to.
//!
//! Architecture invariant: a request row changes only as `workflow::apply` changed it. New rows
//! (`UNSAVED_REQUEST` ids) are inserted, changed rows updated by id and case; rows are never deleted.

use qinglang_domain::workflow::{CaseId, CaseRequest, RequestKind, UNSAVED_REQUEST};
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

use super::{int, opt_int, opt_text, text};
use crate::error::ApiError;

/// The columns read, in [`RequestRow`]'s order.
pub const COLUMNS: &str = "id, kind, party, question, reference, due_at, opened_at, opened_by, answered_at, answer, \
    answered_by, closed_at";

#[derive(Deserialize)]
pub struct RequestRow {
    id: i64,
    kind: String,
    party: String,
    question: String,
    reference: Option<String>,
    due_at: i64,
    opened_at: i64,
    opened_by: String,
    answered_at: Option<i64>,
    answer: Option<String>,
    answered_by: Option<String>,
    closed_at: Option<i64>,
}

impl RequestRow {
    /// The workflow's view of the row.
    pub fn into_request(self) -> Result<CaseRequest, ApiError> {
        let kind = RequestKind::from_name(&self.kind)
            .ok_or_else(|| ApiError::Internal(format!("unknown request kind {:?}", self.kind)))?;
        Ok(CaseRequest {
            id: self.id,
            kind,
            party: self.party,
            question: self.question,
            reference: self.reference,
            due_at: self.due_at,
            opened_at: self.opened_at,
            opened_by: self.opened_by,
            answered_at: self.answered_at,
            answer: self.answer,
            answered_by: self.answered_by,
            closed_at: self.closed_at,
        })
    }
}

/// The statement reading a case's requests, oldest first (for a batch with the case row).
pub fn select(db: &D1Database, id: CaseId) -> Result<D1PreparedStatement, ApiError> {
    Ok(db
        .prepare(format!("SELECT {COLUMNS} FROM case_requests WHERE report_id = ?1 ORDER BY id"))
        .bind(&[int(id.0)])?)
}

/// The statements that make D1's rows what `after` holds, given what `before` held: an insert per new
/// request, an update per changed one. Each applies only while the case still has the status and
/// `updated_at` of `before` (the guard `?1 … ?3` that [`super::cases::save`] uses), so they commit
/// with the case's update or not at all.
pub fn writes(
    db: &D1Database,
    before: &[CaseRequest],
    after: &[CaseRequest],
    guard: &[wasm_bindgen::JsValue; 3],
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    const GUARD: &str = "EXISTS (SELECT 1 FROM reports WHERE id = ?1 AND status = ?2 AND updated_at = ?3 AND moving_to IS NULL AND archived_at IS NULL)";
    let mut statements = Vec::new();
    for request in after {
        let mut params = guard.to_vec();
        if request.id == UNSAVED_REQUEST {
            params.extend([
                text(request.kind.as_str()),
                text(&request.party),
                text(&request.question),
                opt_text(request.reference.as_deref()),
                int(request.due_at),
                int(request.opened_at),
                text(&request.opened_by),
            ]);
            statements.push(
                db.prepare(format!(
                    "INSERT INTO case_requests (report_id, kind, party, question, reference, due_at, opened_at, \
                     opened_by) SELECT ?1, ?4, ?5, ?6, ?7, ?8, ?9, ?10 WHERE {GUARD}"
                ))
                .bind(&params)?,
            );
        } else if before.iter().find(|b| b.id == request.id) != Some(request) {
            params.extend([
                int(request.id),
                opt_text(request.reference.as_deref()),
                opt_int(request.answered_at),
                opt_text(request.answer.as_deref()),
                opt_text(request.answered_by.as_deref()),
                opt_int(request.closed_at),
            ]);
            statements.push(
                db.prepare(format!(
                    "UPDATE case_requests SET reference = ?5, answered_at = ?6, answer = ?7, answered_by = ?8, \
                     closed_at = ?9 WHERE id = ?4 AND report_id = ?1 AND {GUARD}"
                ))
                .bind(&params)?,
            );
        }
    }
    Ok(statements)
}
