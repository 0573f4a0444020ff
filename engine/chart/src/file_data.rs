//! The bytes of a chart file, read when the chart is loaded or, for a
//! large file that rendering seldom looks at (a README, a CHANGELOG), on
//! first use.
//!
//! Helm reads every file of a chart directory when it loads it. A bitnami
//! chart's markdown is most of its bytes (tomcat: 280 of 430 KB), and
//! reading it into fresh memory cost about 5% of a `template` run, in page
//! faults and copying, for text no template asked for. A deferred file is
//! opened during the walk, as Helm's read would open it, so a file that
//! cannot be opened is the same load error; the descriptor is kept and the
//! bytes are read through it on first use, to the end of the file as
//! `os.ReadFile` reads.

use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::ops::Deref;
use std::os::unix::io::AsRawFd;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// Files at least this large may be read on first use.
const DEFER_FROM: u64 = 16 * 1024;

/// The most descriptors deferred files hold open at once in a process:
/// well under the usual limit of 1024, whatever the number of charts.
const MAX_DEFERRED: usize = 64;

static DEFERRED_OPEN: AtomicUsize = AtomicUsize::new(0);

/// A file's bytes, shared between the copies of a chart. Dereferences to
/// the bytes, reading a deferred file first.
#[derive(Clone)]
pub struct FileData(Repr);

#[derive(Clone)]
enum Repr {
    Read(Arc<[u8]>),
    Deferred(Arc<Deferred>),
}

struct Deferred {
    file: fs::File,
    /// The length the walk saw (a guess: the file may change).
    len: u64,
    bytes: OnceLock<Arc<[u8]>>,
}

impl Drop for Deferred {
    fn drop(&mut self) {
        DEFERRED_OPEN.fetch_sub(1, Ordering::Relaxed);
    }
}

impl FileData {
    /// Reads the file at `path` (seen to be `len` bytes long) now, or keeps
    /// it open to read on first use when `may_defer` and it is large. A
    /// byte-order mark is dropped, as Helm's loader drops it.
    pub(crate) fn open(path: &std::path::Path, len: u64, may_defer: bool) -> io::Result<FileData> {
        let file = fs::File::open(path)?;
        if may_defer && len >= DEFER_FROM && reserve_descriptor() {
            return Ok(FileData(Repr::Deferred(Arc::new(Deferred { file, len, bytes: OnceLock::new() }))));
        }
        read_shared(&file, len).map(|data| FileData::from(without_bom(data)))
    }

    /// The bytes as the shared buffer the chart keeps.
    pub fn shared(&self) -> &Arc<[u8]> {
        match &self.0 {
            Repr::Read(bytes) => bytes,
            Repr::Deferred(d) => d.bytes.get_or_init(|| d.read()),
        }
    }

    /// Whether the bytes have been read (always, but for a deferred file
    /// not yet used).
    pub fn is_read(&self) -> bool {
        match &self.0 {
            Repr::Read(_) => true,
            Repr::Deferred(d) => d.bytes.get().is_some(),
        }
    }
}

fn reserve_descriptor() -> bool {
    DEFERRED_OPEN.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| (n < MAX_DEFERRED).then_some(n + 1)).is_ok()
}

impl Deferred {
    /// The file's bytes now, without a byte-order mark, as the walk reads
    /// any file. The file was opened by the walk: only an I/O fault of the
    /// disk can fail this read, which then gives the bytes read until then.
    fn read(&self) -> Arc<[u8]> {
        without_bom(read_shared(&self.file, self.len).unwrap_or_else(|_| Arc::from(&[][..])))
    }
}

/// Helm's loader drops a UTF-8 byte-order mark from the start of every file.
fn without_bom(data: Arc<[u8]>) -> Arc<[u8]> {
    match data.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => Arc::from(rest),
        None => data,
    }
}

impl Deref for FileData {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.shared()
    }
}

impl Default for FileData {
    fn default() -> FileData {
        FileData(Repr::Read(Arc::from(&[][..])))
    }
}

impl From<Arc<[u8]>> for FileData {
    fn from(bytes: Arc<[u8]>) -> FileData {
        FileData(Repr::Read(bytes))
    }
}

impl From<Vec<u8>> for FileData {
    fn from(bytes: Vec<u8>) -> FileData {
        FileData(Repr::Read(Arc::from(bytes)))
    }
}

impl PartialEq for FileData {
    fn eq(&self, other: &FileData) -> bool {
        **self == **other
    }
}

impl Eq for FileData {}

impl fmt::Debug for FileData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// `os.ReadFile` of an open file the walk found to be `len` bytes long,
/// read straight into the shared buffer the chart keeps: reading into a
/// `Vec` and moving that into an `Arc<[u8]>` would copy every file once
/// more.
fn read_shared(mut file: &fs::File, len: u64) -> io::Result<Arc<[u8]>> {
    let Ok(len) = usize::try_from(len) else { return read_rest(file, Vec::new()) };
    if len == 0 || len > 1 << 30 {
        return read_rest(file, Vec::new());
    }
    // Not zeroed first: read(2) writes the bytes, and zeroing them cost as
    // much as the rest of the walk's own instructions.
    let mut buf = Arc::<[u8]>::new_uninit_slice(len);
    let dst = Arc::get_mut(&mut buf).expect("a new Arc is not shared");
    let mut filled = 0;
    while filled < len {
        let rest = &mut dst[filled..];
        // SAFETY: the kernel writes at most `rest.len()` bytes into `rest`.
        let n = unsafe { libc::read(file.as_raw_fd(), rest.as_mut_ptr().cast(), rest.len()) };
        match n {
            0 => break,
            n if n > 0 => filled += n as usize,
            _ => {
                let e = io::Error::last_os_error();
                if e.kind() != io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
        }
    }
    if filled < len {
        // The file shrank since the walk saw it.
        // SAFETY: the first `filled` bytes were written by read(2).
        let read = unsafe { std::slice::from_raw_parts(dst.as_ptr().cast::<u8>(), filled) };
        return Ok(Arc::from(read));
    }
    // SAFETY: all `len` bytes were written by read(2).
    let buf = unsafe { buf.assume_init() };
    // It may also have grown: the read goes on to the end, as Go's does.
    let mut more = [0u8; 1];
    loop {
        match file.read(&mut more) {
            Ok(0) => return Ok(buf),
            Ok(_) => {
                let mut data = buf.to_vec();
                data.push(more[0]);
                return read_rest(file, data);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// The rest of `file` after `data`, to its end.
fn read_rest(mut file: &fs::File, mut data: Vec<u8>) -> io::Result<Arc<[u8]>> {
    file.read_to_end(&mut data)?;
    Ok(Arc::from(data))
}

#[cfg(test)]
mod tests {
    use super::{read_shared, FileData, DEFER_FROM};

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("rhelm-file-data-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// The length the walk saw is only a guess: a file that has since
    /// grown or shrunk is read to its end all the same.
    #[test]
    fn reads_the_whole_file_whatever_length_was_seen() {
        let dir = scratch("len");
        let path = dir.join("f");
        let text: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &text).unwrap();
        let open = || std::fs::File::open(&path).unwrap();
        for seen in [0, 1, 9_999, 10_000, 10_001, 1 << 20] {
            assert_eq!(&*read_shared(&open(), seen).unwrap(), &text[..], "seen as {seen} bytes");
        }
        std::fs::write(&path, b"").unwrap();
        assert!(read_shared(&open(), 5).unwrap().is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A large file is read on first use, through the descriptor opened at
    /// load: what it holds then, to its end, without a byte-order mark; a
    /// small one, or one that may not wait, is read at once.
    #[test]
    fn large_files_are_read_on_first_use() {
        let dir = scratch("defer");
        let path = dir.join("README.md");
        let big = vec![b'a'; DEFER_FROM as usize];
        std::fs::write(&path, &big).unwrap();
        let data = FileData::open(&path, DEFER_FROM, true).unwrap();
        assert!(!data.is_read());
        let mut grown = b"\xEF\xBB\xBF".to_vec();
        grown.extend_from_slice(&big);
        grown.extend_from_slice(b"more");
        std::fs::write(&path, &grown).unwrap();
        // Still the same file, now renamed away: the descriptor reads it.
        std::fs::rename(&path, dir.join("moved")).unwrap();
        assert_eq!(&*data, &grown[3..]);
        assert!(data.is_read());
        assert_eq!(data.clone(), FileData::from(grown[3..].to_vec()));

        let small = dir.join("small");
        std::fs::write(&small, b"x").unwrap();
        assert!(FileData::open(&small, 1, true).unwrap().is_read());
        assert!(FileData::open(&dir.join("moved"), DEFER_FROM + 7, false).unwrap().is_read());
        assert!(FileData::open(&dir.join("missing"), DEFER_FROM, true).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
