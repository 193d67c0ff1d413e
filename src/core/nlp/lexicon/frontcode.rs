//! Front coding of the embedded word lists: the form in which `data/*.tsv` is compiled
//! into the binary (by `build.rs`, which includes this file) and decoded once at first use.
//!
//! Why: the worker wasm is downloaded gzip-compressed, and sorted keys share long
//! prefixes that gzip's 3-byte matches only partly catch. Storing each key as "bytes shared
//! with the previous key" plus the rest, with the counts, the key suffixes and the payloads
//! each in their own stream (gzip finds more repetition within a column), takes the tables
//! from 191,804 to 147,520 B gzip. Decoding rebuilds the very same `key\tpayload` lines,
//! so the tables, their lookups and the extraction output are unchanged (tested).
//!
//! Layout: `u32` row count (LE); one byte per row, the length in bytes of the prefix shared
//! with the previous key (≤ 255); every key's remaining bytes, each ended by `\n`; every
//! payload, each ended by `\n`. Keys and payloads hold no `\n`; a key holds no `\t`.
//! Only std: `build.rs` compiles this file on its own.

/// Encodes the lines of `tsv` (`key\tpayload` or `key`; empty lines and lines with an
/// empty key, which the table parser skips, are dropped). Row order is kept.
pub fn encode(tsv: &str) -> Vec<u8> {
    let rows: Vec<(&[u8], &[u8])> = tsv
        .lines()
        .map(|l| l.split_once('\t').unwrap_or((l, "")))
        .filter(|(k, _)| !k.is_empty())
        .map(|(k, p)| (k.as_bytes(), p.as_bytes()))
        .collect();
    let mut counts = Vec::with_capacity(rows.len());
    let mut suffixes = Vec::new();
    let mut payloads = Vec::new();
    let mut prev: &[u8] = b"";
    for &(key, payload) in &rows {
        let shared = prev.iter().zip(key).take(255).take_while(|(a, b)| a == b).count();
        counts.push(shared as u8);
        suffixes.extend_from_slice(&key[shared..]);
        suffixes.push(b'\n');
        payloads.extend_from_slice(payload);
        payloads.push(b'\n');
        prev = key;
    }
    let mut out = Vec::with_capacity(4 + counts.len() + suffixes.len() + payloads.len());
    out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
    out.extend_from_slice(&counts);
    out.extend_from_slice(&suffixes);
    out.extend_from_slice(&payloads);
    out
}

/// Rebuilds the `key\tpayload\n` lines from [`encode`]'s bytes. Never panics: bytes that
/// are not an encoding give whatever rows could be read (the embedded ones are checked by
/// a test to decode to their source exactly).
pub fn decode(bytes: &[u8]) -> String {
    let n = match bytes.get(..4) {
        Some(b) => u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize,
        None => return String::new(),
    };
    let counts = bytes.get(4..4usize.saturating_add(n)).unwrap_or(&[]);
    let rest = bytes.get(4 + counts.len()..).unwrap_or(&[]);
    let mut fields = rest.split(|&b| b == b'\n');
    let suffixes: Vec<&[u8]> = fields.by_ref().take(counts.len()).collect();
    let mut out = Vec::with_capacity(bytes.len() * 2);
    let mut key: Vec<u8> = Vec::new();
    for (&shared, suffix) in counts.iter().zip(suffixes) {
        key.truncate(shared as usize);
        key.extend_from_slice(suffix);
        let payload = fields.next().unwrap_or(&[]);
        out.extend_from_slice(&key);
        out.push(b'\t');
        out.extend_from_slice(payload);
        out.push(b'\n');
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}
