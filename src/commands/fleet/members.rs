//! Loading a tenants file and, for each tenant, the config file with that tenant's `${VAR}`s:
//! every diagnostic of both files with its place, every missing variable of every tenant in
//! one error, and every secret registered with [`crate::scrub`] before anything is printed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::api::{ApiError, ConnectionSettings, Credentials};
use crate::commands::config_file::{ConfigFile, config_warning};
use crate::config::diagnostic::{JsonDiagnostic, render_all, summary};
use crate::config::{Diagnostic, EnvLookup, Loaded, SourceFile, load_bytes};
use crate::error::CommandError;
use crate::fleet::variables::{missing_for, missing_message, references, secret_names};
use crate::fleet::{LoadedTenants, MissingVariable, Tenant, TenantCredentials, load_tenants};
use crate::scrub;
use crate::terminal::Colors;

/// A tenant of the run, ready to connect to.
pub struct Member {
    pub tenant: Tenant,
    pub settings: ConnectionSettings,
    /// The config file as this tenant resolves it (`None` for commands without one).
    pub file: Option<ConfigFile>,
}

impl Member {
    pub fn name(&self) -> &str {
        &self.tenant.name
    }
}

/// The tenants of a run, in the tenants file's order.
pub struct Fleet {
    /// The tenants file as given on the command line.
    pub tenants_file: String,
    pub tenants_bytes: Vec<u8>,
    pub members: Vec<Member>,
}

impl Fleet {
    /// The tenants' names.
    pub fn names(&self) -> Vec<&str> {
        self.members.iter().map(Member::name).collect()
    }
}

/// What to load.
pub struct Request<'a> {
    pub tenants: &'a Path,
    pub config: Option<&'a Path>,
    /// `--only`.
    pub only: &'a [String],
    /// Resolve `${VAR}` from the environment (`false`: `validate --no-env`).
    pub env: bool,
}

/// The config file as read.
struct ConfigSource {
    path: PathBuf,
    name: String,
    bytes: Vec<u8>,
}

/// Both files after every check, before anything is printed.
pub struct Checked {
    tenants_path: PathBuf,
    pub tenants: LoadedTenants,
    /// The selected tenants, in the file's order (empty when the file has errors).
    selected: Vec<Tenant>,
    /// The config file checked without variables, when the tenants file is unusable or the
    /// config has errors every tenant shares.
    config_alone: Option<Loaded>,
    config: Option<ConfigSource>,
    /// The config file as each selected tenant resolves it.
    per_tenant: Vec<Loaded>,
    missing: Vec<MissingVariable>,
    /// Problems with a tenant's domain, found by the client's own rules.
    domain_errors: Vec<Diagnostic>,
    settings: Vec<Option<ConnectionSettings>>,
    /// `--only` names a tenant the file does not list.
    selection_error: Option<String>,
}

fn env_lookup(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Reads and checks both files; prints nothing. Fails only when a file cannot be read.
pub fn check(request: &Request<'_>) -> Result<Checked, CommandError> {
    let env: Option<EnvLookup<'_>> = if request.env { Some(&env_lookup) } else { None };
    let tenants_name = request.tenants.display().to_string();
    let tenants_bytes =
        std::fs::read(request.tenants).map_err(|e| CommandError::read(request.tenants, e))?;
    let config = match request.config {
        Some(path) => Some(ConfigSource {
            path: path.to_path_buf(),
            name: path.display().to_string(),
            bytes: std::fs::read(path).map_err(|e| CommandError::read(path, e))?,
        }),
        None => None,
    };
    // The config's shape is the same for every tenant: when it cannot be checked for each
    // tenant (the tenants file stops the run, or variables are missing), it is checked once,
    // without variables.
    let config_alone = |config: &Option<ConfigSource>| {
        config.as_ref().map(|c| {
            let loaded = load_bytes(&c.name, &c.bytes, None);
            scrub::register_all(&loaded.secrets);
            loaded
        })
    };
    let found = config
        .as_ref()
        .and_then(|c| std::str::from_utf8(&c.bytes).ok())
        .and_then(|text| crate::config::parse::parse(text).ok())
        .map(|root| references(&root))
        .unwrap_or_default();
    let tenants = load_tenants(&tenants_name, &tenants_bytes, env, &secret_names(&found));
    let mut checked = Checked {
        tenants_path: request.tenants.to_path_buf(),
        selected: Vec::new(),
        config_alone: None,
        config,
        per_tenant: Vec::new(),
        missing: Vec::new(),
        domain_errors: Vec::new(),
        settings: Vec::new(),
        selection_error: None,
        tenants,
    };
    scrub::register_all(&checked.tenants.secrets);
    let selected = match &checked.tenants.file {
        Some(file) => match file.select(request.only) {
            Ok(selected) => selected.into_iter().cloned().collect(),
            Err(message) => {
                checked.selection_error = Some(message);
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    if selected.is_empty() {
        checked.config_alone = config_alone(&checked.config);
        return Ok(checked);
    }
    let selected_names: BTreeSet<&str> = selected.iter().map(|t| t.name.as_str()).collect();
    checked.missing.extend(
        checked
            .tenants
            .missing
            .iter()
            .filter(|m| selected_names.contains(m.tenant.as_str()))
            .cloned(),
    );
    if let (Some(env), Some(config)) = (env, &checked.config) {
        for tenant in &selected {
            checked
                .missing
                .extend(missing_for(tenant, &found, &config.name, env));
        }
    }
    // Tenant by tenant, in the file's order: each one's tenants-file variables, then its
    // config-file ones.
    checked
        .missing
        .sort_by_key(|m| selected.iter().position(|t| t.name == m.tenant));
    for tenant in &selected {
        match settings_of(tenant) {
            Ok(settings) => checked.settings.push(settings),
            Err(diagnostic) => {
                checked.domain_errors.push(*diagnostic);
                checked.settings.push(None);
            }
        }
    }
    if checked.missing.is_empty() {
        if let Some(config) = &checked.config {
            for tenant in &selected {
                let lookup = |name: &str| tenant.variable(name, env);
                let loaded = match env {
                    Some(_) => load_bytes(&config.name, &config.bytes, Some(&lookup)),
                    None => load_bytes(&config.name, &config.bytes, None),
                };
                scrub::register_all(&loaded.secrets);
                checked.per_tenant.push(loaded);
            }
        }
    } else {
        checked.config_alone = config_alone(&checked.config);
    }
    checked.selected = selected;
    Ok(checked)
}

/// The connection to a tenant, from its entry; `None` when its values are not known
/// (`--no-env`, or a variable is missing). A domain the client cannot use is a diagnostic at
/// its place, whether or not the credentials are known: a literal domain is checked by
/// `validate --no-env` too.
fn settings_of(tenant: &Tenant) -> Result<Option<ConnectionSettings>, Box<Diagnostic>> {
    let Some(domain) = &tenant.domain else {
        return Ok(None);
    };
    if let Err(error) = crate::api::settings::parse_domain(&domain.value) {
        return Err(domain_error(tenant, domain.span, error));
    }
    let Some(credentials) = &tenant.credentials else {
        return Ok(None);
    };
    let settings = match credentials {
        TenantCredentials::ApiToken(token) => {
            ConnectionSettings::with_static_token(&domain.value, token.clone())
        }
        TenantCredentials::ClientCredentials {
            client_id,
            client_secret,
            audience,
        } => ConnectionSettings::with_client_credentials(
            &domain.value,
            client_id.clone(),
            client_secret.clone(),
        )
        .map(|mut settings| {
            if let (Some(wanted), Credentials::ClientCredentials { audience, .. }) =
                (audience, &mut settings.credentials)
            {
                *audience = wanted.clone();
            }
            settings
        }),
    };
    settings
        .map(Some)
        .map_err(|error| domain_error(tenant, domain.span, error))
}

/// The diagnostic for a tenant's domain the client refuses.
fn domain_error(
    tenant: &Tenant,
    span: crate::config::located::Span,
    error: ApiError,
) -> Box<Diagnostic> {
    let reason = match error {
        ApiError::InvalidDomain { reason, .. } => reason,
        other => other.to_string(),
    };
    Box::new(
        Diagnostic::error(
            format!("`tenants.{}.domain` cannot be used: {reason}", tenant.name),
            Some(span),
        )
        .with_label("not a usable domain")
        .with_help(
            "write the tenant's domain, such as `acme.eu.auth0.com` (HTTPS); `http://` is for an emulator on a loopback address only",
        ),
    )
}

/// One config diagnostic and the tenants it holds for.
struct Shared {
    diagnostic: Diagnostic,
    tenants: Vec<String>,
}

impl Checked {
    /// Whether everything is usable: both files valid (no warning when `strict`), every
    /// variable set, every domain usable.
    pub fn is_usable(&self, strict: bool) -> bool {
        self.tenants_usable(strict) && self.missing.is_empty() && self.config_usable(strict)
    }

    fn tenants_usable(&self, strict: bool) -> bool {
        self.tenants.is_usable(strict)
            && self.selection_error.is_none()
            && self.domain_errors.is_empty()
    }

    fn config_usable(&self, strict: bool) -> bool {
        match (&self.config, &self.config_alone) {
            (None, _) => true,
            // Checked once without variables: the tenants file stopped the run, or variables
            // are missing (both reported on their own).
            (Some(_), Some(alone)) => alone.is_usable(strict),
            (Some(_), None) => {
                !self.per_tenant.is_empty() && self.per_tenant.iter().all(|l| l.is_usable(strict))
            }
        }
    }

    /// The tenants file's diagnostics, the domain problems included.
    fn tenants_diagnostics(&self, strict: bool) -> Vec<Diagnostic> {
        let mut all = self.tenants.effective_diagnostics(strict);
        all.extend(self.domain_errors.iter().cloned());
        all.sort_by_key(|d| d.span.map(|s| (s.line, s.column)));
        all
    }

    /// The config file's diagnostics: each once, followed by the tenants it holds for when
    /// not all of them. `None` without a config file.
    fn config_diagnostics(&self, strict: bool) -> Option<(Vec<Diagnostic>, &SourceFile)> {
        if let Some(alone) = &self.config_alone {
            // Shared by every tenant (checked without variables): errors only, when the
            // variables are what stops the run.
            let diagnostics = alone
                .effective_diagnostics(strict)
                .into_iter()
                .filter(|d| d.is_error() || self.missing.is_empty())
                .collect();
            return Some((diagnostics, &alone.source));
        }
        let first = self.per_tenant.first()?;
        let mut shared: Vec<Shared> = Vec::new();
        for (tenant, loaded) in self.selected.iter().zip(&self.per_tenant) {
            for diagnostic in loaded.effective_diagnostics(strict) {
                match shared.iter_mut().find(|s| s.diagnostic == diagnostic) {
                    Some(s) => s.tenants.push(tenant.name.clone()),
                    None => shared.push(Shared {
                        diagnostic,
                        tenants: vec![tenant.name.clone()],
                    }),
                }
            }
        }
        let all = self.selected.len();
        let diagnostics = shared
            .into_iter()
            .map(
                |Shared {
                     mut diagnostic,
                     tenants,
                 }| {
                    if tenants.len() < all {
                        let noun = if tenants.len() == 1 {
                            "tenant"
                        } else {
                            "tenants"
                        };
                        diagnostic.message =
                            format!("{} ({noun} {})", diagnostic.message, tenants.join(", "));
                    }
                    diagnostic
                },
            )
            .collect();
        Some((diagnostics, &first.source))
    }

    /// The one error naming every missing variable, when some are.
    fn missing_error(&self) -> Option<String> {
        if self.missing.is_empty() {
            return None;
        }
        let tenants_file = self.tenants.source.name.as_str();
        let config = self.config.as_ref().map(|c| c.name.as_str());
        Some(missing_message(&self.missing, tenants_file, config))
    }

    /// Prints every diagnostic on stderr, each file's closing count included. For `validate`
    /// (`verdicts_on_stdout`), the counts go to stdout, and the errors a command would end
    /// with (`--only`, missing variables) are printed too.
    pub fn report(&self, strict: bool, colors: Colors, verdicts_on_stdout: bool) {
        let show = |diagnostics: &[Diagnostic], source: &SourceFile| {
            if diagnostics.is_empty() && !verdicts_on_stdout {
                return;
            }
            let rendered = render_all(diagnostics, source, colors.stderr);
            if verdicts_on_stdout {
                let (details, verdict) = match rendered.trim_end().rsplit_once('\n') {
                    Some((details, verdict)) => (format!("{details}\n"), verdict.to_string()),
                    None => (String::new(), summary(diagnostics, source)),
                };
                scrub::eprint(&details);
                scrub::print(&format!("{verdict}\n"));
            } else {
                scrub::eprint(&rendered);
            }
        };
        show(&self.tenants_diagnostics(strict), &self.tenants.source);
        if let Some((diagnostics, source)) = self.config_diagnostics(strict) {
            show(&diagnostics, source);
        }
        if verdicts_on_stdout {
            for message in self
                .selection_error
                .iter()
                .cloned()
                .chain(self.missing_error())
            {
                scrub::eprint(&format!("error: {message}\n"));
            }
        }
    }

    /// Every diagnostic as JSON documents, one per file (`validate --format json`): the
    /// tenants file's, then the config file's with `tenants` naming those it was checked for.
    /// Missing variables are errors of the file that references them.
    pub fn report_json(&self, strict: bool) {
        let mut tenants_diagnostics = self.tenants_diagnostics(strict);
        let mut config_extra = Vec::new();
        for missing in &self.missing {
            let diagnostic = Diagnostic::error(
                format!(
                    "`{}` is not set for tenant `{}` (first used at {})",
                    missing.name,
                    missing.tenant,
                    missing.place()
                ),
                None,
            );
            if missing.file == self.tenants.source.name {
                tenants_diagnostics.push(diagnostic);
            } else {
                config_extra.push(diagnostic);
            }
        }
        if let Some(message) = &self.selection_error {
            tenants_diagnostics.push(Diagnostic::error(message.clone(), None));
        }
        let items: Vec<JsonDiagnostic<'_>> = tenants_diagnostics
            .iter()
            .map(|d| JsonDiagnostic::new(d, &self.tenants.source))
            .collect();
        print_json(serde_json::json!({
            "file": self.tenants.source.name,
            "valid": self.tenants_usable(strict) && !self.missing.iter().any(|m| m.file == self.tenants.source.name),
            "diagnostics": items,
        }));
        if let Some((mut diagnostics, source)) = self.config_diagnostics(strict) {
            diagnostics.extend(config_extra);
            let items: Vec<JsonDiagnostic<'_>> = diagnostics
                .iter()
                .map(|d| JsonDiagnostic::new(d, source))
                .collect();
            let names: Vec<&str> = self.selected.iter().map(|t| t.name.as_str()).collect();
            print_json(serde_json::json!({
                "file": source.name,
                "tenants": names,
                "valid": self.config_usable(strict) && self.missing.iter().all(|m| m.file == self.tenants.source.name),
                "diagnostics": items,
            }));
        }
    }

    /// The tenants ready to connect to, or the error that stops the command (its diagnostics
    /// were printed by [`Checked::report`]).
    pub fn into_fleet(self, strict: bool) -> Result<Fleet, CommandError> {
        if !self.tenants_usable(strict) {
            let missing = self.missing_error();
            return Err(match (self.selection_error, missing) {
                (Some(message), _) => CommandError::Other(message),
                // Both stop the run: name the missing variables as well, so that one run
                // shows everything to fix.
                (None, Some(missing)) => CommandError::Other(format!(
                    "{} is not valid; also, {missing}",
                    self.tenants_path.display()
                )),
                (None, None) => CommandError::InvalidConfig(self.tenants_path),
            });
        }
        if let Some(message) = self.missing_error() {
            return Err(CommandError::Other(message));
        }
        if !self.config_usable(strict) {
            let path = self.config.map(|c| c.path).unwrap_or(self.tenants_path);
            return Err(CommandError::InvalidConfig(path));
        }
        let config = self.config;
        let per_tenant = self
            .per_tenant
            .into_iter()
            .map(Some)
            .chain(std::iter::repeat_with(|| None));
        let mut members = Vec::new();
        for ((tenant, settings), loaded) in
            self.selected.into_iter().zip(self.settings).zip(per_tenant)
        {
            let settings = settings.ok_or_else(|| {
                CommandError::Other(format!(
                    "tenant `{}` has no domain or credentials",
                    tenant.name
                ))
            })?;
            let file = match (&config, loaded) {
                (Some(config), Some(loaded)) => Some(config_file(config, loaded)?),
                _ => None,
            };
            members.push(Member {
                tenant,
                settings,
                file,
            });
        }
        Ok(Fleet {
            tenants_file: self.tenants.source.name,
            tenants_bytes: self.tenants.source.text.into_bytes(),
            members,
        })
    }
}

/// A tenant's loaded config as the single-tenant commands use it.
fn config_file(config: &ConfigSource, loaded: Loaded) -> Result<ConfigFile, CommandError> {
    let warnings = loaded
        .diagnostics
        .iter()
        .filter(|d| !d.is_error())
        .map(|d| config_warning(d, &loaded.source))
        .collect();
    let desired = loaded
        .config
        .ok_or_else(|| CommandError::InvalidConfig(config.path.clone()))?;
    Ok(ConfigFile {
        path: config.name.clone(),
        bytes: config.bytes.clone(),
        config: desired,
        warnings,
    })
}

fn print_json(document: serde_json::Value) {
    match serde_json::to_string_pretty(&document) {
        Ok(text) => scrub::print(&format!("{text}\n")),
        Err(e) => scrub::eprint(&format!("error: cannot write JSON: {e}\n")),
    }
}

/// Loads both files for a command that talks to the tenants: prints every diagnostic, and
/// fails when either file is unusable or a variable is missing, before any request.
pub fn load(request: &Request<'_>, strict: bool, colors: Colors) -> Result<Fleet, CommandError> {
    let checked = check(request)?;
    checked.report(strict, colors, false);
    checked.into_fleet(strict)
}
