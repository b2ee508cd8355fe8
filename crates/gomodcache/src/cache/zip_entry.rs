//! Reading one entry of a module zip the way go's `archive/zip` does: the encryption flag is
//! ignored (the data is read as it is) and a compressed size running past the end of the file
//! reads up to the end (the inflater stops at the end of the deflate stream). The zip crate's
//! own entry reader refuses both, where go verifies and builds.

use std::io::{Read, Seek};

/// One entry opened for reading: its declared size and CRC-32 (go checks both after reading),
/// and a reader of its content.
pub struct GoZipEntry<'a> {
    /// The entry's name as stored (raw bytes).
    pub name: Vec<u8>,
    /// The name ends with `/` (or `\`), as the zip crate decides.
    pub is_dir: bool,
    /// The declared uncompressed size.
    pub size: u64,
    /// The declared CRC-32 of the content.
    pub crc: u32,
    /// The content: inflated for a deflated entry, as stored otherwise. Not bounded: read it
    /// through `take(size + 1)` or a budget.
    pub reader: Box<dyn Read + 'a>,
}

/// Opens entry `i`. An entry compressed with anything but store or deflate is an error, as in
/// go (`zip: unsupported compression algorithm`).
pub fn open_entry<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    i: usize,
) -> Result<GoZipEntry<'_>, String> {
    let raw = archive.by_index_raw(i).map_err(|e| e.to_string())?;
    let name = raw.name_raw().to_vec();
    let (is_dir, size, crc) = (raw.is_dir(), raw.size(), raw.crc32());
    let reader: Box<dyn Read + '_> = match raw.compression() {
        zip::CompressionMethod::Stored => Box::new(raw),
        zip::CompressionMethod::Deflated => Box::new(flate2::read::DeflateDecoder::new(raw)),
        other => {
            return Err(format!(
                "{}: unsupported compression method {other:?}",
                String::from_utf8_lossy(&name)
            ));
        }
    };
    Ok(GoZipEntry {
        name,
        is_dir,
        size,
        crc,
        reader,
    })
}
