//! Signed notes as x/mod `sumdb/note` reads them: a verifier key `name+hash+keydata` (keydata is
//! base64 of algorithm byte 1 and an Ed25519 public key; hash is the first four bytes of
//! SHA-256 of `name`, a newline and keydata), and a note whose text ends in a blank line
//! followed by `— name base64(keyhash ‖ signature)` lines.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, Verifier as _, VerifyingKey};
use sha2::{Digest, Sha256};

/// sum.golang.org's public key, built into go (`modfetch/key.go`).
pub(crate) const SUM_GOLANG_ORG_KEY: &str =
    "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";

/// A checksum database's verifier key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierKey {
    /// The database's name, e.g. `sum.golang.org`.
    pub name: String,
    /// The key hash signatures name: the first four bytes of SHA-256 of name, newline, keydata.
    pub hash: u32,
    key: [u8; 32],
}

/// What is wrong with a note or a key, in x/mod's words where it has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteError {
    /// The verifier key does not parse; holds the key as given.
    MalformedKey(String),
    /// The note's text or signature block does not parse (x/mod "malformed note").
    Malformed,
    /// No signature by the expected key (signatures by other keys are ignored, as in go).
    NotSignedBy(String),
    /// A signature by the key that does not verify: a forgery or a corrupted file.
    InvalidSignature(String),
}

impl std::fmt::Display for NoteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoteError::MalformedKey(k) => write!(f, "malformed verifier key {k:?}"),
            NoteError::Malformed => f.write_str("malformed note"),
            NoteError::NotSignedBy(n) => write!(f, "note has no signature by {n}"),
            NoteError::InvalidSignature(n) => write!(f, "invalid signature by {n}"),
        }
    }
}

fn key_hash(name: &str, keydata: &[u8]) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update(keydata);
    let sum = h.finalize();
    u32::from_be_bytes([sum[0], sum[1], sum[2], sum[3]])
}

/// x/mod's `isValidName`: non-empty, no Unicode space, no `+`.
fn is_valid_name(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(char::is_whitespace) && !name.contains('+')
}

impl VerifierKey {
    /// `NewVerifier`: parses and checks `name+hash+keydata`.
    pub fn parse(vkey: &str) -> Result<VerifierKey, NoteError> {
        let bad = || NoteError::MalformedKey(vkey.to_string());
        let (name, rest) = vkey.split_once('+').ok_or_else(bad)?;
        let (hash16, key64) = rest.split_once('+').ok_or_else(bad)?;
        let hash = u32::from_str_radix(hash16, 16).map_err(|_| bad())?;
        let keydata = B64.decode(key64).map_err(|_| bad())?;
        if hash16.len() != 8 || !is_valid_name(name) || keydata.is_empty() {
            return Err(bad());
        }
        if key_hash(name, &keydata) != hash || keydata[0] != 1 || keydata.len() != 33 {
            return Err(bad());
        }
        let mut key = [0u8; 32];
        key.copy_from_slice(&keydata[1..]);
        Ok(VerifierKey {
            name: name.to_string(),
            hash,
            key,
        })
    }

    /// `note.Open` with this one key: the note's text when it carries a valid signature by
    /// it. A note with any signature by this key that does not verify is refused.
    pub(crate) fn open<'a>(&self, msg: &'a [u8]) -> Result<&'a [u8], NoteError> {
        let text = std::str::from_utf8(msg).map_err(|_| NoteError::Malformed)?;
        if text.chars().any(|c| (c as u32) < 0x20 && c != '\n') {
            return Err(NoteError::Malformed);
        }
        let split = text.rfind("\n\n").ok_or(NoteError::Malformed)?;
        let (body, sigs) = (&msg[..split + 1], &text[split + 2..]);
        if sigs.is_empty() || !sigs.ends_with('\n') {
            return Err(NoteError::Malformed);
        }
        let Ok(verifying) = VerifyingKey::from_bytes(&self.key) else {
            return Err(NoteError::MalformedKey(self.name.clone()));
        };
        let mut verified = false;
        for line in sigs.lines() {
            let line = line.strip_prefix("— ").ok_or(NoteError::Malformed)?;
            let (name, b64) = line.split_once(' ').ok_or(NoteError::Malformed)?;
            let sig = B64.decode(b64).map_err(|_| NoteError::Malformed)?;
            if !is_valid_name(name) || sig.len() < 5 {
                return Err(NoteError::Malformed);
            }
            let hash = u32::from_be_bytes([sig[0], sig[1], sig[2], sig[3]]);
            if name != self.name || hash != self.hash {
                continue;
            }
            let sig = Signature::from_slice(&sig[4..])
                .map_err(|_| NoteError::InvalidSignature(self.name.clone()))?;
            verifying
                .verify(body, &sig)
                .map_err(|_| NoteError::InvalidSignature(self.name.clone()))?;
            verified = true;
        }
        if verified {
            Ok(body)
        } else {
            Err(NoteError::NotSignedBy(self.name.clone()))
        }
    }
}

/// The checksum database's name in a GOSUMDB value (`sum.golang.org`, `name+hash+key [url]`),
/// as `dbDial` derives it; `sum.golang.google.cn` is an alias of sum.golang.org, and an empty
/// value is go's default.
pub fn sumdb_name(gosumdb: &str) -> Option<&str> {
    if gosumdb.trim().is_empty() {
        return Some("sum.golang.org");
    }
    let first = gosumdb.split_whitespace().next()?;
    if first == "sum.golang.google.cn" || first == "off" {
        return (first != "off").then_some("sum.golang.org");
    }
    first.split('+').next().filter(|n| !n.is_empty())
}

/// The verifier key for a GOSUMDB value, as `modfetch/sumdb.go dbDial` derives it: the built-in
/// key for `sum.golang.org` (and its alias `sum.golang.google.cn`), else the `name+hash+key`
/// the value starts with. `None` for `off`; `Err` when go would refuse the value too.
pub(crate) fn key_for_gosumdb(gosumdb: &str) -> Result<Option<VerifierKey>, String> {
    let first = gosumdb.split_whitespace().next().unwrap_or("");
    match first {
        "off" => Ok(None),
        k if k.contains('+') => VerifierKey::parse(k).map(Some).map_err(|e| e.to_string()),
        k => match sumdb_name(gosumdb) {
            Some("sum.golang.org") => VerifierKey::parse(SUM_GOLANG_ORG_KEY)
                .map(Some)
                .map_err(|e| e.to_string()),
            _ => Err(format!(
                "go: invalid GOSUMDB: key for {k} unknown (give it as name+hash+key)"
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_database_names() {
        assert_eq!(sumdb_name("sum.golang.org"), Some("sum.golang.org"));
        assert_eq!(sumdb_name("sum.golang.google.cn"), Some("sum.golang.org"));
        assert_eq!(
            sumdb_name("sum.example.test+4ac087d0+AepKb https://x"),
            Some("sum.example.test")
        );
        assert_eq!(sumdb_name(""), Some("sum.golang.org"));
        assert_eq!(sumdb_name("off"), None);
    }

    /// A real signed tree head of sum.golang.org, as go caches it.
    const REAL_LATEST: &str = "go.sum database tree\n66398721\n5oXTdOltbW8oy+WAHSPYkUE7FskIY/5ZJCYGy+buJ3g=\n\n— sum.golang.org Az3grkwAPWdf0j0QaqFdZ3Hg/pDusO9we04GR+upDAujfj+kau8VzeyO7Xqw0j0qZNnwMvwiV98DluG2iyB8t4v4WQU=\n";

    #[test]
    fn a_real_sum_golang_org_tree_head_verifies_and_a_changed_one_does_not() {
        let key = key_for_gosumdb("").unwrap().unwrap();
        assert_eq!(
            (key.name.as_str(), key.hash),
            ("sum.golang.org", 0x033de0ae)
        );
        let text = key.open(REAL_LATEST.as_bytes()).unwrap();
        assert!(text.starts_with(b"go.sum database tree\n66398721\n"));
        let forged = REAL_LATEST.replace("66398721", "66398722");
        assert_eq!(
            key.open(forged.as_bytes()),
            Err(NoteError::InvalidSignature("sum.golang.org".into()))
        );
        let unsigned = REAL_LATEST.replace("— sum.golang.org", "— other.example");
        assert_eq!(
            key.open(unsigned.as_bytes()),
            Err(NoteError::NotSignedBy("sum.golang.org".into()))
        );
        assert_eq!(
            key.open(b"go.sum database tree\n1\n"),
            Err(NoteError::Malformed)
        );
    }

    #[test]
    fn verifier_keys_are_checked_as_x_mod_checks_them() {
        assert!(VerifierKey::parse(SUM_GOLANG_ORG_KEY).is_ok());
        // A wrong hash, a bad name, a wrong algorithm.
        assert!(VerifierKey::parse(&SUM_GOLANG_ORG_KEY.replace("033de0ae", "033de0af")).is_err());
        assert!(
            VerifierKey::parse(&SUM_GOLANG_ORG_KEY.replace("sum.golang.org", "sum golang"))
                .is_err()
        );
        assert!(key_for_gosumdb("sum.example.com").is_err());
        assert_eq!(key_for_gosumdb("off"), Ok(None));
    }
}
