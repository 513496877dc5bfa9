//! Random bytes from the runtime's CSPRNG (`crypto.getRandomValues`).
//! The domain crate draws no randomness itself; the worker passes these in.

use wasm_bindgen::JsCast;

use crate::error::ApiError;

/// Fills an array with cryptographically secure random bytes.
pub fn bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut buf = [0u8; N];
    let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    let crypto = scope.crypto().map_err(|e| ApiError::Internal(format!("no crypto: {e:?}")))?;
    crypto
        .get_random_values_with_u8_array(&mut buf)
        .map_err(|e| ApiError::Internal(format!("getRandomValues: {e:?}")))?;
    Ok(buf)
}
