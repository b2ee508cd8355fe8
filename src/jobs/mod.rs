//! Side effects that run in the background: `go` child processes and in-process hashing.
//! Each job reports typed, id-tagged [`JobEvent`]s on one channel; it knows nothing of the UI.
//!
//! Every job sends `Started` first and `Finished` last, exactly once each; nothing of that job
//! follows `Finished`. The `spawn_*` functions must be called inside a tokio runtime.

pub mod blocking_work;
pub mod cache_job;
pub mod download_json;
pub mod download_progress;
mod event;
pub mod export_job;
pub mod go_process;
pub mod proxy_job;
pub mod repair_job;
pub mod runtime;
pub mod verify_job;

pub use download_json::{DownloadResult, parse_download_json};
pub use download_progress::spawn_go_with_cache_progress;
pub use go_process::{kill_all_children, spawn_go};
pub use repair_job::{RepairRequest, spawn_repair};
pub use verify_job::{VerifyRequest, spawn_verify};

pub(crate) use event::send;
pub use event::{
    CacheScan, GoInvocation, JobEvent, JobHandle, JobId, JobOutcome, JobSender, OutputStream,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_quotes_only_where_needed() {
        let inv = GoInvocation::new("/p", &["mod", "download", "-json", "example.com/a@v1.0.0"])
            .with_env("GOFLAGS", "-mod=mod");
        assert_eq!(
            inv.command_line(),
            "go mod download -json example.com/a@v1.0.0"
        );
        let inv = GoInvocation::new("/p", &["mod", "edit", "-dropreplace=a b", ""]);
        assert_eq!(inv.command_line(), "go mod edit '-dropreplace=a b' ''");
    }

    #[test]
    fn with_env_replaces_an_earlier_override() {
        let inv = GoInvocation::new("/p", &[])
            .with_env("GOFLAGS", "-x")
            .with_env("GOPROXY", "off")
            .with_env("GOFLAGS", "");
        assert_eq!(
            inv.env,
            vec![
                ("GOPROXY".to_string(), "off".to_string()),
                ("GOFLAGS".to_string(), String::new())
            ]
        );
    }
}
