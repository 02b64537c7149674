//! `mfactl convert deploy-cli|terraform`: another tool's MFA configuration as an mfactl config
//! file, on stdout or in `-o FILE`, with a report on stderr of the variables to set and of
//! everything not carried over. The conversion itself is pure (`mfactl_core::convert`); this
//! command reads the files and prints.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use mfactl_core::convert::{Conversion, InputFile, deploy_cli, terraform};

use crate::cli::{ConvertCommand, ConvertDeployCliArgs, ConvertTerraformArgs};
use crate::error::{CommandError, CommandResult};
use crate::scrub;

/// How deep a directory export's files sit (`guardian/factors/sms.json`).
const MAX_DEPTH: usize = 3;

pub fn run(command: &ConvertCommand) -> CommandResult {
    let (conversion, output) = match command {
        ConvertCommand::DeployCli(args) => (deploy_cli_conversion(args)?, &args.output),
        ConvertCommand::Terraform(args) => (terraform_conversion(args)?, &args.output),
    };
    write(&conversion, output.as_deref())
}

/// What the converted file is called in the report and in its own diagnostics.
fn output_name(output: Option<&Path>) -> String {
    output.map_or_else(|| "<stdout>".to_string(), |p| p.display().to_string())
}

fn deploy_cli_conversion(args: &ConvertDeployCliArgs) -> Result<Conversion, CommandError> {
    let name = output_name(args.output.as_deref());
    let source = if args.path.is_dir() {
        let mut files = Vec::new();
        collect(&args.path, &args.path, 0, &mut files)?;
        let yaml = ["tenant.yaml", "tenant.yml"]
            .iter()
            .map(|n| args.path.join(n))
            .find(|p| p.is_file());
        match (files.is_empty(), yaml) {
            // A folder holding a YAML export: its tenant.yaml.
            (true, Some(path)) => deploy_cli::Source::Yaml(read(&path)?),
            _ => deploy_cli::Source::Directory {
                root: args.path.display().to_string(),
                files,
            },
        }
    } else {
        deploy_cli::Source::Yaml(read(&args.path)?)
    };
    deploy_cli::convert(&source, env!("CARGO_PKG_VERSION"), &name)
        .map_err(|e| CommandError::Other(e.to_string()))
}

/// The files of a directory export that the converter reads, by path under `root`.
fn collect(
    root: &Path,
    dir: &Path,
    depth: usize,
    files: &mut Vec<(String, String)>,
) -> Result<(), CommandError> {
    let entries = std::fs::read_dir(dir).map_err(|e| CommandError::read(dir, e))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let Ok(relative) = path.strip_prefix(root) else {
            continue;
        };
        let relative: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let relative = relative.join("/");
        if path.is_dir() && depth + 1 < MAX_DEPTH {
            collect(root, &path, depth + 1, files)?;
        } else if path.is_file() && deploy_cli::wanted(&relative) {
            let text = std::fs::read_to_string(&path).map_err(|e| CommandError::read(&path, e))?;
            files.push((relative, text));
        }
    }
    Ok(())
}

fn terraform_conversion(args: &ConvertTerraformArgs) -> Result<Conversion, CommandError> {
    let name = output_name(args.output.as_deref());
    given_once(&args.files)?;
    let files = args
        .files
        .iter()
        .map(|path| read(path))
        .collect::<Result<Vec<_>, _>>()?;
    terraform::convert(&files, env!("CARGO_PKG_VERSION"), &name)
        .map_err(|e| CommandError::Other(e.to_string()))
}

/// Refuses a file named twice (`main.tf main.tf`, `main.tf ./main.tf`): its resources would
/// read as a second copy of each.
fn given_once(files: &[PathBuf]) -> Result<(), CommandError> {
    let mut seen: Vec<(PathBuf, &Path)> = Vec::new();
    for path in files {
        let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if let Some((_, first)) = seen.iter().find(|(r, _)| *r == real) {
            let alias = if *first == path.as_path() {
                String::new()
            } else {
                format!(" (as {} and {})", first.display(), path.display())
            };
            return Err(CommandError::Other(format!(
                "{} is given twice{alias}: name each file once",
                first.display()
            )));
        }
        seen.push((real, path));
    }
    Ok(())
}

fn read(path: &Path) -> Result<InputFile, CommandError> {
    let text = std::fs::read_to_string(path).map_err(|e| CommandError::read(path, e))?;
    Ok(InputFile::new(path.display().to_string(), text))
}

/// Writes the file, then the report. Secrets the input held in clear are registered for
/// scrubbing first, though nothing printed holds them.
fn write(conversion: &Conversion, output: Option<&Path>) -> CommandResult {
    scrub::register_all(&conversion.secrets_in_clear);
    match output {
        Some(path) => {
            scrub::write_file(path, &conversion.text).map_err(|e| CommandError::write(path, e))?
        }
        None => scrub::print(&conversion.text),
    }
    scrub::eprint(&conversion.report(&output_name(output)));
    Ok(ExitCode::SUCCESS)
}
