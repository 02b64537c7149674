//! The files one import touches (the input, the journal, `--report`) must be three different
//! files: a report written over the input empties it before it is read, and a report written
//! over the journal loses what makes the import resumable. Checked before anything is read,
//! written or sent.

use std::path::{Path, PathBuf};

use crate::error::CommandError;

/// Whether `a` and `b` name the same file: the same device and inode (the `same-file` crate)
/// when both exist, else the same path once their folders are resolved (symbolic links,
/// `..`). A file that exists and one that does not are different.
fn same(a: &Path, b: &Path) -> bool {
    match (a.exists(), b.exists()) {
        (true, true) => same_file::is_same_file(a, b).unwrap_or(false),
        (false, false) => resolved(a) == resolved(b),
        _ => false,
    }
}

/// `path` with its folder resolved, for a file that does not exist yet.
fn resolved(path: &Path) -> PathBuf {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    match (folder.canonicalize(), path.file_name()) {
        (Ok(folder), Some(name)) => folder.join(name),
        _ => path.to_path_buf(),
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
