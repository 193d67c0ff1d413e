//! File safety for the command line: no run ever overwrites one of its own inputs, no two
//! outputs of one run share a path, and every output appears whole or not at all.
//!
//! Outputs are checked *before* any work starts (a refused run writes nothing), by file
//! identity (device and inode on Unix, so `gold/` and `./gold/../gold` and hard links are
//! the same file). Each file is written to a temporary file beside it and renamed over the
//! destination, so a crash or a full disk never leaves half a file where a good one was.

use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Why a run was refused before it started.
#[derive(Debug, PartialEq, Eq)]
pub enum Clash {
    /// `output` is the input file `input` (or the same file under another name).
    OverwritesInput { output: PathBuf, input: PathBuf },
    /// Two inputs would be written to one output.
    SameOutput { output: PathBuf, first: PathBuf, second: PathBuf },
}

impl fmt::Display for Clash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Clash::OverwritesInput { output, input } => write!(
                f,
                "refusing to run: the output {} would overwrite the input {} (choose another --out)",
                output.display(),
                input.display()
            ),
            Clash::SameOutput { output, first, second } => write!(
                f,
                "refusing to run: {} and {} would both be written to {} (rename one, or run them separately)",
                first.display(),
                second.display(),
                output.display()
            ),
        }
    }
}

impl std::error::Error for Clash {}

/// What makes two paths the same file: device and inode where the OS has them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FileKey {
    #[cfg(unix)]
    Inode(u64, u64),
    Path(PathBuf),
}

/// The identity of an existing file (`None` when it does not exist).
pub fn file_key(p: &Path) -> Option<FileKey> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(p).ok().map(|m| FileKey::Inode(m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(p).ok().map(FileKey::Path)
    }
}

/// Where `p` will be, whether or not it exists yet: its folder resolved (symlinks, `..`)
/// plus its file name, so two spellings of one output compare equal.
pub fn resolved(p: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(p) {
        return c;
    }
    let parent = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    match (std::fs::canonicalize(parent), p.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => p.to_path_buf(),
    }
}

/// Checks a run's plan: `plan` pairs each output with the input it comes from. Refuses an
/// output that is an input file, and two inputs sharing one output.
pub fn check(inputs: &[PathBuf], plan: &[(PathBuf, PathBuf)]) -> Result<(), Clash> {
    let input_keys: HashMap<FileKey, &PathBuf> = inputs.iter().filter_map(|i| Some((file_key(i)?, i))).collect();
    let mut outputs: HashMap<PathBuf, &PathBuf> = HashMap::new();
    for (output, from) in plan {
        if let Some(input) = file_key(output).and_then(|k| input_keys.get(&k)) {
            return Err(Clash::OverwritesInput { output: output.clone(), input: (*input).clone() });
        }
        if let Some(first) = outputs.insert(resolved(output), from) {
            if first != from {
                return Err(Clash::SameOutput { output: output.clone(), first: first.clone(), second: from.clone() });
            }
        }
    }
    Ok(())
}

/// Inputs with repeats of one file removed (named twice, or reached twice through links),
/// first occurrence kept.
pub fn dedupe(files: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    files.into_iter().filter(|f| file_key(f).is_none_or(|k| seen.insert(k))).collect()
}

/// A file being written: bytes go to a temporary file beside `dest`, which replaces
/// `dest` only on [`AtomicFile::commit`]; dropped uncommitted, it is removed.
pub struct AtomicFile {
    tmp: PathBuf,
    dest: PathBuf,
    file: Option<std::io::BufWriter<std::fs::File>>,
}

static SEQ: AtomicUsize = AtomicUsize::new(0);

impl AtomicFile {
    pub fn create(dest: &Path) -> std::io::Result<AtomicFile> {
        let name = dest.file_name().map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
        let tmp = dest.with_file_name(format!(
            ".{name}.newsmark-{}-{}.tmp",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        Ok(AtomicFile { tmp, dest: dest.to_path_buf(), file: Some(std::io::BufWriter::new(file)) })
    }

    /// Flushes and renames the temporary file over the destination.
    pub fn commit(mut self) -> std::io::Result<()> {
        let file = self.file.take().expect("committed once");
        file.into_inner().map_err(|e| e.into_error())?;
        std::fs::rename(&self.tmp, &self.dest)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.as_mut().expect("not committed").write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.as_mut().expect("not committed").flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Writes `bytes` to `dest` through a temporary file and a rename.
pub fn write_atomic(dest: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = AtomicFile::create(dest)?;
    f.write_all(bytes)?;
    f.commit()
}

/// A file name (no extension) for a document id that stays inside the output folder
/// (see [`common::safe_stem`](crate::core::format::common::safe_stem)).
pub fn safe_stem(id: &str) -> String {
    crate::core::format::common::safe_stem(id, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_stay_inside_the_folder() {
        let cases = [("", "d"), (".", "d."), ("..", "d.."), ("../../etc/passwd", "d.._.._etc_passwd"), ("a/b", "a_b"), ("é 1", "é_1"), ("C:\\x", "C__x")];
        for (id, want) in cases {
            assert_eq!(safe_stem(id), want, "{id:?}");
            let p = Path::new("out").join(safe_stem(id));
            assert_eq!(p.parent(), Some(Path::new("out")), "{id:?}");
        }
        assert_eq!(safe_stem(&"x".repeat(300)).len(), 100);
    }

    #[test]
    fn atomic_file_replaces_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("a.json");
        std::fs::write(&dest, "old").unwrap();
        {
            let mut f = AtomicFile::create(&dest).unwrap();
            f.write_all(b"half").unwrap();
            // Dropped without commit: a failed run.
        }
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
        write_atomic(&dest, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn clashes_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.json");
        std::fs::write(&a, "x").unwrap();
        let other = dir.path().join("sub/../a.json");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let plan = [(other.clone(), a.clone())];
        assert!(matches!(check(std::slice::from_ref(&a), &plan), Err(Clash::OverwritesInput { .. })));
        let b = dir.path().join("b.txt");
        let plan = [(dir.path().join("o/x.json"), a.clone()), (dir.path().join("o/x.json"), b.clone())];
        assert!(matches!(check(&[a.clone(), b.clone()], &plan), Err(Clash::SameOutput { .. })));
        let plan = [(dir.path().join("o/a.json"), a.clone()), (dir.path().join("o/b.json"), b.clone())];
        assert_eq!(check(&[a.clone(), b], &plan), Ok(()));
        assert_eq!(dedupe(vec![a.clone(), other, a.clone()]), vec![a]);
    }
}
