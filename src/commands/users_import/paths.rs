//! The files one import touches (the input, the journal, `--report`) must be three different
//! files: a report written over the input empties it before it is read, and a report written
//! over the journal loses what makes the import resumable. Checked before anything is read,
//! written or sent.

use std::path::{Path, PathBuf};

use crate::error::CommandError;

/// Whether `a` and `b` name the same file: the same device and inode when both exist (read
/// from their metadata, never by opening them: opening a pipe would wait for a writer), else
/// the same path once symbolic links (dangling ones too) and folders are resolved. A file that
/// exists and one that does not are different.
fn same(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => same_inode(&x, &y, a, b),
        (Err(_), Err(_)) => resolved(a) == resolved(b),
        _ => false,
    }
}

#[cfg(unix)]
fn same_inode(x: &std::fs::Metadata, y: &std::fs::Metadata, _: &Path, _: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    x.dev() == y.dev() && x.ino() == y.ino()
}

#[cfg(not(unix))]
fn same_inode(_: &std::fs::Metadata, _: &std::fs::Metadata, a: &Path, b: &Path) -> bool {
    same_file::is_same_file(a, b).unwrap_or(false)
}

/// The most symbolic links followed when resolving a path that does not exist yet.
const MAX_LINKS: usize = 40;

/// `path`, for a file that does not exist yet: each symbolic link it is (a dangling one names
/// the file it will create) followed, then its folder resolved.
fn resolved(path: &Path) -> PathBuf {
    let mut path = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::read_link(&path) {
            Ok(target) if target.is_absolute() => path = target,
            Ok(target) => {
                let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
                path = folder.join(target);
            }
            Err(_) => break,
        }
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    match (folder.canonicalize(), path.file_name()) {
        (Ok(folder), Some(name)) => folder.join(name),
        _ => path.clone(),
    }
}

/// Refuses a journal or report that is the input, and a report that is the journal.
pub fn check_distinct(
    input: &Path,
    journal: &Path,
    report: Option<&Path>,
) -> Result<(), CommandError> {
    let refuse = |option: &str, path: &Path, what: &str, other: &Path| {
        Err(CommandError::Other(format!(
            "{option} {} is the same file as {what} {}: writing it would destroy {what}. Nothing was read or sent; give {option} another path",
            path.display(),
            other.display()
        )))
    };
    if same(journal, input) {
        return refuse("--journal", journal, "the input", input);
    }
    if let Some(report) = report {
        if same(report, input) {
            return refuse("--report", report, "the input", input);
        }
        if same(report, journal) {
            return refuse("--report", report, "the journal", journal);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_file_under_another_name_is_caught() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("rows.csv");
        std::fs::write(&input, "user,type\n").unwrap();
        let journal = dir.path().join("rows.csv.journal");
        let other = dir.path().join("sub/../rows.csv");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        assert!(same(&input, &other));
        assert!(same(&journal, &dir.path().join("sub/../rows.csv.journal")));
        assert!(!same(&input, &journal));
        assert!(check_distinct(&input, &journal, None).is_ok());
        assert!(check_distinct(&input, &journal, Some(&dir.path().join("r.jsonl"))).is_ok());
        assert!(check_distinct(&input, &journal, Some(&other)).is_err());
        assert!(check_distinct(&input, &other, None).is_err());
        assert!(check_distinct(&input, &journal, Some(&journal)).is_err());
    }
}
