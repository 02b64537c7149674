//! Starting, serving and stopping an emulator: the in-process API behind `mfactl emulator`.
//!
//! Every request goes through one wrapper before the axum routes: it waits `latency`, draws
//! for a fault and takes a token from the rate-limit bucket (Management API calls only: paths under
//! `/api/v2`; `/oauth/token` and `/__emulator/*` are exempt), records the call in the request log
//! (hooks are not logged), and stamps `x-ratelimit-*` headers on every answer. A scripted fault
//! (see [`super::scripted_faults`]) that matches a request answers it first, before the random
//! faults and the bucket.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use hyper_util::rt::TokioIo;
use ring::rand::{SecureRandom, SystemRandom};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

use super::access_token::{Claims, TokenIssuer, TokenRejection, now_epoch_seconds};
use super::api_error::{ApiError, json_response};
use super::fault_injection::{Fault, FaultInjector};
use super::management_api::{self, CallContext};
use super::oauth_token;
use super::rate_limit::{RateLimit, RateLimitHeaders, TokenBucket};
use super::request_log::{LoggedRequest, masked_body};
use super::routes;
use super::scripted_faults::{ScriptedFault, ScriptedFaults};
use super::tenant::TenantState;
use super::tls;
use super::users_state::{EmulatedUser, SeedUser, Sources, add_seed_user};
use mfactl_core::phone_kind::PHONE_CONSOLIDATED_EXPERIENCE;

/// How to run an emulator. `Default` is a new legacy (non-consolidated phone) tenant on a free
/// port with no latency, no rate limit, no faults, and random client credentials.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Seed state instead of a new tenant (as from `--state FILE`).
    pub state: Option<TenantState>,
    /// The tenant is on the consolidated phone experience (`phone_consolidated_experience`).
    pub consolidated_phone: bool,
    /// The plan includes Adaptive MFA (`confidence-score`).
    pub adaptive_mfa: bool,
    /// The plan includes voice MFA (the phone message-types endpoint).
    pub voice: bool,
    /// Delay before every answer.
    pub latency: Duration,
    /// Enforced token bucket; `None` never refuses.
    pub rate_limit: Option<RateLimit>,
    /// Fraction (0..=1) of Management API calls answered with a fault.
    pub fault_rate: f64,
    /// Seed of the fault generator.
    pub seed: u64,
    /// Serve HTTPS with a self-signed certificate written as PEM to this path.
    pub tls_cert_out: Option<PathBuf>,
    /// Fixed client id; random when `None`.
    pub client_id: Option<String>,
    /// Fixed client secret; random when `None`.
    pub client_secret: Option<String>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            port: 0,
            state: None,
            consolidated_phone: false,
            adaptive_mfa: true,
            voice: true,
            latency: Duration::ZERO,
            rate_limit: None,
            fault_rate: 0.0,
            seed: 0,
            tls_cert_out: None,
            client_id: None,
            client_secret: None,
        }
    }
}

impl EmulatorConfig {
    /// The tenant `POST /__emulator/reset` returns to: new, with this config's plan and phone kind.
    pub fn new_tenant(&self) -> TenantState {
        let mut tenant = TenantState::new_tenant(self.consolidated_phone);
        tenant.entitlements.adaptive_mfa = self.adaptive_mfa;
        tenant.entitlements.voice = self.voice;
        tenant
    }

    /// The state the emulator starts with: the seed, if any, with this config's non-default
    /// tenant flags (consolidated phone, no Adaptive MFA, no voice) applied on top; otherwise a
    /// new tenant.
    pub fn initial_state(&self) -> TenantState {
        let Some(seed) = &self.state else {
            return self.new_tenant();
        };
        let mut tenant = seed.clone();
        if self.consolidated_phone {
            tenant
                .tenant_settings
                .insert(PHONE_CONSOLIDATED_EXPERIENCE.to_owned(), json!(true));
        }
        if !self.adaptive_mfa {
            tenant.entitlements.adaptive_mfa = false;
        }
        if !self.voice {
            tenant.entitlements.voice = false;
        }
        tenant
    }
}

/// State shared by every connection of one emulator.
pub(crate) struct Shared {
    pub(crate) tenant: Mutex<TenantState>,
    pub(crate) new_tenant: TenantState,
    /// Entries tagged with a sequence number, so an answer finds its entry even after a reset.
    log: Mutex<Vec<(u64, LoggedRequest)>>,
    next_sequence: std::sync::atomic::AtomicU64,
    bucket: Mutex<TokenBucket>,
    faults: Mutex<FaultInjector>,
    /// Faults set by tests (`POST /__emulator/faults`, [`RunningEmulator::add_fault`]).
    pub(crate) scripted: Mutex<ScriptedFaults>,
    pub(crate) tokens: TokenIssuer,
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
    /// `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`.
    pub(crate) base_url: String,
    latency: Duration,
}

/// Locks a mutex, recovering the data if a holder panicked.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    /// Checks the bearer token and the scope; the error is the API's 401 or 403.
    fn authorize(&self, headers: &HeaderMap, scope: &str) -> Result<Claims, ApiError> {
        let value = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(ApiError::missing_authentication)?;
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .map(str::trim)
            .ok_or_else(|| ApiError::invalid_token("Bad HTTP authentication header format"))?;
        let claims = self
            .tokens
            .verify(token)
            .map_err(|rejection| match rejection {
                TokenRejection::Invalid => ApiError::invalid_token("Invalid token"),
                TokenRejection::Expired => {
                    ApiError::invalid_token("Expired token received for JSON Web Token validation")
                }
            })?;
        if !claims.has_scope(scope) {
            return Err(ApiError::insufficient_scope(scope));
        }
        Ok(claims)
    }

    /// The token issuer claim and the audience this tenant's Management API answers to.
    pub(crate) fn issuer(&self) -> String {
        format!("{}/", self.base_url)
    }
}

/// A running emulator. Dropping it stops it.
pub struct RunningEmulator {
    shared: Arc<Shared>,
    address: SocketAddr,
    tls: bool,
    shutdown: watch::Sender<bool>,
}

impl std::fmt::Debug for RunningEmulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningEmulator")
            .field("base_url", &self.shared.base_url)
            .field("client_id", &self.shared.client_id)
            .finish_non_exhaustive()
    }
}

impl RunningEmulator {
    /// `http://127.0.0.1:PORT` (or `https://…` with TLS).
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// What `AUTH0_DOMAIN` should be: the base URL, or `127.0.0.1:PORT` with TLS.
    pub fn domain(&self) -> String {
        if self.tls {
            self.address.to_string()
        } else {
            self.shared.base_url.clone()
        }
    }

    /// The socket address served.
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// The client id the token endpoint accepts.
    pub fn client_id(&self) -> &str {
        &self.shared.client_id
    }

    /// The client secret the token endpoint accepts.
    pub fn client_secret(&self) -> &str {
        &self.shared.client_secret
    }

    /// The audience of the emulated Management API (`{base_url}/api/v2/`).
    pub fn audience(&self) -> String {
        format!("{}/api/v2/", self.shared.base_url)
    }

    /// Mints an access token with exactly these scopes, as if the client asked for them.
    pub fn issue_token(&self, scopes: &[&str]) -> String {
        self.shared.tokens.issue(
            &self.shared.issuer(),
            &self.audience(),
            &self.shared.client_id,
            scopes,
        )
    }

    /// A copy of the whole tenant state (write-only values included).
    pub fn state(&self) -> TenantState {
        lock(&self.shared.tenant).clone()
    }

    /// Replaces the tenant state.
    pub fn set_state(&self, state: TenantState) {
        *lock(&self.shared.tenant) = state;
    }

    /// Adds a user with authentication methods (phone and TOTP methods are also Guardian
    /// enrollments), as the `POST /__emulator/users` hook does; returns it as stored.
    pub fn add_user(&self, seed: SeedUser) -> Result<EmulatedUser, String> {
        self.shared.add_user(seed).map_err(|e| e.message)
    }

    /// Back to a new tenant, an empty request log and no scripted faults.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Adds a scripted fault (see [`ScriptedFault`]); an unusable one (status outside 400..=599,
    /// `times` of 0, a path without a leading `/`) is refused with the reason.
    pub fn add_fault(&self, fault: ScriptedFault) -> Result<(), String> {
        if let Some(problem) = fault.problem() {
            return Err(problem);
        }
        lock(&self.shared.scripted).add(fault);
        Ok(())
    }

    /// Forgets every pending scripted fault.
    pub fn clear_faults(&self) {
        lock(&self.shared.scripted).clear();
    }

    /// The scripted faults still pending, with what is left of their `times`.
    pub fn pending_faults(&self) -> Vec<ScriptedFault> {
        lock(&self.shared.scripted).pending()
    }

    /// The request log so far, in arrival order, secrets masked.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.requests()
    }

    /// Stops accepting connections and closes open ones.
    pub fn shutdown(self) {
        drop(self);
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

/// Starts an emulator on 127.0.0.1 and returns once it accepts connections. Call it inside a
/// Tokio runtime: the server runs as tasks on that runtime until the handle is dropped.
pub async fn start(config: EmulatorConfig) -> std::io::Result<RunningEmulator> {
    let listener = TcpListener::bind(("127.0.0.1", config.port)).await?;
    let address = listener.local_addr()?;
    let acceptor = match &config.tls_cert_out {
        Some(path) => Some(tls::self_signed_acceptor(path)?),
        None => None,
    };
    let scheme = if acceptor.is_some() { "https" } else { "http" };
    let rng = SystemRandom::new();
    let mut key = [0u8; 32];
    rng.fill(&mut key)
        .map_err(|_| std::io::Error::other("no system randomness"))?;
    let new_tenant = config.new_tenant();
    let shared = Arc::new(Shared {
        tenant: Mutex::new(config.initial_state()),
        new_tenant,
        log: Mutex::new(Vec::new()),
        next_sequence: std::sync::atomic::AtomicU64::new(0),
        bucket: Mutex::new(TokenBucket::new(config.rate_limit)),
        faults: Mutex::new(FaultInjector::new(config.fault_rate, config.seed)),
        scripted: Mutex::new(ScriptedFaults::default()),
        tokens: TokenIssuer::new(&key),
        client_id: config.client_id.clone().unwrap_or_else(|| random_id(32)),
        client_secret: config
            .client_secret
            .clone()
            .unwrap_or_else(|| random_id(64)),
        base_url: format!("{scheme}://{address}"),
        latency: config.latency,
    });
    let router = routes(shared.clone());
    let (shutdown, watcher) = watch::channel(false);
    tokio::spawn(accept_loop(
        listener,
        acceptor,
        shared.clone(),
        router,
        watcher,
    ));
    Ok(RunningEmulator {
        shared,
        address,
        tls: config.tls_cert_out.is_some(),
        shutdown,
    })
}

/// A random alphanumeric string of `len` characters.
pub(crate) fn random_id(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = vec![0u8; len];
    if SystemRandom::new().fill(&mut bytes).is_err() {
        // Without system randomness, fall back to the standard library's per-process random keys.
        use std::hash::{BuildHasher, RandomState};
        let state = RandomState::new();
        for (index, byte) in bytes.iter_mut().enumerate() {
            *byte = state.hash_one(index) as u8;
        }
    }
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

async fn accept_loop(
    listener: TcpListener,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    shared: Arc<Shared>,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = shutdown.changed() => return,
        };
        let Ok((stream, _)) = accepted else {
            continue;
        };
        let shared = shared.clone();
        let router = router.clone();
        let acceptor = acceptor.clone();
        let mut connection_shutdown = shutdown.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                handle(shared.clone(), router.clone(), request)
            });
            let builder = hyper::server::conn::http1::Builder::new();
            let serve = async {
                match acceptor {
                    Some(acceptor) => match acceptor.accept(stream).await {
                        Ok(tls_stream) => {
                            let _ = builder
                                .serve_connection(TokioIo::new(tls_stream), service)
                                .await;
                        }
                        Err(error) => tracing::debug!("TLS handshake failed: {error}"),
                    },
                    None => {
                        let _ = builder
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    }
                }
            };
            tokio::select! {
                _ = serve => {}
                _ = connection_shutdown.changed() => {}
            }
        });
    }
}

/// Why a connection was closed without an answer (the "dropped connection" fault).
#[derive(Debug)]
struct DroppedConnection;

impl std::fmt::Display for DroppedConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for DroppedConnection {}

async fn handle(
    shared: Arc<Shared>,
    router: Router,
    request: Request<hyper::body::Incoming>,
) -> Result<Response, DroppedConnection> {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(Body::new(body), 16 * 1024 * 1024)
        .await
        .unwrap_or_default();
    if !shared.latency.is_zero() {
        tokio::time::sleep(shared.latency).await;
    }
    let path = parts.uri.path().to_owned();
    let is_api = path.starts_with("/api/v2/");
    let is_hook = path.starts_with("/__emulator/");
    let log_slot = if is_hook {
        None
    } else {
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        let entry = LoggedRequest {
            method: parts.method.to_string(),
            path: path.clone(),
            status: 0,
            body: masked_body(&bytes, is_form),
            time: httpdate::fmt_http_date(std::time::SystemTime::now()),
        };
        let sequence = shared
            .next_sequence
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        lock(&shared.log).push((sequence, entry));
        Some(sequence)
    };

    let now = Instant::now();
    let epoch = now_epoch_seconds();
    let scripted = if is_hook {
        None
    } else {
        lock(&shared.scripted).take(parts.method.as_str(), &path)
    };
    let (limits, early) = if let Some((status, body)) = scripted {
        // A scripted fault answers without touching the tenant, the bucket or the random
        // fault sequence.
        (
            lock(&shared.bucket).peek(now, epoch),
            Some(Ok(EarlyAnswer::Scripted(status, body))),
        )
    } else if is_api {
        let fault = lock(&shared.faults).draw();
        match lock(&shared.bucket).take(now, epoch) {
            Err(limits) => (limits, Some(Err(ApiError::too_many_requests()))),
            Ok(limits) => (limits, fault.map(|f| Ok(EarlyAnswer::Random(f)))),
        }
    } else {
        (lock(&shared.bucket).peek(now, epoch), None)
    };

    let mut response = match early {
        Some(Err(error)) => error.into_response(),
        Some(Ok(EarlyAnswer::Random(Fault::DropConnection))) => {
            tracing::info!("fault injection: dropping {} {path}", parts.method);
            return Err(DroppedConnection);
        }
        Some(Ok(EarlyAnswer::Random(fault))) => fault_response(fault),
        Some(Ok(EarlyAnswer::Scripted(status, body))) => json_response(status, &body),
        None => {
            let request = Request::from_parts(parts, Body::from(bytes));
            match router.oneshot(request).await {
                Ok(response) => response,
                Err(infallible) => match infallible {},
            }
        }
    };
    stamp_rate_limit(response.headers_mut(), limits);
    if let Some(sequence) = log_slot
        && let Some((_, entry)) = lock(&shared.log)
            .iter_mut()
            .rev()
            .find(|(s, _)| *s == sequence)
    {
        entry.status = response.status().as_u16();
    }
    Ok(response)
}

/// An answer decided before routing: a random fault or a scripted one.
enum EarlyAnswer {
    Random(Fault),
    Scripted(StatusCode, serde_json::Value),
}

fn fault_response(fault: Fault) -> Response {
    let error = match fault {
        Fault::InternalError => ApiError::internal_server_error(),
        Fault::Unavailable => ApiError::service_unavailable(),
        Fault::TooManyRequests | Fault::DropConnection => ApiError::too_many_requests(),
    };
    error.into_response()
}

fn stamp_rate_limit(headers: &mut HeaderMap, limits: RateLimitHeaders) {
    headers.insert("x-ratelimit-limit", HeaderValue::from(limits.limit));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(limits.remaining));
    headers.insert("x-ratelimit-reset", HeaderValue::from(limits.reset));
}

fn routes(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/oauth/token", post(oauth_token::handle))
        .route("/api/v2/{*rest}", any(management_call))
        .route(
            "/__emulator/state",
            get(super::test_hooks::get_state).put(super::test_hooks::put_state),
        )
        .route("/__emulator/requests", get(super::test_hooks::get_requests))
        .route("/__emulator/reset", post(super::test_hooks::reset))
        .route("/__emulator/users", post(super::test_hooks::add_user))
        .route(
            "/__emulator/faults",
            get(super::test_hooks::get_faults)
                .post(super::test_hooks::add_faults)
                .delete(super::test_hooks::clear_faults),
        )
        .fallback(|| async { ApiError::not_found() })
        .with_state(shared)
}

async fn management_call(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().trim_start_matches("/api/v2");
    let Some(route) = routes::resolve(&method, path) else {
        return ApiError::not_found().into_response();
    };
    let Some(scope) = routes::scope(&route, &method) else {
        return ApiError::not_found().into_response();
    };
    if let Err(error) = shared.authorize(&headers, scope) {
        return error.into_response();
    }
    let random = || random_id(32);
    let now = super::timestamp::now_iso8601;
    let context = CallContext {
        query: uri.query().unwrap_or(""),
        base_url: &shared.base_url,
        random_id: &random,
        now: &now,
    };
    let result = {
        let mut tenant = lock(&shared.tenant);
        management_api::call(&mut tenant, &route, &method, &body, &context)
    };
    match result {
        Ok((status, Some(value))) => json_response(status, &value),
        Ok((status, None)) => status.into_response(),
        Err(error) => error.into_response(),
    }
}

/// The JSON body the hooks answer with.
pub(crate) fn hook_json(value: &serde_json::Value) -> Response {
    json_response(StatusCode::OK, value)
}

/// A 400 from a hook, in the API's error shape.
pub(crate) fn hook_error(message: impl Into<String>) -> Response {
    ApiError::new(StatusCode::BAD_REQUEST, message, "invalid_body").into_response()
}

/// `{"ok":true}`: what state-changing hooks answer.
pub(crate) fn hook_ok() -> Response {
    hook_json(&json!({"ok": true}))
}

impl Shared {
    pub(crate) fn add_user(&self, seed: SeedUser) -> Result<EmulatedUser, ApiError> {
        let random = || random_id(32);
        let now = super::timestamp::now_iso8601;
        let sources = Sources {
            random: &random,
            now: &now,
        };
        add_seed_user(&mut lock(&self.tenant), seed, &sources)
    }

    pub(crate) fn reset(&self) {
        *lock(&self.tenant) = self.new_tenant.clone();
        lock(&self.log).clear();
        lock(&self.scripted).clear();
    }

    pub(crate) fn requests(&self) -> Vec<LoggedRequest> {
        lock(&self.log)
            .iter()
            .map(|(_, entry)| entry.clone())
            .collect()
    }
}
