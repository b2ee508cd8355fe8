//! Writes the bundle's files: streamed (a zip may be hundreds of MiB), hashed with sha256 for
//! the manifest on the way, counted for progress and stoppable between chunks. On cancel or
//! error, everything written so far is taken back: the bundle directory was new or empty.

use super::layout::BundleLayout;
use super::manifest::{ExportProgress, ManifestFile};
use crate::progress::CancelFlag;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

const CHUNK: usize = 256 * 1024;

pub(super) struct BundleWriter<'a> {
    pub out: &'a Path,
    pub layout: BundleLayout,
    pub progress: &'a dyn ExportProgress,
    pub cancel: &'a CancelFlag,
    /// Every file written, by path relative to `out`.
    pub files: BTreeMap<String, ManifestFile>,
    created_dirs: Vec<PathBuf>,
}

pub(super) fn cancelled() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "the export was cancelled")
}

impl<'a> BundleWriter<'a> {
    pub fn new(
        out: &'a Path,
        layout: BundleLayout,
        progress: &'a dyn ExportProgress,
        cancel: &'a CancelFlag,
    ) -> Self {
        BundleWriter {
            out,
            layout,
            progress,
            cancel,
            files: BTreeMap::new(),
            created_dirs: Vec::new(),
        }
    }

    fn create(&mut self, rel: &str) -> io::Result<std::fs::File> {
        if self.cancel.is_cancelled() {
            return Err(cancelled());
        }
        let path = self.out.join(rel);
        let mut missing = Vec::new();
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != self.out && !d.is_dir()) {
            missing.push(d.to_path_buf());
            dir = d.parent();
        }
        std::fs::create_dir_all(path.parent().unwrap_or(self.out))?;
        // Outermost last, so taking back removes the innermost first.
        self.created_dirs.extend(missing.into_iter().rev());
        std::fs::File::create(path)
    }

    pub fn write(&mut self, rel: String, data: &[u8]) -> io::Result<()> {
        let mut f = self.create(&rel)?;
        f.write_all(data)?;
        self.progress.copied(data.len() as u64);
        self.record(rel, data.len() as u64, Sha256::digest(data).into());
        Ok(())
    }

    /// Copies `from` to `rel` in chunks, checking for cancellation before each.
    pub fn copy(&mut self, rel: String, from: &Path) -> io::Result<()> {
        // Never a pipe or a device from the cache, and never more than go would accept.
        let (mut src, _) = crate::fs::read::open_regular(from, crate::fs::read::limits::ZIP)?;
        let mut dst = self.create(&rel)?;
        // Recorded before the copy so a failed copy is taken back too.
        self.record(rel.clone(), 0, [0; 32]);
        let mut sha = Sha256::new();
        let mut buf = vec![0u8; CHUNK];
        let mut size = 0u64;
        loop {
            if self.cancel.is_cancelled() {
                return Err(cancelled());
            }
            let n = src.read(&mut buf)?;
            if n == 0 {
                break;
            }
            dst.write_all(&buf[..n])?;
            sha.update(&buf[..n]);
            size += n as u64;
            self.progress.copied(n as u64);
        }
        self.record(rel, size, sha.finalize().into());
        Ok(())
    }

    fn record(&mut self, rel: String, size: u64, sha256: [u8; 32]) {
        let entry = ManifestFile {
            path: rel.clone(),
            size,
            sha256: hex::encode(sha256),
        };
        self.files.insert(rel, entry);
    }

    /// Removes one file written earlier (a copy that turned out not to match go.sum).
    pub fn discard(&mut self, rel: &str) -> io::Result<()> {
        if self.files.remove(rel).is_some() {
            std::fs::remove_file(self.out.join(rel))?;
        }
        Ok(())
    }

    /// Removes every file and directory this writer created, and `extra` files (the manifest,
    /// the tar) if they exist. Best effort: the error that made us take back is what matters.
    pub fn take_back(&mut self, extra: &[PathBuf]) {
        for rel in std::mem::take(&mut self.files).into_keys() {
            let _ = std::fs::remove_file(self.out.join(rel));
        }
        for p in extra {
            let _ = std::fs::remove_file(p);
        }
        for d in self.created_dirs.drain(..).rev() {
            let _ = std::fs::remove_dir(d);
        }
    }
}
