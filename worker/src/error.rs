//! The worker's one error type and its mapping to HTTP.
//!
//! API boundary: a client error carries a domain [`ErrorCode`] (and the field at fault); an
//! internal error is logged with its detail and answered with a generic `internal` body, so
//! nothing about the database or the code leaks to the client.

use qinglang_domain::api::ApiErrorBody;
use qinglang_domain::report::FieldError;
use qinglang_domain::{ErrorCode, Lang};
use worker::Response;

/// Everything a handler can fail with.
#[derive(Debug)]
pub enum ApiError {
    /// The request was refused; nothing was changed.
    Client {
        /// Why.
        code: ErrorCode,
        /// The input field at fault, if one is.
        field: Option<String>,
    },
    /// Too many requests from this client (or for this account): `rate_limited` with `Retry-After`.
    RateLimited {
        /// Seconds after which trying again makes sense.
        retry_after_s: u32,
    },
    /// Our side failed; the detail is logged, never returned.
    Internal(String),
}

impl ApiError {
    /// A refusal not tied to one field.
    pub fn client(code: ErrorCode) -> ApiError {
        ApiError::Client { code, field: None }
    }

    /// Turns the error into its JSON response, with the message in `lang`.
    pub fn into_response(self, lang: Lang) -> Response {
        let mut retry_after = None;
        let (code, field) = match self {
            ApiError::Client { code, field } => (code, field),
            ApiError::RateLimited { retry_after_s } => {
                retry_after = Some(retry_after_s);
                (ErrorCode::RateLimited, None)
            }
            ApiError::Internal(detail) => {
                worker::console_error!("internal error: {detail}");
                (ErrorCode::Internal, None)
            }
        };
        let body = ApiErrorBody { error: code, message: code.message(lang).to_owned(), field };
        let mut response = crate::http::json(code.http_status(), &body);
        if let Some(seconds) = retry_after {
            let _ = response.headers_mut().set("retry-after", &seconds.to_string());
        }
        response
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> ApiError {
        ApiError::Client { code: e.code, field: Some(e.field) }
    }
}

impl From<worker::Error> for ApiError {
    fn from(e: worker::Error) -> ApiError {
        ApiError::Internal(e.to_string())
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> ApiError {
        ApiError::Internal(format!("json: {e}"))
    }
}

impl From<qinglang_domain::workflow::Refusal> for ApiError {
    fn from(r: qinglang_domain::workflow::Refusal) -> ApiError {
        ApiError::Client { code: r.code(), field: r.field().map(str::to_owned) }
    }
}

impl From<qinglang_domain::refutation::RefutationRefusal> for ApiError {
    fn from(r: qinglang_domain::refutation::RefutationRefusal) -> ApiError {
        ApiError::Client { code: r.code(), field: r.field().map(str::to_owned) }
    }
}
