//! Mounts the app; everything else lives in the library so it can be unit-tested natively.

fn main() {
    leptos::mount::mount_to_body(qinglang_app::App);
}
