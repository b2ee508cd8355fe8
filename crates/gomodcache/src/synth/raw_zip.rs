//! Zips written field by field (local headers, central directory, end record), so that names,
//! declared sizes, CRCs and methods are whatever a test says: for the hostile zips the zip
//! crate will not write (names escaping the root, sizes that lie, bombs). Test data only; the
//! product never writes zips.

/// One entry of a hand-written zip.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The entry's name bytes, as written in both headers (not checked).
    pub name: Vec<u8>,
    /// The bytes stored in the zip (deflated when `deflated`).
    pub data: Vec<u8>,
    /// Method 8 (deflate) is declared; else method 0 (stored).
    pub deflated: bool,
    /// The CRC-32 the headers declare.
    pub crc: u32,
    /// The uncompressed size the headers declare.
    pub size: u32,
}

impl Entry {
    /// A stored (uncompressed) entry with a true CRC and size.
    pub fn stored(name: impl Into<Vec<u8>>, data: impl Into<Vec<u8>>) -> Entry {
        let data = data.into();
        Entry {
            name: name.into(),
            crc: crc32fast::hash(&data),
            size: data.len() as u32,
            data,
            deflated: false,
        }
    }
}

/// A zip written field by field (local headers, central directory, end record), so names and
/// declared sizes are whatever the test says.
pub fn zip_bytes(entries: &[Entry]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for e in entries {
        let offset = out.len() as u32;
        let method: u16 = if e.deflated { 8 } else { 0 };
        let fields = |central: bool| {
            let mut h = Vec::new();
            if central {
                h.extend(0x0314u16.to_le_bytes()); // made by: Unix, 2.0
            }
            for v in [20u16, 0, method, 0, 0x21] {
                h.extend(v.to_le_bytes()); // version needed, flags, method, time, date
            }
            h.extend(e.crc.to_le_bytes());
            h.extend((e.data.len() as u32).to_le_bytes());
            h.extend(e.size.to_le_bytes());
            h.extend((e.name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra length
            if central {
                h.extend([0u8; 6]); // comment length, disk, internal attributes
                h.extend((0o100644u32 << 16).to_le_bytes()); // external attributes: a regular file
                h.extend(offset.to_le_bytes());
            }
            h.extend(&e.name);
            h
        };
        out.extend(0x04034b50u32.to_le_bytes());
        out.extend(fields(false));
        out.extend(&e.data);
        central.extend(0x02014b50u32.to_le_bytes());
        central.extend(fields(true));
    }
    let start = out.len() as u32;
    out.extend(&central);
    out.extend(0x06054b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(start.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}
