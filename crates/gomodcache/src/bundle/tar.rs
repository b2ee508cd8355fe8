//! A minimal deterministic tar writer (POSIX ustar, with a PAX `path` record for names that do
//! not fit): regular files only, mode 0644, owner 0, time 0 — enough to carry a proxy bundle.

use std::io::{self, Read, Write};
use std::path::Path;

fn octal(field: &mut [u8], value: u64) {
    let width = field.len() - 1;
    let s = format!("{value:0width$o}");
    field[..width].copy_from_slice(&s.as_bytes()[s.len() - width..]);
    field[width] = 0;
}

fn header(name: &[u8], prefix: &[u8], size: u64, typeflag: u8) -> [u8; 512] {
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name);
    octal(&mut h[100..108], 0o644);
    octal(&mut h[108..116], 0);
    octal(&mut h[116..124], 0);
    octal(&mut h[124..136], size);
    octal(&mut h[136..148], 0);
    h[156] = typeflag;
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[345..345 + prefix.len()].copy_from_slice(prefix);
    h[148..156].fill(b' ');
    let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
    let s = format!("{sum:06o}\0 ");
    h[148..156].copy_from_slice(s.as_bytes());
    h
}

/// `(name, prefix)` for ustar, splitting at a `/`; `None` when the path does not fit.
fn split_name(path: &str) -> Option<(&str, &str)> {
    if path.len() <= 100 {
        return Some((path, ""));
    }
    path.match_indices('/')
        .map(|(i, _)| (&path[i + 1..], &path[..i]))
        .find(|(n, p)| n.len() <= 100 && !n.is_empty() && p.len() <= 155)
}

fn pad(w: &mut impl Write, len: u64) -> io::Result<()> {
    let rem = (512 - len % 512) % 512;
    w.write_all(&vec![0u8; rem as usize])
}

/// A PAX record `"<len> path=<value>\n"`, where `<len>` counts the whole record.
fn pax_record(value: &str) -> String {
    let body = format!(" path={value}\n");
    let mut n = body.len() + 1;
    while format!("{n}{body}").len() != n {
        n = format!("{n}{body}").len();
    }
    format!("{n}{body}")
}

/// Writes `files` (paths relative to `root`, `/`-separated) into a tar at `out`; returns its
/// size in bytes.
pub fn write_tar(out: &Path, root: &Path, files: &[String]) -> io::Result<u64> {
    // create_new: never over an existing file, never through a symlink.
    let mut w = io::BufWriter::new(
        std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(out)?,
    );
    for rel in files {
        // Streamed: a module zip may be hundreds of MiB.
        let (mut file, _) =
            crate::fs::read::open_regular(&root.join(rel), crate::fs::read::limits::ZIP)?;
        let size = file.metadata()?.len();
        let (name, prefix) = match split_name(rel) {
            Some(np) => np,
            None => {
                let rec = pax_record(rel);
                w.write_all(&header(b"PaxHeader", b"", rec.len() as u64, b'x'))?;
                w.write_all(rec.as_bytes())?;
                pad(&mut w, rec.len() as u64)?;
                let tail = &rel[rel.len().saturating_sub(100)..];
                let tail = tail.find('/').map_or(tail, |i| &tail[i + 1..]);
                (tail, "")
            }
        };
        w.write_all(&header(name.as_bytes(), prefix.as_bytes(), size, b'0'))?;
        let copied = io::copy(&mut (&mut file).take(size), &mut w)?;
        if copied != size {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("{rel} shrank while it was written to the tar"),
            ));
        }
        pad(&mut w, size)?;
    }
    w.write_all(&[0u8; 1024])?;
    w.flush()?;
    Ok(std::fs::metadata(out)?.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tar_lists_with_the_system_tar() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("root");
        let long = format!("{}/{}/file.zip", "d".repeat(120), "e".repeat(90));
        let longer = format!("{}/x.mod", "f".repeat(180));
        for (rel, body) in [
            ("a/@v/list", "v1.0.0\n"),
            (long.as_str(), "zip"),
            (longer.as_str(), ""),
        ] {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, body).unwrap();
        }
        let out = tmp.path().join("b.tar");
        let files = vec!["a/@v/list".to_string(), long.clone(), longer.clone()];
        let size = write_tar(&out, &root, &files).unwrap();
        assert_eq!(size % 512, 0);
        let listed = std::process::Command::new("tar")
            .arg("-tf")
            .arg(&out)
            .output();
        if let Some(o) = listed.ok().filter(|o| o.status.success()) {
            let names: Vec<String> = String::from_utf8_lossy(&o.stdout)
                .lines()
                .map(str::to_string)
                .collect();
            assert_eq!(names, files);
        }
        assert_eq!(pax_record("ab"), "11 path=ab\n");
        for n in [90, 92, 93, 996] {
            let r = pax_record(&"x".repeat(n));
            let len: usize = r.split(' ').next().unwrap().parse().unwrap();
            assert_eq!(len, r.len());
        }
    }
}
