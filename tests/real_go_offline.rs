//! The offline verdict against the real `go`: for each scenario, `modscope offline` says
//! ready (or names the blocker) and `GOPROXY=off go build ./...` succeeds (or fails) to match,
//! in readonly mode and with `-mod=mod`. Then the export bundle is used as the only proxy with an
//! empty cache, and the environment doctor is compared with `go env -json`.

mod support;

#[path = "real_go_offline/bundle.rs"]
mod bundle;
#[path = "real_go_offline/doctor.rs"]
mod doctor;
#[path = "real_go_offline/export_job.rs"]
mod export_job;
#[path = "real_go_offline/go_line.rs"]
mod go_line;
#[path = "real_go_offline/line_break_paths.rs"]
mod line_break_paths;
#[path = "real_go_offline/sandbox.rs"]
mod sandbox;
#[path = "real_go_offline/scenarios.rs"]
mod scenarios;
#[path = "real_go_offline/sumdb_cache.rs"]
mod sumdb_cache;
#[path = "real_go_offline/toolchain_cache.rs"]
mod toolchain_cache;
#[path = "real_go_offline/toolchain_fixture.rs"]
mod toolchain_fixture;
