//! The HTTP client: authentication, retries, pacing, logging. At `-vv` (debug) it logs every
//! request and answer body, secrets redacted and phone numbers and emails masked.

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::answer::{Failure, RequestContext, classify, error_text};
use crate::error::{ApiError, ForGood};
use crate::models::{ClientCredentialsRequest, TokenResponse};
use crate::pacing::{PaceGuard, PaceOutcome, Pacer, RateLimitHeaders};
use crate::retry::{RetryPolicy, ServerHints, retry_delay};
use crate::scopes::granted_scopes;
use crate::settings::{ConnectionSettings, Credentials};
use mfactl_core::request::{ApiRequest, HttpMethod};
use mfactl_core::secret::Secret;
use mfactl_core::users::masking::{for_log, mask_path};

/// The `User-Agent` of every request.
pub const USER_AGENT: &str = concat!("mfactl/", env!("CARGO_PKG_VERSION"));

/// How the client retries, paces and times out.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientOptions {
    /// Attempts per request, the first included.
    pub max_attempts: u32,
    /// Overall time one request may take: its token request, pacing waits, every attempt
    /// (connect, TLS, headers, body) and the backoff between attempts. Nothing waits past it.
    pub deadline: Duration,
    /// Requests in flight at once during a live read.
    pub concurrency: usize,
    /// Time one attempt may take (never more than what is left of the deadline), so that a
    /// stuck connection is tried again while the deadline allows.
    pub request_timeout: Duration,
    /// Time to establish a connection.
    pub connect_timeout: Duration,
    /// Waits between attempts.
    pub retry: RetryPolicy,
    /// Pace requests from the `x-ratelimit-*` headers.
    pub pacing: bool,
    /// Extra trusted root certificates (PEM), on top of the platform's: for a TLS-intercepting
    /// proxy or `mfactl emulator --tls`. Certificates are always checked.
    pub extra_root_certificates: Vec<Vec<u8>>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            max_attempts: 5,
            deadline: Duration::from_secs(60),
            concurrency: 16,
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            pacing: true,
            extra_root_certificates: Vec::new(),
        }
    }
}

/// What the client has sent so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientStats {
    /// Every HTTP request sent, token requests and retries included.
    pub requests: u64,
    /// Requests to the token endpoint.
    pub token_requests: u64,
    /// Answers with status 429.
    pub rate_limited: u64,
    /// Attempts after the first, over all requests.
    pub retries: u64,
}

#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU64,
    token_requests: AtomicU64,
    rate_limited: AtomicU64,
    retries: AtomicU64,
}

/// A Management API client for one tenant. Share it by reference; it is `Send + Sync`.
pub struct Client {
    http: reqwest::Client,
    settings: ConnectionSettings,
    options: ClientOptions,
    token: tokio::sync::Mutex<Option<Secret>>,
    token_scopes: Mutex<Option<BTreeSet<String>>>,
    refreshed_after_401: AtomicBool,
    pacer: Pacer,
    counters: Counters,
    rng: Mutex<fastrand::Rng>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("domain", &self.settings.domain)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// When one request must be over, and how long it was given.
#[derive(Debug, Clone, Copy)]
struct Deadline {
    at: tokio::time::Instant,
    total: Duration,
}

impl Deadline {
    fn starting_now(total: Duration) -> Self {
        Deadline {
            at: tokio::time::Instant::now() + total,
            total,
        }
    }

    fn remaining(&self) -> Duration {
        self.at
            .saturating_duration_since(tokio::time::Instant::now())
    }

    /// Whether waiting `wait` and then trying again still starts before the deadline.
    fn allows(&self, wait: Duration) -> bool {
        wait < self.remaining()
    }
}

/// How far one request got, for the message when its deadline passes.
#[derive(Debug, Default)]
struct Progress {
    attempts: u32,
    /// What went wrong with the last attempt, in a few words and without a duration.
    last: Option<String>,
}

/// A failed attempt worth another try.
struct RetryInfo {
    last: ApiError,
    retry_after: Option<String>,
    reset: Option<String>,
}

/// One attempt's result.
enum AttemptResult {
    Done(Value),
    Retry(RetryInfo),
    Unauthorized(String),
    Fail(ApiError),
}

impl Client {
    /// Builds a client. TLS uses rustls with the platform's certificate verification.
    pub fn new(settings: ConnectionSettings, options: ClientOptions) -> Result<Self, ApiError> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut roots = Vec::new();
        for pem in &options.extra_root_certificates {
            let certificate = reqwest::Certificate::from_pem(pem)
                .map_err(|e| ApiError::Setup(format!("a root certificate is not PEM: {e}")))?;
            roots.push(certificate);
        }
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(options.connect_timeout)
            .tls_certs_merge(roots)
            .build()
            .map_err(|e| ApiError::Setup(e.to_string()))?;
        Ok(Self::with_http(http, settings, options))
    }

    /// A client for another tenant that shares this one's HTTP client (its connection pools
    /// and TLS setup, built once, which takes a few milliseconds each time) and options. It has
    /// its own token, rate-limit pacing and counters, as a client from [`Client::new`] has.
    pub fn sharing(&self, settings: ConnectionSettings) -> Self {
        Self::with_http(self.http.clone(), settings, self.options.clone())
    }

    fn with_http(
        http: reqwest::Client,
        settings: ConnectionSettings,
        options: ClientOptions,
    ) -> Self {
        let static_token = match &settings.credentials {
            Credentials::StaticToken(token) => Some(token.clone()),
            Credentials::ClientCredentials { .. } => None,
        };
        // No output may show a credential, even one a server quotes back.
        match &settings.credentials {
            Credentials::StaticToken(token) => crate::scrub::register(token.expose()),
            Credentials::ClientCredentials { client_secret, .. } => {
                crate::scrub::register(client_secret.expose())
            }
        }
        Client {
            http,
            settings,
            options,
            token: tokio::sync::Mutex::new(static_token),
            token_scopes: Mutex::new(None),
            refreshed_after_401: AtomicBool::new(false),
            pacer: Pacer::default(),
            counters: Counters::default(),
            rng: Mutex::new(fastrand::Rng::new()),
        }
    }

    /// A client for a local emulator at `base_url` (e.g. `http://127.0.0.1:8080`) using the
    /// client-credentials grant.
    pub fn for_emulator(
        base_url: &str,
        client_id: &str,
        client_secret: Secret,
        options: ClientOptions,
    ) -> Result<Self, ApiError> {
        let settings =
            ConnectionSettings::with_client_credentials(base_url, client_id, client_secret)?;
        Client::new(settings, options)
    }

    /// The settings this client uses.
    pub fn settings(&self) -> &ConnectionSettings {
        &self.settings
    }

    /// The options this client uses.
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// The tenant's domain as shown to users.
    pub fn domain(&self) -> &str {
        &self.settings.domain
    }

    /// What the client has sent so far.
    pub fn stats(&self) -> ClientStats {
        ClientStats {
            requests: self.counters.requests.load(Ordering::Relaxed),
            token_requests: self.counters.token_requests.load(Ordering::Relaxed),
            rate_limited: self.counters.rate_limited.load(Ordering::Relaxed),
            retries: self.counters.retries.load(Ordering::Relaxed),
        }
    }

    fn is_static_token(&self) -> bool {
        matches!(self.settings.credentials, Credentials::StaticToken(_))
    }

    /// The access token: the static one, or one fetched with client credentials (once per run),
    /// within [`ClientOptions::deadline`].
    pub async fn access_token(&self) -> Result<Secret, ApiError> {
        self.access_token_until(Deadline::starting_now(self.options.deadline))
            .await
    }

    async fn access_token_until(&self, deadline: Deadline) -> Result<Secret, ApiError> {
        let mut slot = self.token.lock().await;
        if let Some(token) = slot.as_ref() {
            return Ok(token.clone());
        }
        let token = self.fetch_token(deadline).await?;
        *slot = Some(token.clone());
        Ok(token)
    }

    /// Runs `work` (one request's attempts) until it ends or `deadline` passes; in the second
    /// case the error names the deadline once and what the last attempt ran into.
    async fn bounded<T>(
        &self,
        method: &str,
        path: &str,
        deadline: Deadline,
        progress: &Mutex<Progress>,
        work: impl Future<Output = Result<T, ApiError>>,
    ) -> Result<T, ApiError> {
        let result = tokio::time::timeout_at(deadline.at, work).await;
        match result {
            Ok(result) => result,
            Err(_) => Err(self.deadline_exceeded(method, path, deadline, progress, None)),
        }
    }

    fn deadline_exceeded(
        &self,
        method: &str,
        path: &str,
        deadline: Deadline,
        progress: &Mutex<Progress>,
        last: Option<&ApiError>,
    ) -> ApiError {
        let (attempts, recorded) = match progress.lock() {
            Ok(p) => (p.attempts, p.last.clone()),
            Err(_) => (0, None),
        };
        ApiError::DeadlineExceeded {
            domain: self.settings.domain.clone(),
            method: method.to_string(),
            path: path.to_string(),
            attempts,
            deadline: deadline.total,
            last: last.map_or(recorded, ApiError::short_cause),
        }
    }

    /// The scopes the token grants, when they can be known before a call (a JWT's `scope` or
    /// `permissions` claim, or the token endpoint's `scope` answer).
    pub async fn granted_scopes(&self) -> Result<Option<BTreeSet<String>>, ApiError> {
        let token = self.access_token().await?;
        if let Some(scopes) = granted_scopes(token.expose()) {
            return Ok(Some(scopes));
        }
        Ok(self.token_scopes.lock().ok().and_then(|s| s.clone()))
    }

    /// Fails with every scope of `needed` that the token is known to lack.
    pub async fn check_scopes(&self, needed: &BTreeSet<String>) -> Result<(), ApiError> {
        let Some(granted) = self.granted_scopes().await? else {
            return Ok(());
        };
        let missing: BTreeSet<String> = needed.difference(&granted).cloned().collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(ApiError::MissingScopes {
                missing,
                needed: needed.clone(),
            })
        }
    }

    fn jitter(&self) -> f64 {
        self.rng.lock().map(|mut rng| rng.f64()).unwrap_or(0.5)
    }

    async fn fetch_token(&self, deadline: Deadline) -> Result<Secret, ApiError> {
        let progress = Mutex::new(Progress::default());
        let work = self.fetch_token_attempts(deadline, &progress);
        self.bounded("POST", "/oauth/token", deadline, &progress, work)
            .await
    }

    async fn fetch_token_attempts(
        &self,
        deadline: Deadline,
        progress: &Mutex<Progress>,
    ) -> Result<Secret, ApiError> {
        let Credentials::ClientCredentials {
            client_id,
            client_secret,
            audience,
        } = &self.settings.credentials
        else {
            return Err(ApiError::Unauthorized {
                domain: self.settings.domain.clone(),
                message: "the static token was refused".into(),
                static_token: true,
            });
        };
        let body = ClientCredentialsRequest {
            grant_type: "client_credentials",
            client_id,
            client_secret: client_secret.expose(),
            audience,
        };
        let path = "/oauth/token";
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.counters.requests.fetch_add(1, Ordering::Relaxed);
            self.counters.token_requests.fetch_add(1, Ordering::Relaxed);
            record_attempt(progress, attempt);
            let timeout = self.attempt_timeout(deadline);
            let sent = Instant::now();
            let result = self
                .http
                .post(self.settings.token_url())
                .timeout(timeout)
                .json(&body)
                .send()
                .await;
            let outcome = match result {
                Ok(response) => {
                    let status = response.status();
                    let retry_after = header_text(response.headers(), RETRY_AFTER.as_str());
                    let bytes = response.bytes().await;
                    log_attempt("POST", path, Some(status.as_u16()), sent, attempt);
                    match bytes {
                        Ok(bytes) if status.is_success() => {
                            return self.accept_token(&bytes);
                        }
                        Ok(bytes) => {
                            let (message, _) = error_text(status.as_u16(), &bytes);
                            if status == StatusCode::TOO_MANY_REQUESTS {
                                self.counters.rate_limited.fetch_add(1, Ordering::Relaxed);
                            }
                            let error = ApiError::TokenRequest {
                                domain: self.settings.domain.clone(),
                                status: status.as_u16(),
                                message,
                            };
                            if is_retryable_status(status) {
                                RetryInfo {
                                    last: error,
                                    retry_after,
                                    reset: None,
                                }
                            } else {
                                return Err(error);
                            }
                        }
                        Err(err) => self.transport_failure("POST", path, &err, attempt, timeout),
                    }
                }
                Err(err) => {
                    log_attempt("POST", path, None, sent, attempt);
                    self.transport_failure("POST", path, &err, attempt, timeout)
                }
            };
            self.wait_before_retry("POST", path, attempt, deadline, progress, outcome)
                .await?;
        }
    }

    /// How long one attempt may take: [`ClientOptions::request_timeout`], and never past the
    /// deadline.
    fn attempt_timeout(&self, deadline: Deadline) -> Duration {
        self.options.request_timeout.min(deadline.remaining())
    }

    fn accept_token(&self, bytes: &[u8]) -> Result<Secret, ApiError> {
        let invalid = |detail: &str| ApiError::InvalidResponse {
            method: "POST".into(),
            path: "/oauth/token".into(),
            detail: detail.into(),
        };
        let parsed: TokenResponse =
            serde_json::from_slice(bytes).map_err(|_| invalid("the token answer is not JSON"))?;
        let token = parsed
            .access_token
            .ok_or_else(|| invalid("the token answer has no access_token"))?;
        crate::scrub::register(token.expose());
        if let (Some(scope), Ok(mut slot)) = (parsed.scope, self.token_scopes.lock()) {
            *slot = Some(scope.split_whitespace().map(String::from).collect());
        }
        Ok(token)
    }

    /// How many requests may be in flight at once without waiting in the pacer: the tenant's
    /// bucket size (`x-ratelimit-limit`) once an answer told it, one until then (the probe),
    /// and [`ClientOptions::concurrency`] on a tenant without a limit or without pacing.
    pub fn requests_in_flight_allowed(&self) -> usize {
        if !self.options.pacing {
            return self.options.concurrency.max(1);
        }
        self.pacer
            .bucket_size()
            .unwrap_or(self.options.concurrency)
            .max(1)
    }

    /// `GET` every page of a list under `/api/v2` (`path` without a query string): pages of
    /// `per_page` items with `include_totals=true`, whose envelope holds them under `list`
    /// (a bare array answer is taken too). Stops at the total, at a short page, or after
    /// `max_pages`. Returns every item, in order.
    pub async fn get_pages(
        &self,
        path: &str,
        list: &str,
        per_page: usize,
        max_pages: usize,
    ) -> Result<Vec<Value>, ApiError> {
        let mut items = Vec::new();
        for page in 0..max_pages {
            let page_path = format!("{path}?include_totals=true&page={page}&per_page={per_page}");
            let invalid = |detail: &str| ApiError::InvalidResponse {
                method: "GET".into(),
                path: mask_path(&page_path),
                detail: detail.to_owned(),
            };
            let (found, total) = match self.get(&page_path).await? {
                Value::Array(found) => (found, None),
                Value::Object(mut map) => {
                    let total = map.get("total").and_then(Value::as_u64);
                    match map.remove(list) {
                        Some(Value::Array(found)) => (found, total),
                        _ => return Err(invalid(&format!("no `{list}` list"))),
                    }
                }
                Value::Null => (Vec::new(), None),
                _ => return Err(invalid("expected a list or an object")),
            };
            let count = found.len();
            items.extend(found);
            let done_by_total = total.is_none_or(|t| items.len() as u64 >= t);
            if count < per_page || done_by_total {
                break;
            }
        }
        Ok(items)
    }

    /// Sends one request (path relative to `/api/v2`) and returns the answer's JSON body, or
    /// `Value::Null` for 204 and empty bodies. GET, PUT and PATCH are retried on 429, 5xx, 408,
    /// timeouts and dropped connections; POST and DELETE on 429 only (it refused the request
    /// before it did anything; any other failure may have taken effect).
    pub async fn send(&self, request: &ApiRequest) -> Result<Value, ApiError> {
        self.execute(request.method, &request.path, request.body.as_ref())
            .await
    }

    /// `GET` a path relative to `/api/v2`.
    pub async fn get(&self, path: &str) -> Result<Value, ApiError> {
        self.execute(HttpMethod::Get, path, None).await
    }

    /// `url_path` goes into the URL; logs and errors name it with the personal data of its query
    /// masked (`/users-by-email?email=chuc****@exam*******`).
    async fn execute(
        &self,
        method: HttpMethod,
        url_path: &str,
        body: Option<&Value>,
    ) -> Result<Value, ApiError> {
        let shown = mask_path(url_path);
        let path = RequestPath {
            url: url_path,
            shown: &shown,
        };
        if let Some(body) = body {
            log_body(method, path.shown, "request body", body);
        }
        let deadline = Deadline::starting_now(self.options.deadline);
        let progress = Mutex::new(Progress::default());
        let work = self.execute_attempts(method, path, body, deadline, &progress);
        self.bounded(method.as_str(), path.shown, deadline, &progress, work)
            .await
    }

    async fn execute_attempts(
        &self,
        method: HttpMethod,
        path: RequestPath<'_>,
        body: Option<&Value>,
        deadline: Deadline,
        progress: &Mutex<Progress>,
    ) -> Result<Value, ApiError> {
        let retryable_method = matches!(
            method,
            HttpMethod::Get | HttpMethod::Put | HttpMethod::Patch
        );
        let mut attempt: u32 = 0;
        let mut refreshed = false;
        loop {
            attempt += 1;
            if attempt > 1 {
                self.counters.retries.fetch_add(1, Ordering::Relaxed);
            }
            let token = self.access_token_until(deadline).await?;
            record_attempt(progress, attempt);
            let outcome = self
                .attempt(method, path, body, &token, attempt, deadline)
                .await;
            match outcome {
                AttemptResult::Done(value) => return Ok(value),
                AttemptResult::Fail(error) => return Err(error),
                AttemptResult::Unauthorized(message) => {
                    if self.is_static_token() || refreshed {
                        return Err(self.unauthorized(message));
                    }
                    refreshed = true;
                    let mut slot = self.token.lock().await;
                    let same = slot.as_ref().is_some_and(|t| t == &token);
                    if same {
                        if self.refreshed_after_401.swap(true, Ordering::SeqCst) {
                            return Err(self.unauthorized(message));
                        }
                        *slot = Some(self.fetch_token(deadline).await?);
                    }
                }
                AttemptResult::Retry(info) => {
                    // A 429 refused the request before it did anything: any method may be sent
                    // again. Other failures of a POST or DELETE may have taken effect.
                    let refused = matches!(info.last, ApiError::RateLimited { .. });
                    if !retryable_method && !refused {
                        return Err(info.last);
                    }
                    self.wait_before_retry(
                        method.as_str(),
                        path.shown,
                        attempt,
                        deadline,
                        progress,
                        info,
                    )
                    .await?;
                }
            }
        }
    }

    fn unauthorized(&self, message: String) -> ApiError {
        ApiError::Unauthorized {
            domain: self.settings.domain.clone(),
            message,
            static_token: self.is_static_token(),
        }
    }

    /// Sleeps before the next attempt, or fails when attempts or the deadline are used up.
    async fn wait_before_retry(
        &self,
        method: &str,
        path: &str,
        attempt: u32,
        deadline: Deadline,
        progress: &Mutex<Progress>,
        info: RetryInfo,
    ) -> Result<(), ApiError> {
        let RetryInfo {
            last,
            retry_after,
            reset,
        } = info;
        if let Ok(mut p) = progress.lock() {
            p.last = last.short_cause();
        }
        if matches!(last, ApiError::ConnectionRefusedForGood { .. }) {
            return Err(last);
        }
        if deadline.remaining().is_zero() {
            // The attempt ran until the deadline cut it short.
            return Err(self.deadline_exceeded(method, path, deadline, progress, Some(&last)));
        }
        if attempt >= self.options.max_attempts {
            return Err(last);
        }
        let hints = ServerHints {
            retry_after: retry_after.as_deref(),
            ratelimit_reset: reset.as_deref(),
        };
        let wait = retry_delay(
            &self.options.retry,
            attempt,
            hints,
            SystemTime::now(),
            self.jitter(),
        );
        if !deadline.allows(wait) {
            return Err(self.deadline_exceeded(method, path, deadline, progress, Some(&last)));
        }
        tracing::debug!(
            method,
            path,
            attempt,
            wait_ms = wait.as_millis() as u64,
            "retrying"
        );
        tokio::time::sleep(wait).await;
        Ok(())
    }

    /// One try: `path.url` goes into the URL, `path.shown` into logs and errors.
    async fn attempt(
        &self,
        method: HttpMethod,
        path: RequestPath<'_>,
        body: Option<&Value>,
        token: &Secret,
        attempt: u32,
        deadline: Deadline,
    ) -> AttemptResult {
        let RequestPath {
            url: url_path,
            shown: path,
        } = path;
        // Until the guard is finished, dropping this attempt (its deadline passed) counts as
        // "no answer", so the requests paced behind it do not wait for it.
        let pace = self.options.pacing.then(|| self.pacer.guard());
        if let Some(guard) = &pace {
            guard.acquire().await;
        }
        let url = self.settings.api_url(url_path);
        let timeout = self.attempt_timeout(deadline);
        let mut builder = self
            .http
            .request(reqwest_method(method), url)
            .timeout(timeout)
            .bearer_auth(token.expose());
        if let Some(body) = body {
            builder = builder.json(body);
        }
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        let sent = Instant::now();
        let response = match builder.send().await {
            Ok(response) => response,
            Err(err) => {
                log_attempt(method.as_str(), path, None, sent, attempt);
                finish_pacing(pace, PaceOutcome::NoAnswer);
                return AttemptResult::Retry(self.transport_failure(
                    method.as_str(),
                    path,
                    &err,
                    attempt,
                    timeout,
                ));
            }
        };
        let status = response.status();
        let headers = response.headers().clone();
        let limits = RateLimitHeaders::from_headers(&headers, SystemTime::now());
        let rate_limited = status == StatusCode::TOO_MANY_REQUESTS;
        if rate_limited {
            self.counters.rate_limited.fetch_add(1, Ordering::Relaxed);
        }
        finish_pacing(
            pace,
            PaceOutcome::Answered {
                headers: limits,
                rate_limited,
            },
        );
        let bytes = response.bytes().await;
        log_attempt(method.as_str(), path, Some(status.as_u16()), sent, attempt);
        let bytes = match bytes {
            Ok(bytes) => bytes,
            Err(err) => {
                return AttemptResult::Retry(self.transport_failure(
                    method.as_str(),
                    path,
                    &err,
                    attempt,
                    timeout,
                ));
            }
        };
        if status.is_success() {
            if status == StatusCode::NO_CONTENT || bytes.iter().all(u8::is_ascii_whitespace) {
                return AttemptResult::Done(Value::Null);
            }
            return match serde_json::from_slice(&bytes) {
                Ok(value) => {
                    log_body(method, path, "answer body", &value);
                    AttemptResult::Done(value)
                }
                Err(err) => AttemptResult::Fail(ApiError::InvalidResponse {
                    method: method.as_str().to_string(),
                    path: path.to_string(),
                    detail: format!("the body is not JSON: {err}"),
                }),
            };
        }
        let ctx = RequestContext {
            domain: &self.settings.domain,
            method: method.as_str(),
            path,
        };
        match classify(ctx, status.as_u16(), &bytes) {
            Failure::Final(error) => AttemptResult::Fail(error),
            Failure::Unauthorized { message } => AttemptResult::Unauthorized(message),
            Failure::Retryable { status, message } => {
                let last = if status == 429 {
                    ApiError::RateLimited {
                        method: method.as_str().to_string(),
                        path: path.to_string(),
                        attempts: attempt,
                        message,
                    }
                } else {
                    ApiError::Server {
                        method: method.as_str().to_string(),
                        path: path.to_string(),
                        status,
                        message,
                        attempts: attempt,
                    }
                };
                AttemptResult::Retry(RetryInfo {
                    last,
                    retry_after: header_text(&headers, RETRY_AFTER.as_str()),
                    reset: header_text(&headers, "x-ratelimit-reset"),
                })
            }
        }
    }

    fn transport_failure(
        &self,
        method: &str,
        path: &str,
        err: &reqwest::Error,
        attempt: u32,
        timeout: Duration,
    ) -> RetryInfo {
        let last = if let Some(why) = for_good(err) {
            ApiError::ConnectionRefusedForGood {
                domain: self.settings.domain.clone(),
                method: method.to_string(),
                path: path.to_string(),
                detail: error_chain(err),
                why,
            }
        } else if err.is_timeout() {
            ApiError::Timeout {
                domain: self.settings.domain.clone(),
                method: method.to_string(),
                path: path.to_string(),
                timeout,
                attempts: attempt,
            }
        } else {
            ApiError::Connection {
                domain: self.settings.domain.clone(),
                method: method.to_string(),
                path: path.to_string(),
                detail: error_chain(err),
                attempts: attempt,
            }
        };
        RetryInfo {
            last,
            retry_after: None,
            reset: None,
        }
    }
}

/// A request's path: as sent, and as logs and errors show it.
#[derive(Debug, Clone, Copy)]
struct RequestPath<'a> {
    url: &'a str,
    shown: &'a str,
}

/// Logs a body at debug level (`-vv`): secret fields redacted, personal data masked. Their
/// values are registered for scrubbing first, so the same text in another field is scrubbed
/// too.
fn log_body(method: HttpMethod, path: &str, what: &str, body: &Value) {
    crate::scrub::register_in_body(body);
    if tracing::enabled!(tracing::Level::DEBUG) {
        let shown = for_log(body);
        tracing::debug!(method = method.as_str(), path, body = %shown, "{what}");
    }
}

fn finish_pacing(guard: Option<PaceGuard<'_>>, outcome: PaceOutcome) {
    if let Some(guard) = guard {
        guard.finish(outcome);
    }
}

fn record_attempt(progress: &Mutex<Progress>, attempt: u32) {
    if let Ok(mut p) = progress.lock() {
        p.attempts = attempt;
    }
}

fn is_retryable_status(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
        || status.is_server_error()
}

fn reqwest_method(method: HttpMethod) -> Method {
    match method {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Delete => Method::DELETE,
    }
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(String::from)
}

/// Why `err` will happen again on every attempt, if it will: a TLS error from rustls (the
/// handshake is deterministic: a plain-HTTP port, a certificate not trusted, no common
/// protocol) or a domain that is not a DNS name. rustls's errors reach reqwest inside an
/// `io::Error`, whose `source()` skips them, so each `io::Error`'s inner error is looked at too.
fn for_good(err: &reqwest::Error) -> Option<ForGood> {
    fn cause_for_good(cause: &(dyn std::error::Error + 'static)) -> Option<ForGood> {
        if let Some(tls) = cause.downcast_ref::<rustls::Error>() {
            return Some(match tls {
                rustls::Error::InvalidMessage(_) => ForGood::NotTls,
                rustls::Error::InvalidCertificate(_) => ForGood::Certificate,
                _ => ForGood::Tls,
            });
        }
        if cause.is::<rustls::pki_types::InvalidDnsNameError>() {
            return Some(ForGood::InvalidName);
        }
        let inner = cause.downcast_ref::<std::io::Error>()?.get_ref()?;
        cause_for_good(inner)
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(cause) = source {
        if let Some(why) = cause_for_good(cause) {
            return Some(why);
        }
        source = cause.source();
    }
    None
}

/// The error and its causes, without the URL (which never holds a secret, but is noise).
fn error_chain(err: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(err);
    while let Some(cause) = source {
        parts.push(cause.to_string());
        source = cause.source();
    }
    if parts.is_empty() {
        parts.push(if err.is_connect() {
            "connection failed".to_string()
        } else {
            "the connection was dropped".to_string()
        });
    }
    parts.join(": ")
}

fn log_attempt(method: &str, path: &str, status: Option<u16>, sent: Instant, attempt: u32) {
    let duration_ms = sent.elapsed().as_millis() as u64;
    match status {
        Some(status) => tracing::debug!(method, path, status, duration_ms, attempt, "request"),
        None => tracing::debug!(method, path, duration_ms, attempt, "request got no answer"),
    }
}
