//! The document cannot drift from the worker: every route in `worker/src/lib.rs`'s route table has an
//! operation here and every operation here is a route there, and the committed `worker/openapi.json`
//! (the file the worker serves) is exactly what the types generate now.

use std::collections::BTreeSet;
use std::path::Path;

/// `(method, path)` pairs of the JSON API's routes in the route table, e.g.
/// `("get", "/api/reports/{code}")`, read from the match arms `(Method::Get, ["api", "reports", code]) => …`.
/// Alternatives (`"a" | "b"`) give one route each; arms outside `/api/` (the HTML shells) are not
/// part of the JSON API and are skipped.
fn route_table() -> BTreeSet<(String, String)> {
    let source = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../worker/src/lib.rs"))
        .expect("read worker/src/lib.rs");
    let mut routes = BTreeSet::new();
    for line in source.lines() {
        let Some(start) = line.find("(Method::") else { continue };
        let rest = &line[start + "(Method::".len()..];
        let Some((method, rest)) = rest.split_once(", [") else { continue };
        let Some((segments, _)) = rest.split_once(']') else { continue };
        let segments: Vec<&str> = segments.split(',').map(str::trim).collect();
        if segments.first() != Some(&"\"api\"") {
            continue;
        }
        // Every combination of the alternatives, segment by segment.
        let mut paths = vec![String::new()];
        for segment in segments {
            let choices: Vec<String> = segment
                .split('|')
                .map(str::trim)
                .map(|s| match s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                    Some(literal) => format!("/{literal}"),
                    None => format!("/{{{s}}}"),
                })
                .collect();
            paths = paths.iter().flat_map(|p| choices.iter().map(move |c| format!("{p}{c}"))).collect();
        }
        for path in paths {
            routes.insert((method.to_ascii_lowercase(), path));
        }
    }
    routes
}

fn documented() -> BTreeSet<(String, String)> {
    let doc: serde_json::Value = serde_json::from_str(&qinglang_openapi::to_json()).expect("the document is JSON");
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["get", "put", "post", "delete", "options", "head", "patch", "trace"] {
            if item.get(method).is_some() {
                ops.insert((method.to_owned(), path.clone()));
            }
        }
    }
    ops
}

#[test]
fn every_route_is_documented_and_every_operation_is_a_route() {
    let routes = route_table();
    assert!(routes.len() >= 10, "the route table parser found too few routes: {routes:?}");
    let ops = documented();
    let missing: Vec<_> = routes.difference(&ops).collect();
    assert!(
        missing.is_empty(),
        "routes in worker/src/lib.rs without an operation in openapi/src/lib.rs (add a #[utoipa::path] stub): {missing:?}"
    );
    let phantom: Vec<_> = ops.difference(&routes).collect();
    assert!(phantom.is_empty(), "documented operations that are not in the route table: {phantom:?}");
}

#[test]
fn the_served_file_is_the_generated_document() {
    let committed = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../worker/openapi.json"))
        .expect("read worker/openapi.json");
    assert!(
        committed == qinglang_openapi::to_json(),
        "worker/openapi.json is stale: run `cargo run -p qinglang-openapi -- worker/openapi.json` (scripts/build.sh does)"
    );
}

#[test]
fn errors_headers_and_the_session_cookie_are_described() {
    let doc: serde_json::Value = serde_json::from_str(&qinglang_openapi::to_json()).expect("JSON");
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")), "OpenAPI 3.1");
    let error = &doc["components"]["schemas"]["ApiErrorBody"];
    for field in ["error", "message", "field"] {
        assert!(error["properties"].get(field).is_some(), "ApiErrorBody.{field}");
    }
    let codes = error.to_string() + &doc["components"]["schemas"]["ErrorCode"].to_string();
    assert!(codes.contains("rate_limited") && codes.contains("receipt_not_found"), "error codes are listed");
    let track = &doc["paths"]["/api/reports/{code}"]["get"];
    assert!(track["parameters"].to_string().contains("x-receipt-secret"));
    assert!(track["responses"]["429"]["headers"].get("retry-after").is_some());
    let act = &doc["paths"]["/api/staff/cases/{id}/actions"]["post"];
    assert!(act["parameters"].to_string().contains("x-csrf-token"));
    assert_eq!(doc["components"]["securitySchemes"]["staff_session"]["in"], "cookie");
    assert_eq!(doc["components"]["securitySchemes"]["staff_session"]["name"], "ql_staff");
}
